import { randomBytes } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import type { LiffPage, RichMenuAction } from '@madoguchi/contracts/richmenus.ts';

// What LINE is sent for a tab (M-02 … M-05, O-08): pure builders, unit-tested.
//
// - switchTab → `richmenuswitch` to the target tab's alias, with data `rm=<area id>&tab=<n>` (LINE
//   links the alias's menu to the user and sends a postback with that data; we count the tap).
// - postback → the staff's data with `rm=<area id>` appended as a query parameter, so modules that
//   read the data with URLSearchParams (disaster `action=…`, consultation `consult=…`) still see
//   their keys; scenario → postback `rm=<area id>&scenario=<id>` (run by a later issue).
// - uri (http/https) → our counted redirect `${publicUrl}/rm/<area id>`; tel: links go as they are.
// - liff → https://liff.line.me/<liffId>?page=<page> directly (LINE opens LIFF URLs in the app only
//   when tapped directly, so they are not redirected and not counted).
// - message → as it is (a message event; not counted).

export const AREA_PARAM = 'rm';

/** A LINE alias ID: ≤ 32 characters of [A-Za-z0-9_-], unique per channel. */
export const newAliasId = (position: number) => `mdg-${randomBytes(10).toString('hex')}-${position}`;

export function liffPageUrl(liffId: string, page: LiffPage, desk?: string): string {
  const base = `https://liff.line.me/${liffId}`;
  if (page === 'home') return base;
  return page === 'consult' && desk
    ? `${base}?page=consult&desk=${encodeURIComponent(desk)}`
    : `${base}?page=${page}`;
}

export const areaRedirectUrl = (publicUrl: string, areaId: string) => `${publicUrl}/rm/${areaId}`;

export function postbackData(areaId: string, staffData?: string): string {
  const ours = `${AREA_PARAM}=${areaId}`;
  return staffData ? `${staffData}&${ours}` : ours;
}

/** The area ID a postback carries (ours), or null. */
export function areaIdOfPostback(data: string): string | null {
  const id = new URLSearchParams(data).get(AREA_PARAM);
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

export interface BuildContext {
  publicUrl: string;
  liffId: string | null;
  /** Alias ID of each tab of the group, by position. */
  aliasIds: string[];
}

export function lineAction(areaId: string, action: RichMenuAction, ctx: BuildContext): messagingApi.Action {
  switch (action.type) {
    case 'uri':
      return /^https?:/i.test(action.uri)
        ? { type: 'uri', uri: areaRedirectUrl(ctx.publicUrl, areaId) }
        : { type: 'uri', uri: action.uri };
    case 'liff':
      if (!ctx.liffId) throw new Error('LIFF_MISSING');
      return { type: 'uri', uri: liffPageUrl(ctx.liffId, action.page, action.desk) };
    case 'message':
      return { type: 'message', text: action.text };
    case 'postback':
      return {
        type: 'postback',
        data: postbackData(areaId, action.data),
        ...(action.displayText ? { displayText: action.displayText } : {}),
      };
    case 'switchTab': {
      const alias = ctx.aliasIds[action.tab];
      if (!alias) throw new Error('TAB_MISSING');
      return {
        type: 'richmenuswitch',
        richMenuAliasId: alias,
        data: `${postbackData(areaId)}&tab=${action.tab}`,
      };
    }
    case 'scenario':
      return { type: 'postback', data: `${postbackData(areaId)}&scenario=${action.scenarioId}` };
  }
}

/**
 * The menu's name carries the tab's ID (`… #<tab id>`): a menu LINE made although its answer was
 * lost (a timeout) is found by it and removed before the tab's menu is made again.
 */
export const menuMarker = (tabId: string) => `#${tabId}`;

export interface TabForLine {
  tabId: string;
  groupName: string;
  position: number;
  label: string;
  chatBarText: string;
  width: number;
  height: number;
  areas: {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
    label?: string | null;
    action: RichMenuAction;
  }[];
}

/** The createRichMenu request of one tab. `selected`: the menu opens expanded (tab 1 only). */
export function richMenuRequest(tab: TabForLine, ctx: BuildContext): messagingApi.RichMenuRequest {
  return {
    size: { width: tab.width, height: tab.height },
    selected: tab.position === 0,
    name: `${`${tab.groupName} / ${tab.label}`.slice(0, 250)} ${menuMarker(tab.tabId)}`,
    chatBarText: tab.chatBarText,
    areas: tab.areas.map((a) => ({
      bounds: { x: a.x, y: a.y, width: a.width, height: a.height },
      // The label is read out by LINE's accessibility features (≤ 20 characters).
      action: { ...lineAction(a.id, a.action, ctx), ...(a.label ? { label: a.label.slice(0, 20) } : {}) },
    })),
  };
}

/** User IDs in chunks LINE's bulk link/unlink accept (≤ 500 per call). */
export function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
