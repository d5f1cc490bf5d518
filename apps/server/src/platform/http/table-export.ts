import type { FastifyReply } from 'fastify';
import { toCsv } from './csv.ts';
import { XLSX_CONTENT_TYPE, type XlsxCell, xlsxStream } from './xlsx.ts';

// One way to answer with a table as a download: CSV (UTF-8 with BOM, csv.ts) or an Excel file
// (xlsx.ts), named `<name>.csv` / `<name>.xlsx`, never cached.

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
