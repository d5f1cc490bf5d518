import { REPORT_STATUS_LABELS } from '@madoguchi/contracts/reports.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { reportRows } from './reports.repository.ts';
import type { ReportListQuery } from './reports.schema.ts';
import { filterOf, type ReportDeps, summaryOf } from './reports.service.ts';

const PAGE = 2000;

/**
 * The reports as a table (newest first, the list's filters): header, then rows page by page, 2,000
 * at a time with a turn of the event loop between pages (constant memory for any number).
 */
export async function reportExport(deps: ReportDeps, q: Omit<ReportListQuery, 'limit' | 'before'>) {
  await deps.channels.get(q.channelId);
  const filter = filterOf(q);
  const header = [
    '受付番号',
    '受付日時',
    'カテゴリ',
    '対応状況',
    '発生日時',
    '緯度',
    '経度',
    '内容',
    '写真枚数',
    '担当者',
    '更新日時',
  ];
  async function* pages() {
    let before = filter.before;
    for (;;) {
      const rows = await reportRows(deps.db, { ...filter, before })
        .limit(PAGE)
        .execute();
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      before = { at: last.page_at, id: last.id };
      yield rows.map((r) => {
        const s = summaryOf(deps.cipher, r);
        return [
          s.id,
          tokyoDateTime(s.receivedAt),
          s.category,
          REPORT_STATUS_LABELS[s.status],
          tokyoDateTime(s.occurredAt),
          s.location.lat,
          s.location.lng,
          s.text,
          s.photos,
          s.assignee ?? '',
          tokyoDateTime(s.updatedAt),
        ];
      });
      if (rows.length < PAGE) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { header, pages };
}
