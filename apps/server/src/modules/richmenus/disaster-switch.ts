import { HTTPFetchError } from '@line/bot-sdk';
import { DISASTER_UNTIL_MAX_DAYS } from '@madoguchi/contracts/richmenu-constants.ts';
import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { ModuleDeps } from '../define-module.ts';
import { countAudience } from '../segments/segments.service.ts';
import { chunks } from './line-requests.ts';
import {
  activeDefaults,
  aliasedTabsOfChannel,
  clearUserMenus,
  clearUserMenusOf,
  disasterPage,
  disasterStatusOf,
  findGroupRow,
  findPublicationRow,
  findTabRows,
  holdLease,
  insertDisasterRow,
  liveDisasterRow,
  menuOwnership,
  recordKnownMenus,
  setDisasterState,
  setUserMenus,
  transitionPublication,
  wakeWaiting,
  withSwitchLock,
} from './richmenus.repository.ts';
import { channelClient, type RichMenusDeps } from './richmenus.service.ts';

// Disaster mode, server side: one switch points every friend at a prepared `kind=disaster`
// tab group, and switching off puts back exactly what each friend had.
//
// Two steps: prepare (what would happen, and a token valid for 5 minutes, sealed with the server's
// key and bound to the staff member) and confirm (with the token). Exactly one of two concurrent
// switches wins: the switch is a row that a partial unique index allows once per channel.
//
// The work is proportional to the friends who have a per-user menu, not to all friends (200,000
// friends, 20,000 with personal menus: 40 bulk calls instead of 200,000 GETs). A friend without a
// per-user menu sees the default, so the default is enough for them. Per-user menus exist where
//   (a) a segment publication linked one (publications.service.ts),
//   (b) LINE linked one when the friend tapped a tab switch (richmenuswitch; tab-switches.ts records
//       it from the postback), or
//   (c) another tool linked one: we cannot know these without asking LINE per friend, so these
//       friends keep that menu during the disaster (README "Disaster mode"). There is no "read every
//       friend" mode: 200,000 GETs would take minutes and most of LINE's per-channel budget.
// (a) and (b) are kept in `rich_menu_user_menus` (richmenus.repository.ts).
//
// On: the other groups' aliases are re-pointed at the disaster menu (a tab tapped on an old menu
// lands there), it becomes the default, then every friend known to have a per-user menu is recorded
// with that menu as the previous one (from what we know, no GET) and bulk-linked to the disaster
// menu: ≤ 500 user IDs a call, LINK_IN_FLIGHT calls at once (LINE allows 2,000 requests a second per
// channel for bulk link — "other endpoints" in its rate-limit table — so 8 in flight stay far below).
// Why not LINE's batch control (`POST /v2/bot/richmenu/batch`, link from → to) for "on": it would
// do each of our menus in one request, but LINE allows it only 3 requests an hour per channel, runs
// it asynchronously (poll /progress/batch), and it tells us nothing of who it moved — so switching
// off could not give each friend their own menu back, and a second switch within the hour would be
// refused. Bulk link with the user IDs we know keeps the exact restore and stays inside the limits.
// Off: the recorded friends are linked back to their own menu, grouped by menu, ≤ 500 a call
// (unlinked if that menu's publication ended meanwhile or LINE no longer has it); per-user links to
// the disaster menus (tab switches of friends who had none) are removed with one batch unlink; the
// aliases point at their own menus again and the default is what it was.

const TOKEN_MS = 5 * 60_000;
/** Bulk link/unlink calls in flight at once. */
const LINK_IN_FLIGHT = 8;
/** Recorded friends read from the database at a time (keyset pages). */
const PAGE = 5_000;
/** How long a switch-off being done is left alone by the job (renewed every page). */
const LEASE_MS = 60_000;

type Publication = NonNullable<Awaited<ReturnType<typeof findPublicationRow>>>;

/** Runs `fn` over `items`, at most `n` at once; the first failure is thrown once all have settled. */
async function inFlight<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length && failure === null) {
        const item = items[next++]!;
        try {
          await fn(item);
        } catch (err) {
          failure ??= err;
        }
      }
    }),
  );
  if (failure !== null) throw failure;
}

