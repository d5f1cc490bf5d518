import type { Db } from '../../db/database.ts';

export interface FaqStatsRow {
  rowNo: number;
  question: string;
  category: string;
  answered: number;
  helpful: number;
  notHelpful: number;
}

/** Per FAQ row: times answered and "was this helpful" taps, by FAQ No. (for the statistics export). */
export async function faqStatsRows(_db: Db, _channelId: string): Promise<FaqStatsRow[]> {
  return [];
}
