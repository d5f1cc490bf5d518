import { HTTPFetchError } from '@line/bot-sdk';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { audienceQuery } from '../segments/segments.service.ts';
import {
  activeDefaults,
  aliasedTabsOfChannel,
  disasterRows,
  findGroupRow,
  findPublicationRow,
  findTabRows,
  insertDisasterFriends,
  insertDisasterRow,
  liveDisasterRow,
  menuOwnership,
  recordPreviousMenus,
  setDisasterState,
  transitionPublication,
  userLinkRows,
  wakeWaiting,
} from './richmenus.repository.ts';
import { channelClient, type RichMenusDeps } from './richmenus.service.ts';

// Disaster mode, server side: one switch points every friend at a prepared `kind=disaster`
// tab group, and switching off puts back exactly what each friend had.
//
// Two steps: prepare (what would happen, and a token valid for 5 minutes, sealed with the server's
// key and bound to the staff member) and confirm (with the token). Exactly one of two concurrent
// switches wins: the switch is a row that a partial unique index allows once per channel.
//
// On: the other groups' aliases are re-pointed at the disaster menu (a tab tapped on an old menu
// lands there), it becomes the default, and — LINE's pitfall — every friend with a per-user menu
// (which outranks any default) is read (GET user/{id}/richmenu), recorded, and bulk-linked to it.
// Off: those friends are linked back to their own menu (unlinked if LINE no longer has it), per-user
// links to the disaster menus (tab switches of friends who had none) are removed with LINE's batch
// unlink, aliases point at their own menus again, and the default is what it was.

const TOKEN_MS = 5 * 60_000;
const READ_CONCURRENCY = 10;

type Publication = NonNullable<Awaited<ReturnType<typeof findPublicationRow>>>;

interface Prepared {
  k: 'rm-disaster';
  channelId: string;
  groupId: string | null;
  on: boolean;
  by: string | null;
  exp: number;
}

const isStatus = (err: unknown, ...statuses: number[]) =>
  err instanceof HTTPFetchError && statuses.includes(err.status);

