import type { Db } from '../../db/database.ts';
import type { ExportTable } from '../../platform/http/table-export.ts';
import { channelStepCounts, listScenarioRows } from './chatbot.repository.ts';
import { requireChannelExists } from './chatbot.service.ts';
import type { VersionContent } from './chatbot-line.ts';

// The chatbot's statistics as one table (CSV with BOM or xlsx): a row per scenario (started,
// completed, dropped), a row per node (reached, dropped), and the FAQ's rows (answered, helpful)
// when the FAQ part provides them.

export interface FaqStatsRow {
  rowNo: number;
  question: string;
  category: string;
  answered: number;
  helpful: number;
  notHelpful: number;
}

const HEADER = [
  '種類',
  'シナリオ',
  'キー',
  'ノード ID / FAQ No.',
  'ノード名 / 質問',
  '開始',
  '到達',
  '完了',
  '離脱',
  'FAQ 回答',
  '役に立った',
  '役に立たなかった',
];

export async function statsTable(
  db: Db,
  channelId: string,
  faqStatsRows?: (db: Db, channelId: string) => Promise<FaqStatsRow[]>,
): Promise<ExportTable> {
  await requireChannelExists(db, channelId);
  const [scenarios, counts] = await Promise.all([
    listScenarioRows(db, channelId),
    channelStepCounts(db, channelId),
  ]);
  const rows: ExportTable['rows'] = [];
  for (const s of scenarios) {
    const mine = counts.filter((c) => c.scenario_id === s.id);
    const sum = (kind: string, nodeId?: string) =>
      mine
        .filter((c) => c.kind === kind && (nodeId === undefined || c.node_id === nodeId))
        .reduce((n, c) => n + Number(c.n), 0);
    rows.push([
      'シナリオ',
      s.name,
      s.key,
      null,
      null,
      sum('started'),
      null,
      sum('completed'),
      sum('dropped'),
      null,
      null,
      null,
    ]);
    const nodes = (s.draft as VersionContent).graph.nodes;
    const ids = [...new Set([...nodes.map((n) => n.id), ...mine.map((c) => c.node_id)])];
    for (const id of ids) {
      const title = nodes.find((n) => n.id === id)?.title ?? '';
      rows.push([
        'ノード',
        s.name,
        s.key,
        id,
        title,
        null,
        sum('reached', id),
        sum('completed', id),
        sum('dropped', id),
        null,
        null,
        null,
      ]);
    }
  }
  for (const f of (await faqStatsRows?.(db, channelId)) ?? []) {
    rows.push([
      'FAQ',
      null,
      null,
      f.rowNo,
      f.question,
      null,
      null,
      null,
      null,
      f.answered,
      f.helpful,
      f.notHelpful,
    ]);
  }
  return { header: HEADER, rows };
}
