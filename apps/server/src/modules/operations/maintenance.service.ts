import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import type { Realtime } from '../../platform/realtime.ts';
import {
  activeWindowAt,
  cancelWindowRow,
  endActiveWindows,
  endWindow,
  findWindow,
  insertWindow,
  liveWindowsFrom,
  notifyWindowsChanged,
  type WindowRow,
  windowsSince,
} from './maintenance.repository.ts';

// Maintenance mode (O-04) and its advance notice (C-15). Windows are rows in the database, so every
// server node sees the same ones; "active" is computed from now, so a scheduled window starts and
// ends by time alone (no job). Each process caches the live windows for a few seconds and reloads
// at once when a NOTIFY says they changed (the CLI notifies too).

/** Upcoming windows are announced this many days before they start (C-15). */
export const NOTICE_DAYS = 7;
const CACHE_MS = 2000;

export const DEFAULT_MESSAGE_JA = 'ただいまシステムのメンテナンス中です。終了までしばらくお待ちください。';
export const DEFAULT_MESSAGE_EN = 'The system is under maintenance. Please wait until it ends.';

const message = z.string().trim().min(1).max(500);
const instant = z.iso.datetime({
  offset: true,
  message: '日時は ISO 8601（例: 2026-12-20T22:00:00+09:00）で指定してください',
});

/** A window as staff schedule it (console and CLI). */
export const windowInputSchema = z.object({
  from: instant.optional(),
  until: instant.nullable().optional(),
  messageJa: message.optional(),
  messageEn: message.optional(),
});
export type WindowInput = z.infer<typeof windowInputSchema>;

/**
 * A window scheduled in the console: start, end and the Japanese message required (announced
 * beforehand, C-15). The console cannot switch the mode on now: while it is on the staff API is
 * closed, so only the CLI (which switches it off) does that.
 */
export const scheduledWindowSchema = z.object({
  from: instant,
  until: instant,
  messageJa: message,
  messageEn: message.optional(),
});

export type WindowState = 'active' | 'upcoming' | 'ended' | 'canceled';

export function windowState(w: WindowRow, now = new Date()): WindowState {
  if (w.canceled_at) return 'canceled';
  if (w.ends_at && w.ends_at <= now) return 'ended';
  return w.starts_at <= now ? 'active' : 'upcoming';
}

const OFFSET_MS = 9 * 3600_000;
const parts = (d: Date) => {
  const t = new Date(d.getTime() + OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
  };
};
const jaTime = (p: ReturnType<typeof parts>) => `${p.h}時${p.mi ? `${p.mi}分` : ''}`;
const enTime = (p: ReturnType<typeof parts>) => `${p.h}:${String(p.mi).padStart(2, '0')}`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 「12月20日 22時から23時30分まで、メンテナンスのため停止します」 (C-15), Tokyo time; and in English. */
export function noticeOf(w: { starts_at: Date; ends_at: Date | null }) {
  const s = parts(w.starts_at);
  const e = w.ends_at ? parts(w.ends_at) : null;
  const sameDay = e && e.y === s.y && e.mo === s.mo && e.d === s.d;
  const ja = e
    ? `${s.mo}月${s.d}日 ${jaTime(s)}から${sameDay ? '' : `${e.mo}月${e.d}日 `}${jaTime(e)}まで、メンテナンスのため停止します`
    : `${s.mo}月${s.d}日 ${jaTime(s)}から、メンテナンスのため停止します（終了時刻は未定）`;
  const sEn = `${MONTHS[s.mo - 1]} ${s.d}, ${enTime(s)}`;
  const en = e
    ? `The service stops for maintenance from ${sEn} to ${sameDay ? '' : `${MONTHS[e.mo - 1]} ${e.d}, `}${enTime(e)} (Japan time).`
    : `The service stops for maintenance from ${sEn} (Japan time) until further notice.`;
  return { ja, en };
}

/** A window as the console and the CLI show it. */
export const windowView = (w: WindowRow, now = new Date()) => ({
  id: w.id,
  startsAt: w.starts_at.toISOString(),
  endsAt: w.ends_at?.toISOString() ?? null,
  messageJa: w.message_ja,
  messageEn: w.message_en,
  createdBy: w.created_by,
  createdAt: w.created_at.toISOString(),
  canceledAt: w.canceled_at?.toISOString() ?? null,
  canceledBy: w.canceled_by,
  state: windowState(w, now),
  notice: noticeOf(w),
});
export type WindowView = ReturnType<typeof windowView>;