interface Prepared {
  k: 'rm-disaster';
  channelId: string;
  groupId: string | null;
  on: boolean;
  by: string | null;
  exp: number;
  /** Switching on: the scheduled end (ms since the epoch), else null. */
  until?: number | null;
}

const isStatus = (err: unknown, ...statuses: number[]) =>
  err instanceof HTTPFetchError && statuses.includes(err.status);

/** The scheduled end of a switch being turned on: in the future, ≤ 30 days ahead. */
function checkUntil(until: string | undefined, on: boolean, now: number): number | null {
  if (until === undefined) return null;
  const path = 'until';
  if (!on) {
    const message = '自動で平常に戻す日時は、災害用メニューに切り替えるときだけ指定できます';
    throw new AppError(400, 'RICHMENU_DISASTER_UNTIL_OFF', message, [{ path, message }]);
  }
  const at = Date.parse(until);
  if (!(at > now)) {
    const message = '自動で平常に戻す日時は現在より後にしてください';
    throw new AppError(400, 'RICHMENU_SCHEDULE_PAST', message, [{ path, message }]);
  }
  if (at > now + DISASTER_UNTIL_MAX_DAYS * 86_400_000) {
    const message = `自動で平常に戻す日時は ${DISASTER_UNTIL_MAX_DAYS} 日以内にしてください`;
    throw new AppError(400, 'RICHMENU_DISASTER_UNTIL_TOO_FAR', message, [{ path, message }]);
  }
  return at;
}

export const RICHMENU_RUN_JOB = 'richmenus.run';

/**
 * The disaster switch as a module builds it from its deps: the rich menu module for the console, the
 * mail bridge for a switch by e-mail. Runs are asked for through RICHMENU_RUN_JOB; a switch
 * with a scheduled end asks for a run at that time (pg-boss startAfter).
 */
export function disasterSwitchOf(deps: ModuleDeps, log: FastifyBaseLogger) {
  const runAt = (at: Date) => {
    deps.jobs.send(RICHMENU_RUN_JOB, {}, { startAfter: at }).catch((err) => {
      log.warn({ err }, 'rich menu: could not schedule the disaster switch end (the sweep ends it)');
    });
  };
  return createDisasterSwitch({
    db: deps.db,
    channels: deps.channels,
    line: deps.line,
    publicUrl: deps.config.PUBLIC_URL,
    log,
    cipher: deps.cipher,
    runNow: deps.trigger(RICHMENU_RUN_JOB, 50),
    runAt,
  });
}