export function createDisasterSwitch(deps: RichMenusDeps & { cipher: Cipher; runNow: () => void }) {
  const { db } = deps;

  async function firstMenu(groupId: string) {
    const tabs = await findTabRows(db, groupId);
    const first = tabs[0]?.line_rich_menu_id;
    if (!first) throw new Error('disaster group has no LINE menu');
    return { first, menus: tabs.map((t) => t.line_rich_menu_id).filter((m): m is string => !!m) };
  }

  /** The shared part of "on" (idempotent): aliases re-pointed, the disaster menu as the default. */
  async function pointShared(p: Publication) {
    const { client } = await channelClient(deps, p.channel_id);
    const { first } = await firstMenu(p.group_id);
    for (const t of await aliasedTabsOfChannel(db, p.channel_id, p.group_id)) {
      await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: first });
    }
    await client.setDefaultRichMenu(first);
  }

  /** Job step of a switch being turned on: read and record per-user menus, then link them. */
  async function link(p: Publication) {
    await pointShared(p);
    const { client } = await channelClient(deps, p.channel_id);
    const { first } = await firstMenu(p.group_id);
    for (;;) {
      const pending = await userLinkRows(db, p.id, 'pending', 500);
      if (pending.length === 0) break;
      const read: { userId: string; previous: string | null }[] = [];
      for (let i = 0; i < pending.length; i += READ_CONCURRENCY) {
        const batch = pending.slice(i, i + READ_CONCURRENCY);
        read.push(
          ...(await Promise.all(
            batch.map(async (r) => {
              try {
                return {
                  userId: r.line_user_id,
                  previous: (await client.getRichMenuIdOfUser(r.line_user_id)).richMenuId,
                };
              } catch (err) {
                if (!isStatus(err, 404)) throw err;
                return { userId: r.line_user_id, previous: null };
              }
            }),
          )),
        );
      }
      await recordPreviousMenus(db, p.id, read);
    }
    for (;;) {
      const rows = await disasterRows(db, p.id, 'superseded', 500);
      if (rows.length === 0) break;
      const userIds = rows.map((r) => r.line_user_id);
      await client.linkRichMenuIdToUsers({ richMenuId: first, userIds });
      await setDisasterState(db, p.id, userIds, 'linked');
    }
    await transitionPublication(db, p.id, ['linking'], 'active', {
      error: null,
      attempts: 0,
      next_attempt_at: null,
    });
  }

  /** Job step of a switch being turned off: everything put back as it was. */
  async function finish(p: Publication) {
    const { client } = await channelClient(deps, p.channel_id);
    for (const state of ['linked', 'superseded'] as const) {
      for (;;) {
        const rows = await disasterRows(db, p.id, state, 500);
        if (rows.length === 0) break;
        if (state === 'linked') {
          const byMenu = new Map<string, string[]>();
          for (const r of rows)
            byMenu.set(r.previous_rich_menu_id!, [
              ...(byMenu.get(r.previous_rich_menu_id!) ?? []),
              r.line_user_id,
            ]);
          for (const [richMenuId, userIds] of byMenu) {
            // One of our menus whose publication ended meanwhile: not given back (no per-user menu).
            const owner = await menuOwnership(db, richMenuId);
            if (owner.ours && !owner.live) {
              await client.unlinkRichMenuIdFromUsers({ userIds });
              continue;
            }
            try {
              await client.linkRichMenuIdToUsers({ richMenuId, userIds });
            } catch (err) {
              // Their menu is gone from LINE meanwhile: no per-user menu then (the default shows).
              if (!isStatus(err, 400, 404)) throw err;
              await client.unlinkRichMenuIdFromUsers({ userIds });
            }
          }
        }
        await setDisasterState(
          db,
          p.id,
          rows.map((r) => r.line_user_id),
          'restored',
        );
      }
    }
    const { menus } = await firstMenu(p.group_id);
    await client.richMenuBatch({ operations: menus.map((from) => ({ type: 'unlink' as const, from })) });
    for (const t of await aliasedTabsOfChannel(db, p.channel_id, p.group_id)) {
      await client.updateRichMenuAlias(t.line_alias_id, { richMenuId: t.line_rich_menu_id! });
    }
    const shown = (await activeDefaults(db, p.channel_id))[0];
    const shownMenu = shown ? (await findTabRows(db, shown.group_id))[0]?.line_rich_menu_id : null;
    const back = shownMenu ?? p.previous_default;
    if (back) {
      try {
        await client.setDefaultRichMenu(back);
      } catch (err) {
        if (!isStatus(err, 400, 404)) throw err;
        await client.cancelDefaultRichMenu();
      }
    } else {
      await client.cancelDefaultRichMenu();
    }
    await transitionPublication(db, p.id, ['ending'], 'ended', { error: null, next_attempt_at: null });
    await wakeWaiting(db, p.channel_id);
    deps.runNow();
  }

  async function following(channelId: string) {
    return (await (await audienceQuery(db, channelId, null)).execute()).map((f) => f.line_user_id);
  }

  return {
    link,
    finish,
    live: (channelId: string) => liveDisasterRow(db, channelId),

    async prepare(
      input: { channelId: string; groupId?: string | undefined; on: boolean },
      staffId: string | null,
    ) {
      if (!(await deps.channels.secrets(input.channelId))) throw notFound('チャネル');
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
      };
      return {
        token: deps.cipher.encrypt(JSON.stringify(payload)),
        expiresAt: new Date(payload.exp),
        on: input.on,
        groupId: payload.groupId,
        groupName,
        friends: (await following(input.channelId)).length,
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
        });
        if (!row) throw conflict('RICHMENU_DISASTER_ACTIVE', 'すでに災害用メニューに切り替わっています');
        await insertDisasterFriends(db, row.id, await following(p.channelId));
        try {
          await pointShared(row); // the default at once; per-user menus by the job
        } catch {
          // Retried by the job.
        }
        deps.runNow();
        return (await findPublicationRow(db, row.id))!;
      }
      const live = await liveDisasterRow(db, p.channelId);
      const claimed = live && (await transitionPublication(db, live.id, ['linking', 'active'], 'ending'));
      if (!claimed) throw conflict('RICHMENU_DISASTER_NOT_ACTIVE', '災害用メニューには切り替わっていません');
      try {
        await finish(claimed);
      } catch {
        deps.runNow(); // the job finishes it
      }
      return (await findPublicationRow(db, claimed.id))!;
    },
  };
}

export type DisasterSwitch = ReturnType<typeof createDisasterSwitch>;
