import type { ConsultationStats } from '@madoguchi/contracts/consultation.ts';
import type { Db } from '../../db/database.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import type { ConsultationKeys } from './consultation-keys.ts';
import { listConsultationsWithRecords } from './consultations.repository.ts';
import { tokyoClock } from './desk-hours.ts';
import { listDeskRows } from './desks.repository.ts';

// Statistics and export of consultations and their records for any period (C-05). Record values
// are encrypted, so they are decrypted here, in the server, and never leave it except in the export.

export interface StatsQuery {
  from: Date;
  to: Date;
  deskId?: string | undefined;
}

export async function loadPeriod(db: Db, keys: ConsultationKeys, q: StatsQuery) {
  const rows = await listConsultationsWithRecords(db, q);
  return Promise.all(
    rows.map(async (r) => ({
      ...r,
      values: r.values_enc
        ? (JSON.parse(
            (await keys.forConsultation(r.id, r.data_key_enc)).decryptBytes(r.values_enc).toString('utf8'),
          ) as Record<string, string>)
        : {},
    })),
  );
}

const minutes = (a: Date | null, b: Date | null) => (a && b ? (b.getTime() - a.getTime()) / 60_000 : null);
const mean = (xs: number[]) =>
  xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null;

export async function consultationStats(
  db: Db,
  keys: ConsultationKeys,
  q: StatsQuery,
): Promise<ConsultationStats> {
  const rows = await loadPeriod(db, keys, q);
  const desks = await listDeskRows(db);
  const byDay = new Map<string, number>();
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0 }));
  const byDesk = new Map<string, number>();
  const byOrigin = { line: 0, web: 0 };
  const byField: Record<string, { label: string; counts: Record<string, number> }> = {};
  for (const d of desks) {
    for (const f of d.record_fields)
      if (f.type === 'select') byField[f.key] ??= { label: f.label, counts: {} };
  }
  for (const r of rows) {
    const { date, minutes: m } = tokyoClock(r.opened_at);
    byDay.set(date, (byDay.get(date) ?? 0) + 1);
    byHour[Math.floor(m / 60)]!.count++;
    byDesk.set(r.desk_id, (byDesk.get(r.desk_id) ?? 0) + 1);
    byOrigin[r.origin]++;
    for (const [key, field] of Object.entries(byField)) {
      const v = r.values[key] || '未入力';
      field.counts[v] = (field.counts[v] ?? 0) + 1;
    }
  }
  const durations = rows.map((r) => minutes(r.opened_at, r.closed_at)).filter((x): x is number => x !== null);
  const firstReplies = rows
    .map((r) => minutes(r.opened_at, r.first_reply_at))
    .filter((x): x is number => x !== null);
  return {
    total: rows.length,
    byDay: [...byDay].map(([date, count]) => ({ date, count })),
    byHour,
    byDesk: desks.map((d) => ({ deskId: d.id, name: d.name, count: byDesk.get(d.id) ?? 0 })),
    byOrigin,
    byField,
    avgDurationMinutes: mean(durations),
    avgFirstReplyMinutes: mean(firstReplies),
  };
}

/** Header and rows of the consultation export: one row per consultation with its record fields. */
export async function consultationExport(db: Db, keys: ConsultationKeys, q: StatsQuery) {
  const rows = await loadPeriod(db, keys, q);
  const desks = await listDeskRows(db);
  const fields: { key: string; label: string }[] = [];
  for (const d of desks)
    for (const f of d.record_fields) if (!fields.some((x) => x.key === f.key)) fields.push(f);
  const header = [
    '相談ID',
    '窓口',
    '経路',
    '状態',
    '開始日時',
    '初回返信日時',
    '終了日時',
    '所要時間（分）',
    '初回返信までの時間（分）',
    '担当相談員',
    '危険ワード検知',
    ...fields.map((f) => f.label),
    '未入力の理由',
  ];
  const body = rows.map((r) => [
    r.id,
    r.desk_name,
    r.origin === 'line' ? 'LINE' : 'Web',
    { waiting: '待機中', active: '対応中', closed: '終了' }[r.status],
    tokyoDateTime(r.opened_at),
    tokyoDateTime(r.first_reply_at),
    tokyoDateTime(r.closed_at),
    minutes(r.opened_at, r.closed_at)?.toFixed(1) ?? '',
    minutes(r.opened_at, r.first_reply_at)?.toFixed(1) ?? '',
    r.counselor_name ?? '',
    r.risk_flagged_at ? 'あり' : '',
    ...fields.map((f) => r.values[f.key] ?? ''),
    r.missing_reason ?? '',
  ]);
  return { header, rows: body };
}
