import { HTTPFetchError } from '@line/bot-sdk';
import type { PublishRequest } from '@madoguchi/contracts/richmenus.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { audienceQuery, segmentTree } from '../segments/segments.service.ts';
import {
  activeDefaults,
  clearUserMenus,
  clearUserMenusOf,
  countLinked,
  duePublicationRows,
  findGroupRow,
  findPublicationRow,
  findTabRows,
  handOver,
  insertPublicationRow,
  insertUserLinks,
  livePublicationsOfGroup,
  markLinked,
  markRestored,
  publicationFirstMenu,
  retryLater,
  setUserMenus,
  transitionPublication,
  userLinkRows,
} from './richmenus.repository.ts';
import { channelClient, lineFailure, type RichMenusDeps } from './richmenus.service.ts';

// Publishing a ready tab group (M-01, M-03): as the channel's default menu, or linked to the friends
// of a segment (LINE's bulk link, ≤ 500 user IDs a call), now or from/until a schedule. A cron and
// a triggered job move publications along: scheduled → (linking →) active → ending → ended. Every
// move is a conditional update, so two workers never do the same step twice.
//
// Restoring exactly what was there before:
// - default: the default LINE showed before our first publication is kept (`previous_default`);
//   ending the publication shown shows the next newest active default publication, else that one.
//   Friends who tapped a tab hold a per-user link to one of the group's menus (that is how
//   richmenuswitch works), which outranks any default: those links are removed with LINE's batch
//   unlink ("from" each tab's menu) whenever the group stops being the default.
// - segment: every link we make is recorded with the live publication it covered for that friend;
//   ending links each friend back to that publication's menu, or unlinks them (→ the default).
// Every link and unlink here also updates `rich_menu_user_menus` (each friend's per-user menu as far
// as we know), which the disaster switch links and restores from.

const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 2_000;

type Publication = NonNullable<Awaited<ReturnType<typeof findPublicationRow>>>;

export interface DisasterSteps {
  link(p: Publication): Promise<void>;
  finish(p: Publication): Promise<void>;
  endScheduled(p: Publication, now: Date): Promise<void>;
  live(channelId: string): Promise<unknown>;
}