export function createDisasterSwitch(
  deps: RichMenusDeps & { cipher: Cipher; runNow: () => void; runAt?: (at: Date) => void },
) {
  const { db } = deps;

  async function firstMenu(groupId: string) {
    const tabs = await findTabRows(db, groupId);
    const first = tabs[0]?.line_rich_menu_id;
    if (!first) throw new Error('disaster group has no LINE menu');
    return { first, menus: tabs.map((t) => t.line_rich_menu_id).filter((m): m is string => !!m) };
  }

  /** The disaster group's own tabs with a LINE alias. */
  const ownAliases = async (groupId: string) =>
    (await findTabRows(db, groupId)).filter((t) => t.alias_created && t.line_rich_menu_id);

  /**
   * The shared part of "on" (idempotent): the other groups' aliases re-pointed at the disaster menu,
   * the disaster group's own aliases at its own menus again (a switch-off pointed them away, below),
   * the disaster menu as the default.
   */
  async function pointShared(p: Publication) {
    const { client } = await channelClient(deps, p.channel_id);
    const { first } = await firstMenu(p.group_id);
    for (const t of await ownAliases(p.group_id)) {
      await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: t.line_rich_menu_id! });
    }
    for (const t of await aliasedTabsOfChannel(db, p.channel_id, p.group_id)) {
      await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: first });
    }
    await client.setDefaultRichMenu(first);
  }

  /** Job step of a switch being turned on: record the known per-user menus, then link them. */
  const link = (p: Publication) => withSwitchLock(db, p.id, () => linkLocked(p));
  async function linkLocked(p: Publication) {
    // Switched off meanwhile (the lock waited for it): nothing to point at the disaster menu.
    if ((await disasterStatusOf(db, p.id)) !== 'linking') return;
    await pointShared(p);
    const { client } = await channelClient(deps, p.channel_id);
    const { first, menus } = await firstMenu(p.group_id);
    // After the aliases are re-pointed (a tab tapped from now on links the disaster menu).
    await recordKnownMenus(db, p.id, p.channel_id, menus);
    let after = '';
    for (;;) {
      // Switched off meanwhile: stop; the switch-off puts back what was linked.
      if ((await disasterStatusOf(db, p.id)) !== 'linking') return;
      const rows = await disasterPage(db, p.id, ['superseded'], after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.line_user_id;
      await inFlight(chunks(rows.map((r) => r.line_user_id)), LINK_IN_FLIGHT, async (userIds) => {
        await client.linkRichMenuIdToUsers({ richMenuId: first, userIds });
        await setDisasterState(db, p.id, userIds, 'linked');
        await setUserMenus(db, p.channel_id, userIds, first, 'disaster');
      });
    }
    await transitionPublication(db, p.id, ['linking'], 'active', {
      error: null,
      attempts: 0,
      next_attempt_at: null,
    });
  }

  /**
   * Job step of a switch being turned off: everything put back as it was. Waits for a linking still
   * under way (it stops after its current page), so no bulk link lands after a friend's restore.
   */
  const finish = (p: Publication) => withSwitchLock(db, p.id, () => finishLocked(p));
  async function finishLocked(p: Publication) {
    if ((await disasterStatusOf(db, p.id)) !== 'ending') return; // finished by another worker
    const { client } = await channelClient(deps, p.channel_id);
    const owners = new Map<string, Promise<{ ours: boolean; live: boolean }>>();
    const ownerOf = (menu: string) => {
      let o = owners.get(menu);
      if (!o) {
        o = menuOwnership(db, menu);
        owners.set(menu, o);
      }
      return o;
    };
    const unlink = async (userIds: string[]) => {
      await client.unlinkRichMenuIdFromUsers({ userIds });
      await clearUserMenus(db, p.channel_id, userIds);
    };
    // Linked ones, and superseded ones too (a switch-off while linking: some may be linked already).
    let after = '';
    for (;;) {
      await holdLease(db, p.id, LEASE_MS); // a long switch-off is not started twice by the sweep
      const rows = await disasterPage(db, p.id, ['linked', 'superseded'], after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.line_user_id;
      const byMenu = new Map<string, string[]>();
      const none = rows.filter((r) => !r.previous_rich_menu_id).map((r) => r.line_user_id);
      if (none.length > 0) await setDisasterState(db, p.id, none, 'restored'); // nothing to give back
      for (const r of rows) {
        if (!r.previous_rich_menu_id) continue;
        const list = byMenu.get(r.previous_rich_menu_id);
        if (list) list.push(r.line_user_id);
        else byMenu.set(r.previous_rich_menu_id, [r.line_user_id]);
      }
      const calls = [...byMenu].flatMap(([richMenuId, ids]) =>
        chunks(ids).map((userIds) => ({ richMenuId, userIds })),
      );
      await inFlight(calls, LINK_IN_FLIGHT, async ({ richMenuId, userIds }) => {
        // One of our menus whose publication ended meanwhile: not given back (no per-user menu).
        const owner = await ownerOf(richMenuId);
        if (owner.ours && !owner.live) await unlink(userIds);
        else {
          try {
            await client.linkRichMenuIdToUsers({ richMenuId, userIds });
            await setUserMenus(db, p.channel_id, userIds, richMenuId, 'restored');
          } catch (err) {
            // Their menu is gone from LINE meanwhile: no per-user menu then (the default shows).
            if (!isStatus(err, 400, 404)) throw err;
            await unlink(userIds);
          }
        }
        await setDisasterState(db, p.id, userIds, 'restored');
      });
    }
    for (const t of await aliasedTabsOfChannel(db, p.channel_id, p.group_id)) {
      await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: t.line_rich_menu_id! });
    }
    const shown = (await activeDefaults(db, p.channel_id))[0];
    const shownMenu = shown ? (await findTabRows(db, shown.group_id))[0]?.line_rich_menu_id : null;
    const back = shownMenu ?? p.previous_default;
    let restored: string | null = null;
    if (back) {
      try {
        await client.setDefaultRichMenu(back);
        restored = back;
      } catch (err) {
        if (!isStatus(err, 400, 404)) throw err;
        await client.cancelDefaultRichMenu();
      }
    } else {
      await client.cancelDefaultRichMenu();
    }
    // After the switch-off a friend may still have a disaster menu on screen (LINE's client keeps it
    // until the chat is reopened) and tap one of its tabs: richmenuswitch would link the disaster
    // tab's menu to them, a per-user link outranking the default that nothing removes (tab-switches.ts
    // records no tab of a group not shown). So the disaster group's own aliases are re-pointed at
    // the menu shown now (the restored default): such a tap lands there instead, and the next switch
    // on points them back (pointShared). Chosen over unlinking the friend on that postback: the
    // postback is handled after LINE linked (the disaster menu would show until then), and a LINE
    // call does not belong in the dispatch transaction. With no default to point at (none before
    // the switch) the aliases are left as they are (README "Disaster mode", not covered).
    if (restored) {
      for (const t of await ownAliases(p.group_id)) {
        await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: restored });
      }
    }
    // Then the per-user links to the disaster menus (tab switches meanwhile) are removed: after the
    // re-pointing, so a stale tap before it is removed too.
    const { menus } = await firstMenu(p.group_id);
    await client.richMenuBatch({ operations: menus.map((from) => ({ type: 'unlink' as const, from })) });
    await clearUserMenusOf(db, p.channel_id, menus);
    await transitionPublication(db, p.id, ['ending'], 'ended', { error: null, next_attempt_at: null });
    // Once more: a tab switch to a disaster tab handled while this ran (tab-switches.ts records none
    // from now on).
    await clearUserMenusOf(db, p.channel_id, menus);
    await wakeWaiting(db, p.channel_id);
    deps.runNow();
  }

  /**
   * The scheduled end (X-01, `until` at switch-on), from the job once `ends_at` has passed: claimed
   * like a manual switch-off (one worker wins), done by the same `finish` (each friend's menu back
   * exactly), audited as richmenu.disaster-scheduled-end (no staff member: the system did it).
   */
  async function endScheduled(p: Publication, now: Date) {
    if (!p.ends_at || p.ends_at > now) return;
    const claimed = await transitionPublication(db, p.id, ['linking', 'active'], 'ending', {
      next_attempt_at: new Date(now.getTime() + LEASE_MS),
    });
    if (!claimed) return;
    await recordAudit(db, {
      accountId: null,
      loginId: 'system',
      ip: null,
      action: 'richmenu.disaster-scheduled-end',
      result: 'success',
      targetType: 'richmenu',
      targetId: p.group_id,
      detail: { publicationId: p.id, until: p.ends_at.toISOString() },
    });
    try {
      await finish(claimed);
    } catch {
      await holdLease(db, claimed.id, 0); // retried by the job (status ending)
      deps.runNow();
    }
  }

  return {
    link,
    finish,
    endScheduled,
    live: (channelId: string) => liveDisasterRow(db, channelId),

    async prepare(
      input: { channelId: string; groupId?: string | undefined; on: boolean; until?: string | undefined },
      staffId: string | null,
    ) {
      if (!(await deps.channels.secrets(input.channelId))) throw notFound('チャネル');
      const until = checkUntil(input.until, input.on, Date.now());
      const live = await liveDisasterRow(db, input.channelId);
      let groupName: string | null = null;
      if (input.on) {
        if (!input.groupId) {
          throw new AppError(
            400,
            'RICHMENU_DISASTER_GROUP_REQUIRED',
            '切り替える災害用メニューを選んでください',
            [{ path: 'groupId', message: '災害用メニューを選んでください' }],
          );
        }
        const g = await findGroupRow(db, input.groupId);
        if (!g || g.channel_id !== input.channelId) throw notFound('リッチメニュー');
        if (g.kind !== 'disaster') {
          throw new AppError(
            400,
            'RICHMENU_NOT_DISASTER',
            '災害用（kind=disaster）のメニューを選んでください',
          );
        }
        if (g.status !== 'ready') {
          throw conflict(
            'RICHMENU_NOT_READY',
            'LINE への登録が終わっていません。再登録してから切り替えてください',
          );
        }
        if (live) throw conflict('RICHMENU_DISASTER_ACTIVE', 'すでに災害用メニューに切り替わっています');
        groupName = g.name;
      } else if (!live) {
        throw conflict('RICHMENU_DISASTER_NOT_ACTIVE', '災害用メニューには切り替わっていません');
      }
      const payload: Prepared = {
        k: 'rm-disaster',
        channelId: input.channelId,
        groupId: input.on ? input.groupId! : live!.group_id,
        on: input.on,
        by: staffId,
        exp: Date.now() + TOKEN_MS,
        until,
      };
      return {
        token: deps.cipher.encrypt(JSON.stringify(payload)),
        expiresAt: new Date(payload.exp),
        on: input.on,
        groupId: payload.groupId,
        groupName,
        friends: await countAudience(db, input.channelId, null),
        until: until === null ? null : new Date(until),
      };
    },

    async confirm(token: string, staffId: string | null) {
      let p: Prepared;
      try {
        p = JSON.parse(deps.cipher.decrypt(token)) as Prepared;
      } catch {
        throw new AppError(
          400,
          'RICHMENU_DISASTER_TOKEN',
          '確認用トークンが正しくありません。もう一度準備からやり直してください',
        );
      }
      if (p.k !== 'rm-disaster' || p.by !== staffId || p.exp < Date.now()) {
        throw new AppError(
          400,
          'RICHMENU_DISASTER_TOKEN',
          '確認用トークンの期限が切れたか、別の操作のものです。もう一度準備からやり直してください',
        );
      }
      if (p.on) {
        const { client } = await channelClient(deps, p.channelId);
        // What the default goes back to when no default publication is active at switch-off: the
        // one before our publications (as they record it), else what LINE shows now.
        const shown = (await activeDefaults(db, p.channelId))[0];
        let previous: string | null = shown ? shown.previous_default : null;
        if (!shown) {
          try {
            previous = (await client.getDefaultRichMenuId()).richMenuId;
          } catch (err) {
            if (!isStatus(err, 404))
              throw new AppError(502, 'RICHMENU_LINE_FAILED', 'LINE に接続できませんでした');
          }
        }
        const row = await insertDisasterRow(db, {
          groupId: p.groupId!,
          channelId: p.channelId,
          previousDefault: previous,
          createdBy: staffId,
          // A scheduled end already passed (the token lived up to 5 minutes): ends at the next run.
          endsAt: p.until ? new Date(p.until) : null,
        });
        if (!row) throw conflict('RICHMENU_DISASTER_ACTIVE', 'すでに災害用メニューに切り替わっています');
        try {
          // The default at once; the known per-user menus by the job. Under the lock: a switch-off
          // claimed meanwhile is not undone by re-pointing after it.
          await withSwitchLock(db, row.id, async () => {
            if ((await disasterStatusOf(db, row.id)) === 'linking') await pointShared(row);
          });
        } catch {
          // Retried by the job.
        }
        deps.runNow();
        // The job runs at the scheduled end (the minute sweep is the fallback).
        if (row.ends_at) deps.runAt?.(row.ends_at);
        return (await findPublicationRow(db, row.id))!;
      }
      const live = await liveDisasterRow(db, p.channelId);
      // Held for this request (the job takes it over when the lease runs out or this fails).
      const claimed =
        live &&
        (await transitionPublication(db, live.id, ['linking', 'active'], 'ending', {
          next_attempt_at: new Date(Date.now() + LEASE_MS),
        }));
      if (!claimed) throw conflict('RICHMENU_DISASTER_NOT_ACTIVE', '災害用メニューには切り替わっていません');
      try {
        await finish(claimed);
      } catch {
        await holdLease(db, claimed.id, 0);
        deps.runNow(); // the job finishes it
      }
      return (await findPublicationRow(db, claimed.id))!;
    },
  };
}

export type DisasterSwitch = ReturnType<typeof createDisasterSwitch>;
