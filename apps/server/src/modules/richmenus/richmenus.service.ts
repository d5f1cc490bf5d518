import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type {
  AreaTapCount,
  RichMenuAction,
  RichMenuImage,
  TabGroupParsed,
  TabGroupSummary,
  TabGroupView,
} from '@madoguchi/contracts/richmenus.ts';
import { checkTabGroup, type RichMenuIssue } from '@madoguchi/contracts/richmenus-rules.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { LineClients } from '../../platform/line/line-clients.ts';
import type { ChannelSecrets, ChannelsService } from '../channels/channels.service.ts';
import { oncePerBatch } from '../line-events/line-event-bus.ts';
import { menuMarker, newAliasId, richMenuRequest } from './line-requests.ts';
import { checkTabImages, tabImage } from './richmenu-image.ts';
import {
  claimGroup,
  deleteGroupRow,
  deleteTabRows,
  findAreaRows,
  findGroupRow,
  findTabRow,
  findTabRows,
  insertAreaRows,
  insertGroupRow,
  insertTabRow,
  listGroupRows,
  liveDisasterSwitch,
  livePublicationsOfGroup,
  publicationRowsOfGroups,
  releaseGroup,
  setGroupStatus,
  setTabLine,
  tapCountRows,
  updateGroupRow,
} from './richmenus.repository.ts';

// Tab groups (M-01 … M-05): saved in our tables, then made on LINE — one rich menu per tab with its
// image, and one alias per tab that the other tabs' switchTab areas point at (richmenuswitch).
// Making them on LINE is a resumable step (`sync`): each LINE object is recorded as soon as LINE
// has it, so a failure half-way leaves the group `failed` with what exists recorded; `sync` again
// (POST /api/richmenus/:id/sync) finishes it without making duplicates, and delete removes whatever
// LINE holds.

export interface RichMenusDeps {
  db: Db;
  channels: ChannelsService;
  line: LineClients;
  publicUrl: string;
  log?: { warn(o: unknown, m?: string): void };
}

/** A LINE change of one group takes seconds; a claim older than this is from a crashed process. */
const BUSY_MS = 5 * 60_000;

type TabRow = Awaited<ReturnType<typeof findTabRows>>[number];

export function rulesError(issues: RichMenuIssue[]): AppError {
  const first = issues[0]!;
  return new AppError(
    400,
    first.code,
    first.message,
    issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
  );
}

/** What LINE said, in words for staff; the status kept for logs. */
export function lineFailure(err: unknown): string {
  if (err instanceof HTTPFetchError) {
    return `LINE がリッチメニューの登録を受け付けませんでした（HTTP ${err.status}）。しばらくしてから再登録してください`;
  }
  return 'LINE に接続できませんでした。しばらくしてから再登録してください';
}

const isStatus = (err: unknown, status: number) => err instanceof HTTPFetchError && err.status === status;

export async function channelClient(deps: RichMenusDeps, channelId: string) {
  const channel = await deps.channels.secrets(channelId);
  if (!channel) throw notFound('チャネル');
  return {
    channel,
    client: deps.line.messaging(channel),
    blob: deps.line.blob(channel),
  };
}

/** Disaster mode of a channel as other modules read it. */
export interface DisasterMode {
  on: true;
  groupId: string;
  groupName: string;
  publicationId: string;
  /** linking: the default is switched, per-user menus follow; ending: being switched off. */
  status: string;
  error: string | null;
  since: Date;
  /** When it switches off by itself (a scheduled end), else null. */
  until: Date | null;
}

/**
 * The channel's live disaster switch, or null (平常). A plain read on the executor it is given: a
 * LINE event handler passes its dispatch transaction (one query on one connection, no group scan).
 */
export async function disasterModeOf(db: Db, channelId: string): Promise<DisasterMode | null> {
  const row = await liveDisasterSwitch(db, channelId);
  if (!row) return null;
  return {
    on: true,
    groupId: row.group_id,
    groupName: row.group_name,
    publicationId: row.id,
    status: row.status,
    error: row.error,
    since: row.created_at,
    until: row.ends_at,
  };
}

/**
 * disasterModeOf for LINE event handlers: read once per dispatch batch in its transaction (every
 * handler of every event of the batch gets the same answer; the next batch reads again).
 */
export const disasterModeInBatch = (trx: Transaction<Database>, channelId: string) =>
  oncePerBatch(trx, `richmenus.disasterMode:${channelId}`, () => disasterModeOf(trx, channelId));

