import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { csvLines, csvStart, toCsv } from './csv.ts';
import { XLSX_CONTENT_TYPE, type XlsxCell, xlsxStream } from './xlsx.ts';

// One way to answer with a table as a download: CSV (UTF-8 with BOM, csv.ts) or an Excel file
// (xlsx.ts), named `<name>.csv` / `<name>.xlsx`, never cached. `sendTable` for a table at hand,
// `sendTablePages` for one read page by page (the BOM and header first, then each page as it is read;
// the next page only when the answer has taken the last), so a large export holds one page at a time.

export interface ExportTable {
  header: string[];
  rows: XlsxCell[][];
}

export type ExportFormat = 'csv' | 'xlsx';

export function sendTable(
  reply: FastifyReply,
  format: ExportFormat,
  file: { name: string; sheet: string },
  table: ExportTable,
) {
  reply
    .header('content-disposition', `attachment; filename="${file.name}.${format}"`)
    .header('cache-control', 'no-store');
  if (format === 'csv') {
    return reply.header('content-type', 'text/csv; charset=utf-8').send(toCsv(table.header, table.rows));
  }
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .send(xlsxStream(file.sheet, table.header, table.rows));
}

export function sendTablePages(
  reply: FastifyReply,
  format: ExportFormat,
  file: { name: string; sheet: string },
  table: { header: string[]; pages: () => AsyncIterable<XlsxCell[][]> },
) {
  reply
    .header('content-disposition', `attachment; filename="${file.name}.${format}"`)
    .header('cache-control', 'no-store');
  if (format === 'csv') {
    async function* csv() {
      yield csvStart(table.header);
      for await (const rows of table.pages()) yield csvLines(rows);
    }
    return reply.header('content-type', 'text/csv; charset=utf-8').send(Readable.from(csv()));
  }
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .send(xlsxStream(file.sheet, table.header, table.pages()));
}
