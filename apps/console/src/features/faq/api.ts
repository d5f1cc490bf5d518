import type { FaqEntryView, FaqImportResult, FaqMatch } from '@madoguchi/contracts/chatbot.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/chatbot/faq… (B-04), as packages/contracts/src/chatbot.ts lists them.

export type FaqPage = { items: FaqEntryView[]; total: number };
export type { FaqEntryView, FaqImportResult, FaqMatch };

export const faqListPath = (
  channelId: string,
  filter: { q?: string; category?: string; limit: number; offset: number },
) => `/api/chatbot/faq${query({ channelId, ...filter })}`;

export const faqExportHref = (channelId: string) => `/api/chatbot/faq/export${query({ channelId })}`;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file's type, from its name when the browser gives none (Windows often leaves .csv untyped). */
export function spreadsheetType(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX;
  if (name.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}

export const faqApi = {
  /** The file is the raw body (dry run: nothing changes; the result lists the row errors). */
  importFile: (channelId: string, file: File, dryRun: boolean) =>
    api.post<FaqImportResult>(
      `/api/chatbot/faq/import${query({ channelId, dryRun: String(dryRun) })}`,
      file.type ? file : new Blob([file], { type: spreadsheetType(file) }),
    ),
  search: (channelId: string, text: string) =>
    api.post<FaqMatch>('/api/chatbot/faq/search', { channelId, text }),
};