export function createPublicationsService(
  deps: RichMenusDeps & { runNow: () => void; retryBaseMs?: number; disaster?: DisasterSteps },
) {
  const { db } = deps;
  const retryBase = deps.retryBaseMs ?? RETRY_BASE_MS;

  async function tabMenus(groupId: string): Promise<string[]> {
    return (await findTabRows(db, groupId))
      .map((t) => t.line_rich_menu_id)
      .filter((id): id is string => !!id);
  }

  /** Removes the per-user links to the group's menus that tab switching made (LINE batch unlink). */
  async function unlinkSwitchers(channelId: string, groupId: string) {
    const menus = await tabMenus(groupId);
    if (menus.length === 0) return;
    const { client } = await channelClient(deps, channelId);
    await client.richMenuBatch({ operations: menus.map((from) => ({ type: 'unlink' as const, from })) });
    await clearUserMenusOf(db, channelId, menus);
  }

  async function failLater(p: Publication, err: unknown) {
    const attempts = p.attempts + 1;
    const error = lineFailure(err);
    deps.log?.warn({ err, publicationId: p.id, attempts }, 'rich menu publication: LINE call failed');
    if (attempts >= MAX_ATTEMPTS && p.status === 'linking') {
      await transitionPublication(db, p.id, ['linking'], 'failed', { attempts, error });
      return;
    }
    await retryLater(db, p.id, attempts, new Date(Date.now() + retryBase * 2 ** (attempts - 1)), error);
  }

  async function activateDefault(p: Publication) {
    const menus = await tabMenus(p.group_id);
    const first = menus[0];
    if (!first) throw new Error('tab group has no LINE menu');
    const { client } = await channelClient(deps, p.channel_id);
    const shown = (await activeDefaults(db, p.channel_id))[0];
    let previous: string | null;
    if (shown) previous = shown.previous_default;
    else {
      try {
        previous = (await client.getDefaultRichMenuId()).richMenuId;
      } catch (err) {
        if (!(err instanceof HTTPFetchError && err.status === 404)) throw err;
        previous = null;
      }
    }
    await client.setDefaultRichMenu(first);
    if (shown) await unlinkSwitchers(p.channel_id, shown.group_id);
    await transitionPublication(db, p.id, ['scheduled'], 'active', {
      activated_at: new Date(),
      previous_default: previous,
      error: null,
      attempts: 0,
      next_attempt_at: null,
    });
  }

  async function endDefault(p: Publication) {
    const { client } = await channelClient(deps, p.channel_id);
    // p is `ending` now, so the active ones are the others; p is shown unless a newer one is.
    const others = await activeDefaults(db, p.channel_id);
    const newer = others.some((o) => o.activated_at && p.activated_at && o.activated_at > p.activated_at);
    const disasterShown = Boolean(await deps.disaster?.live(p.channel_id));
    if (!newer && !disasterShown) {
      const next = others[0];
      if (next) {
        const menus = await tabMenus(next.group_id);
        if (menus[0]) await client.setDefaultRichMenu(menus[0]);
      } else if (p.previous_default) {
        try {
          await client.setDefaultRichMenu(p.previous_default);
        } catch (err) {
          // The menu shown before is gone from LINE: no default then.
          if (!(err instanceof HTTPFetchError && (err.status === 404 || err.status === 400))) throw err;
          await client.cancelDefaultRichMenu();
        }
      } else {
        await client.cancelDefaultRichMenu();
      }
    }
    await unlinkSwitchers(p.channel_id, p.group_id);
  }

  async function linkSegment(p: Publication) {
    const menus = await tabMenus(p.group_id);
    const first = menus[0];
    if (!first) throw new Error('tab group has no LINE menu');
    const { client } = await channelClient(deps, p.channel_id);
    for (;;) {
      const rows = await userLinkRows(db, p.id, 'pending', 500);
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.line_user_id);
      await client.linkRichMenuIdToUsers({ richMenuId: first, userIds: ids });
      await markLinked(db, p.id, ids);
      await setUserMenus(db, p.channel_id, ids, first, 'segment');
    }
    await transitionPublication(db, p.id, ['linking'], 'active', {
      activated_at: new Date(),
      linked_count: await countLinked(db, p.id),
      error: null,
      attempts: 0,
      next_attempt_at: null,
    });
  }

  async function unlinkSegment(p: Publication) {
    const { client } = await channelClient(deps, p.channel_id);
    // The menu each covered publication gives back (one lookup per publication, not per friend).
    const previousMenus = new Map<string, string | null>();
    for (;;) {
      const rows = await userLinkRows(db, p.id, 'linked', 500);
      if (rows.length === 0) break;
      // Back to the menu of the live publication each friend came from, else no per-user menu.
      const byTarget = new Map<string | null, { userId: string; previous: string | null }[]>();
      for (const r of rows) {
        let target: string | null = null;
        if (r.previous_publication_id) {
          let menu = previousMenus.get(r.previous_publication_id);
          if (menu === undefined) {
            const prev = await publicationFirstMenu(db, r.previous_publication_id);
            menu = prev && ['linking', 'active'].includes(prev.status) ? prev.line_rich_menu_id : null;
            previousMenus.set(r.previous_publication_id, menu);
          }
          target = menu;
        }
        const list = byTarget.get(target) ?? [];
        list.push({ userId: r.line_user_id, previous: target ? r.previous_publication_id : null });
        byTarget.set(target, list);
      }
      for (const [target, users] of byTarget) {
        const userIds = users.map((u) => u.userId);
        if (target) {
          await client.linkRichMenuIdToUsers({ richMenuId: target, userIds });
          await setUserMenus(db, p.channel_id, userIds, target, 'segment');
        } else {
          await client.unlinkRichMenuIdFromUsers({ userIds });
          await clearUserMenus(db, p.channel_id, userIds);
        }
        await markRestored(db, p.id, users);
      }
    }
    await handOver(db, p.id);
  }

  /** One step of a due publication; LINE failures are retried later (backoff). */
  async function step(p: Publication, now: Date) {
    try {
      if (p.target === 'disaster') {
        // A scheduled end that has come: switched off as by staff.
        if (['linking', 'active'].includes(p.status) && p.ends_at && p.ends_at <= now) {
          await deps.disaster?.endScheduled(p, now);
        } else if (p.status === 'linking') await deps.disaster?.link(p);
        else if (p.status === 'ending') await deps.disaster?.finish(p);
        return;
      }
      // While the disaster menu is shown, normal publications wait (they would hide it), and so does
      // ending a segment one (unlinking its friends would take the disaster menu away from them).
      // A default one may end: the switch-off restores the default from the ones still active.
      const waits =
        ['scheduled', 'linking'].includes(p.status) ||
        (p.target === 'segment' && ['active', 'ending'].includes(p.status));
      if (waits && (await deps.disaster?.live(p.channel_id))) {
        await retryLater(
          db,
          p.id,
          p.attempts,
          new Date(now.getTime() + 60_000),
          '災害用メニューの表示中のため待機しています',
        );
        return;
      }
      if (p.status === 'scheduled') {
        if (p.ends_at && p.ends_at <= now) {
          await transitionPublication(db, p.id, ['scheduled'], 'cancelled', { error: null });
          return;
        }
        if (p.target === 'default') await activateDefault(p);
        else if (p.target === 'segment') {
          const claimed = await transitionPublication(db, p.id, ['scheduled'], 'linking', { attempts: 0 });
          if (!claimed) return;
          const tree = await segmentTree(db, p.segment_id!, p.channel_id);
          const friends = await (await audienceQuery(db, p.channel_id, tree)).execute();
          await insertUserLinks(
            db,
            p.id,
            friends.map((f) => f.line_user_id),
          );
          await linkSegment(claimed);
        }
      } else if (p.status === 'linking') {
        await linkSegment(p);
      } else if (p.status === 'active') {
        const claimed = await transitionPublication(db, p.id, ['active'], 'ending');
        if (claimed) await finish(claimed);
      } else if (p.status === 'ending') {
        await finish(p);
      }
    } catch (err) {
      const fresh = await findPublicationRow(db, p.id);
      if (fresh) await failLater(fresh, err);
    }
  }

  async function finish(p: Publication) {
    if (p.target === 'default') await endDefault(p);
    else await unlinkSegment(p);
    await transitionPublication(db, p.id, ['ending'], 'ended', { error: null, next_attempt_at: null });
  }

  let running: Promise<void> | null = null;

  /** Every due step (the cron and the trigger call this; one run at a time per process). */
  async function run(now = new Date()): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        for (const p of await duePublicationRows(db, now)) await step(p, now);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    run,

    async publish(groupId: string, req: PublishRequest, createdBy: string | null) {
      const g = await findGroupRow(db, groupId);
      if (!g) throw notFound('リッチメニュー');
      // A disaster group is shown only by the disaster switch: as a default or segment menu
      // it would be taken for disaster mode and the switch-off would not restore around it.
      if (g.kind === 'disaster') {
        throw new AppError(
          400,
          'RICHMENU_DISASTER_GROUP_NOT_PUBLISHABLE',
          '災害用メニューは災害モードの切り替えでのみ表示できます',
        );
      }
      if (g.status !== 'ready') {
        throw conflict(
          'RICHMENU_NOT_READY',
          'LINE への登録が終わっていません。再登録してから公開してください',
        );
      }
      if (g.busy_until && g.busy_until > new Date()) {
        throw conflict(
          'RICHMENU_BUSY',
          'このリッチメニューは LINE に登録・変更中です。しばらくしてからもう一度お試しください',
        );
      }
      if (await deps.disaster?.live(g.channel_id)) {
        throw conflict(
          'RICHMENU_DISASTER_ACTIVE',
          '災害用メニューの表示中は公開できません。災害用メニューを解除してから公開してください',
        );
      }
      if ((await livePublicationsOfGroup(db, groupId)).length > 0) {
        throw conflict('RICHMENU_ALREADY_PUBLISHED', 'このリッチメニューは公開中（または公開予約中）です');
      }
      const now = new Date();
      const from = req.from ? new Date(req.from) : null;
      const until = req.until ? new Date(req.until) : null;
      if (until && until <= now) {
        throw new AppError(400, 'RICHMENU_SCHEDULE_PAST', '終了日時は現在より後にしてください', [
          { path: 'until', message: '終了日時は現在より後にしてください' },
        ]);
      }
      if (req.target === 'segment') await segmentTree(db, req.segmentId, g.channel_id); // 404 when unknown
      const p = await insertPublicationRow(db, {
        groupId,
        channelId: g.channel_id,
        target: req.target,
        segmentId: req.target === 'segment' ? req.segmentId : null,
        startsAt: from,
        endsAt: until,
        status: 'scheduled',
        createdBy,
      });
      // A default that starts now is switched before answering; friends of a segment are linked
      // by the job (a segment can hold 200,000 friends).
      if (req.target === 'default' && (!from || from <= now)) await step(p, now);
      else deps.runNow();
      return (await findPublicationRow(db, p.id))!;
    },

    async unpublish(publicationId: string) {
      const p = await findPublicationRow(db, publicationId);
      if (!p) throw notFound('公開設定');
      const cancelled = await transitionPublication(db, p.id, ['scheduled'], 'cancelled');
      if (!cancelled) {
        const claimed = await transitionPublication(db, p.id, ['linking', 'active', 'failed'], 'ending', {
          attempts: 0,
          next_attempt_at: null,
        });
        if (!claimed) {
          if (p.status === 'ending') return p;
          throw conflict('RICHMENU_NOT_PUBLISHED', 'この公開はすでに終了しています');
        }
        if (p.target === 'default') await step(claimed, new Date());
        else deps.runNow();
      }
      return (await findPublicationRow(db, p.id))!;
    },

    get: async (id: string, groupId?: string) => {
      const p = await findPublicationRow(db, id);
      if (!p || (groupId && p.group_id !== groupId)) throw notFound('公開設定');
      return p;
    },
  };
}

export type PublicationsService = ReturnType<typeof createPublicationsService>;