/** Checks and stores a window; `from` defaults to now (switching on). */
export async function scheduleWindow(db: Db, input: WindowInput, by: string, now = new Date()) {
  const startsAt = input.from ? new Date(input.from) : now;
  const endsAt = input.until ? new Date(input.until) : null;
  if (startsAt.getTime() < now.getTime() - 60_000)
    throw badRequest(
      'MAINTENANCE_START_PAST',
      '開始日時が過去です。今から始めるときは開始日時を省いてください',
    );
  if (endsAt && endsAt <= startsAt)
    throw badRequest('MAINTENANCE_END_BEFORE_START', '終了日時は開始日時より後にしてください', [
      { path: 'until', message: '終了日時は開始日時より後にしてください' },
    ]);
  if (startsAt <= now && (await activeWindowAt(db, now)))
    throw new AppError(
      409,
      'MAINTENANCE_ALREADY_ON',
      'メンテナンスはすでに実施中です（終えるときは maintenance off）',
    );
  const row = await insertWindow(db, {
    startsAt,
    endsAt,
    messageJa: input.messageJa ?? DEFAULT_MESSAGE_JA,
    messageEn: input.messageEn ?? (input.messageJa ? null : DEFAULT_MESSAGE_EN),
    createdBy: by,
  });
  await notifyWindowsChanged(db);
  return windowView(row, now);
}

/** Ends every active window now (`maintenance off`); returns how many were ended. */
export async function switchOff(db: Db, now = new Date()): Promise<number> {
  const ended = await endActiveWindows(db, now);
  await notifyWindowsChanged(db);
  return ended.length;
}

/** An upcoming window is canceled; an active one ends now; an ended or canceled one cannot be. */
export async function cancelWindow(db: Db, id: string, by: string, now = new Date()) {
  const w = await findWindow(db, id);
  if (!w) throw notFound('メンテナンスの予定');
  const state = windowState(w, now);
  if (state === 'ended' || state === 'canceled')
    throw new AppError(409, 'MAINTENANCE_OVER', 'このメンテナンスはすでに終了または取消されています');
  if (state === 'active') await endWindow(db, id, now);
  else await cancelWindowRow(db, id, now, by);
  await notifyWindowsChanged(db);
  return windowView((await findWindow(db, id))!, now);
}

/** Windows for the console and `maintenance list`: active, upcoming, and those of the last 30 days. */
export async function listWindows(db: Db, now = new Date()) {
  const rows = await windowsSince(db, new Date(now.getTime() - 30 * 86400_000));
  return rows.map((r) => windowView(r, now));
}

export interface MaintenanceState {
  /** The active window now, if any (from the cache). */
  active(now?: Date): Promise<WindowRow | null>;
  /** The active window and the windows starting within NOTICE_DAYS (the public notice). */
  notice(now?: Date): Promise<{ active: WindowRow | null; upcoming: WindowRow[] }>;
  close(): void;
}

export function createMaintenanceState(deps: { db: Db; realtime: Realtime }): MaintenanceState {
  let cached: { at: number; rows: WindowRow[] } | null = null;
  let loading: Promise<WindowRow[]> | null = null;
  const unsubscribe = deps.realtime.subscribe((e) => {
    if (e.t === 'maint') cached = null;
  });
  const rows = async (): Promise<WindowRow[]> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.rows;
    loading ??= liveWindowsFrom(deps.db, new Date())
      .then((r) => {
        cached = { at: Date.now(), rows: r };
        return r;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  const covers = (w: WindowRow, now: Date) => w.starts_at <= now && (!w.ends_at || w.ends_at > now);
  return {
    async active(now = new Date()) {
      return (await rows()).find((w) => covers(w, now)) ?? null;
    },
    async notice(now = new Date()) {
      const live = await rows();
      const horizon = now.getTime() + NOTICE_DAYS * 86400_000;
      return {
        active: live.find((w) => covers(w, now)) ?? null,
        upcoming: live.filter((w) => w.starts_at > now && w.starts_at.getTime() <= horizon),
      };
    },
    close: unsubscribe,
  };
}