export function createRichMenusService(deps: RichMenusDeps) {
  const { db } = deps;

  async function validate(channel: ChannelSecrets, input: { tabs: TabGroupParsed['tabs'] }) {
    const issues = checkTabGroup(input.tabs);
    issues.push(...(await checkTabImages(db, input.tabs)));
    if (!channel.liffId) {
      for (const [i, t] of input.tabs.entries()) {
        for (const [j, a] of t.areas.entries()) {
          if (a.action.type !== 'liff') continue;
          issues.push({
            code: 'RICHMENU_LIFF_MISSING',
            path: `tabs[${i}].areas[${j}].action`,
            message:
              'このチャネルには LIFF アプリが登録されていません（チャネル設定で LIFF ID を登録してください）',
          });
        }
      }
    }
    if (issues.length > 0) throw rulesError(issues);
  }

  async function saveTabs(trx: Db, groupId: string, tabs: TabGroupParsed['tabs']) {
    for (const [position, tab] of tabs.entries()) {
      const { id: tabId } = await insertTabRow(trx, {
        groupId,
        position,
        label: tab.label,
        chatBarText: tab.chatBarText,
        width: tab.size.width,
        height: tab.size.height,
        image: tab.image,
        aliasId: newAliasId(position),
      });
      await insertAreaRows(
        trx,
        tab.areas.map((a, i) => ({
          tabId,
          position: i,
          x: a.x,
          y: a.y,
          width: a.width,
          height: a.height,
          label: a.label ?? null,
          action: a.action,
        })),
      );
    }
  }

  async function view(id: string): Promise<TabGroupView<Date>> {
    const g = await findGroupRow(db, id);
    if (!g) throw notFound('リッチメニュー');
    const tabs = await findTabRows(db, id);
    const areas = await findAreaRows(
      db,
      tabs.map((t) => t.id),
    );
    const pubs = await publicationRowsOfGroups(db, [id]);
    return {
      id: g.id,
      channelId: g.channel_id,
      name: g.name,
      kind: g.kind,
      status: g.status,
      error: g.error,
      tabs: tabs.map((t) => ({
        id: t.id,
        position: t.position,
        label: t.label,
        chatBarText: t.chat_bar_text,
        size: { width: t.width, height: t.height },
        image: t.image as RichMenuImage,
        onLine: Boolean(t.line_rich_menu_id && t.image_uploaded && t.alias_created),
        areas: areas
          .filter((a) => a.tab_id === t.id)
          .map((a) => ({
            id: a.id,
            x: a.x,
            y: a.y,
            width: a.width,
            height: a.height,
            ...(a.label ? { label: a.label } : {}),
            action: a.action as RichMenuAction,
          })),
      })),
      publications: pubs.map((p) => ({
        id: p.id,
        target: p.target,
        segmentId: p.segment_id,
        from: p.starts_at,
        until: p.ends_at,
        status: p.status,
        linkedCount: p.linked_count,
        error: p.error,
        createdAt: p.created_at,
      })),
      createdAt: g.created_at,
      updatedAt: g.updated_at,
    };
  }

  /** Makes on LINE what is missing: menus, images, aliases. Marks the group ready or failed. */
  /** Runs a LINE change of the group alone: 409 while another one (a second click) runs. */
  async function exclusive<T>(groupId: string, fn: () => Promise<T>): Promise<T> {
    if (!(await claimGroup(db, groupId, BUSY_MS))) {
      if (!(await findGroupRow(db, groupId))) throw notFound('リッチメニュー');
      throw conflict(
        'RICHMENU_BUSY',
        'このリッチメニューは LINE に登録・変更中です。しばらくしてからもう一度お試しください',
      );
    }
    try {
      return await fn();
    } finally {
      await releaseGroup(db, groupId);
    }
  }

  const sync = (groupId: string) => exclusive(groupId, () => syncNow(groupId));

  async function syncNow(groupId: string): Promise<void> {
    const g = await findGroupRow(db, groupId);
    if (!g) throw notFound('リッチメニュー');
    const { channel, client, blob } = await channelClient(deps, g.channel_id);
    const tabs = await findTabRows(db, groupId);
    const areas = await findAreaRows(
      db,
      tabs.map((t) => t.id),
    );
    const ctx = {
      publicUrl: deps.publicUrl,
      liffId: channel.liffId,
      aliasIds: tabs.map((t) => t.line_alias_id),
    };
    const labels = tabs.length > 1 ? tabs.map((t) => t.label) : [];
    try {
      // Menus LINE made for these tabs without us knowing (the answer was lost): removed first.
      await removeOrphans(client, tabs);
      for (const t of tabs) {
        let richMenuId = t.line_rich_menu_id;
        if (!richMenuId) {
          const request = richMenuRequest(
            {
              tabId: t.id,
              groupName: g.name,
              position: t.position,
              label: t.label,
              chatBarText: t.chat_bar_text,
              width: t.width,
              height: t.height,
              areas: areas
                .filter((a) => a.tab_id === t.id)
                .map((a) => ({ ...a, action: a.action as RichMenuAction })),
            },
            ctx,
          );
          richMenuId = (await client.createRichMenu(request)).richMenuId;
          await setTabLine(db, t.id, { line_rich_menu_id: richMenuId, image_uploaded: false });
        }
        if (!t.image_uploaded || !t.line_rich_menu_id) {
          const image = await tabImage(db, { ...t, image: t.image as RichMenuImage }, labels);
          try {
            await blob.setRichMenuImage(
              richMenuId,
              new Blob([new Uint8Array(image.data)], { type: image.contentType }),
            );
          } catch (err) {
            // LINE takes one image per menu: a menu whose upload failed (or is unknown) is made again.
            await client.deleteRichMenu(richMenuId).catch(() => {});
            await setTabLine(db, t.id, { line_rich_menu_id: null, image_uploaded: false });
            throw err;
          }
          await setTabLine(db, t.id, { image_uploaded: true });
        }
        t.line_rich_menu_id = richMenuId;
      }
      for (const t of tabs) {
        if (t.alias_created) continue;
        const request = { richMenuAliasId: t.line_alias_id, richMenuId: t.line_rich_menu_id! };
        try {
          await client.createRichMenuAlias(request);
        } catch (err) {
          // Made before the failure was recorded: point it at the tab's menu.
          if (!isStatus(err, 400)) throw err;
          await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: t.line_rich_menu_id! });
        }
        await setTabLine(db, t.id, { alias_created: true });
      }
      await setGroupStatus(db, groupId, 'ready', null);
    } catch (err) {
      deps.log?.warn({ err, groupId }, 'rich menu: LINE refused part of the tab group; sync retries it');
      await setGroupStatus(db, groupId, 'failed', lineFailure(err));
    }
  }

  /** Deletes menus named for these tabs that we did not record (LINE made them; the answer was lost). */
  async function removeOrphans(client: messagingApi.MessagingApiClient, tabs: TabRow[]) {
    if (!tabs.some((t) => !t.line_rich_menu_id)) return;
    const known = new Set(tabs.map((t) => t.line_rich_menu_id));
    const markers = tabs.filter((t) => !t.line_rich_menu_id).map((t) => menuMarker(t.id));
    for (const m of (await client.getRichMenuList()).richmenus) {
      if (!known.has(m.richMenuId) && markers.some((k) => m.name.endsWith(k))) {
        await client.deleteRichMenu(m.richMenuId).catch((err) => {
          if (!isStatus(err, 404)) throw err;
        });
      }
    }
  }

  /** Removes the group's LINE objects (aliases first, then menus); 404s are already gone. */
  async function removeFromLine(channelId: string, tabs: TabRow[]) {
    const { client } = await channelClient(deps, channelId);
    await removeOrphans(client, tabs);
    for (const t of tabs) {
      // Also when not recorded: LINE may have made it although its answer was lost.
      await client.deleteRichMenuAlias(t.line_alias_id).catch((err) => {
        if (!isStatus(err, 404)) throw err;
      });
      if (t.alias_created) await setTabLine(db, t.id, { alias_created: false });
    }
    for (const t of tabs) {
      if (t.line_rich_menu_id) {
        await client.deleteRichMenu(t.line_rich_menu_id).catch((err) => {
          if (!isStatus(err, 404)) throw err;
        });
        await setTabLine(db, t.id, { line_rich_menu_id: null, image_uploaded: false });
      }
    }
  }

  async function requireUnpublished(groupId: string) {
    if ((await livePublicationsOfGroup(db, groupId)).length > 0) {
      throw conflict(
        'RICHMENU_PUBLISHED',
        '公開中（または公開予約中）のリッチメニューです。公開を終了してから変更・削除してください',
      );
    }
  }

  async function requireChannelSecrets(channelId: string) {
    const channel = await deps.channels.secrets(channelId);
    if (!channel) throw notFound('チャネル');
    return channel;
  }

  return {
    view,
    sync,

    async create(input: TabGroupParsed, createdBy: string | null): Promise<TabGroupView<Date>> {
      const channel = await requireChannelSecrets(input.channelId);
      await validate(channel, input);
      const id = await db.transaction().execute(async (trx) => {
        const { id } = await insertGroupRow(trx, {
          channelId: input.channelId,
          name: input.name,
          kind: input.kind,
          createdBy,
        });
        await saveTabs(trx, id, input.tabs);
        return id;
      });
      await sync(id);
      return view(id);
    },

    async update(id: string, input: Omit<TabGroupParsed, 'channelId'>): Promise<TabGroupView<Date>> {
      const g = await findGroupRow(db, id);
      if (!g) throw notFound('リッチメニュー');
      await requireUnpublished(id);
      const channel = await requireChannelSecrets(g.channel_id);
      await validate(channel, input);
      await exclusive(id, async () => {
        await setGroupStatus(db, id, 'draft', null);
        try {
          await removeFromLine(g.channel_id, await findTabRows(db, id));
        } catch (err) {
          await setGroupStatus(db, id, 'failed', lineFailure(err));
          throw new AppError(502, 'RICHMENU_LINE_FAILED', lineFailure(err));
        }
        await db.transaction().execute(async (trx) => {
          await updateGroupRow(trx, id, { name: input.name, kind: input.kind });
          await deleteTabRows(trx, id);
          await saveTabs(trx, id, input.tabs);
        });
        await syncNow(id);
      });
      return view(id);
    },

    async remove(id: string): Promise<void> {
      const g = await findGroupRow(db, id);
      if (!g) throw notFound('リッチメニュー');
      await requireUnpublished(id);
      await exclusive(id, async () => {
        try {
          await removeFromLine(g.channel_id, await findTabRows(db, id));
        } catch (err) {
          await setGroupStatus(db, id, 'failed', lineFailure(err));
          throw new AppError(502, 'RICHMENU_LINE_FAILED', lineFailure(err));
        }
        await deleteGroupRow(db, id);
      });
    },

    async list(channelId: string | undefined): Promise<TabGroupSummary<Date>[]> {
      const groups = await listGroupRows(db, channelId);
      const pubs = await publicationRowsOfGroups(
        db,
        groups.map((g) => g.id),
      );
      const tabs = await Promise.all(groups.map((g) => findTabRows(db, g.id)));
      return groups.map((g, i) => ({
        id: g.id,
        channelId: g.channel_id,
        name: g.name,
        kind: g.kind,
        status: g.status,
        tabCount: tabs[i]!.length,
        published: pubs.some(
          (p) => p.group_id === g.id && ['linking', 'active', 'ending'].includes(p.status),
        ),
        updatedAt: g.updated_at,
      }));
    },

    /** A tab's image as LINE gets it (the editor's preview). */
    async image(groupId: string, tabId: string) {
      const t = await findTabRow(db, groupId, tabId);
      if (!t) throw notFound('タブ');
      const tabs = await findTabRows(db, groupId);
      return tabImage(
        db,
        { ...t, image: t.image as RichMenuImage },
        tabs.length > 1 ? tabs.map((x) => x.label) : [],
      );
    },

    async taps(groupId: string, from?: string, to?: string): Promise<AreaTapCount[]> {
      if (!(await findGroupRow(db, groupId))) throw notFound('リッチメニュー');
      // Taps are kept over edits (an edit replaces the areas): summed by tab position, area position
      // and label, matched to the current areas; what matches none is reported as earlier.
      const key = (tab: number, area: number, label: string | null) => JSON.stringify([tab, area, label]);
      const sums = new Map(
        (await tapCountRows(db, groupId, from, to)).map((r) => [
          key(r.tab_position, r.area_position, r.area_label),
          r,
        ]),
      );
      const tabs = await findTabRows(db, groupId);
      const areas = await findAreaRows(
        db,
        tabs.map((t) => t.id),
      );
      const current: AreaTapCount[] = [];
      for (const t of tabs) {
        for (const a of areas.filter((x) => x.tab_id === t.id)) {
          const k = key(t.position, a.position, a.label);
          const sum = sums.get(k);
          sums.delete(k);
          current.push({
            tabId: t.id,
            areaId: a.id,
            label: a.label,
            taps: sum ? Number(sum.taps) : 0,
            tabPosition: t.position,
            areaPosition: a.position,
            earlier: false,
          });
        }
      }
      const earlier = [...sums.values()].map((r) => ({
        tabId: tabs.find((t) => t.position === r.tab_position)?.id ?? null,
        areaId: null,
        label: r.area_label,
        taps: Number(r.taps),
        tabPosition: r.tab_position,
        areaPosition: r.area_position,
        earlier: true,
      }));
      return [...current, ...earlier];
    },
  };
}

export type RichMenusService = ReturnType<typeof createRichMenusService>;
export type LineMenuClient = messagingApi.MessagingApiClient;
