import type { EventEmitter } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';

// Excel files for staff (C-05, D-08, G-10), written by exceljs's streaming workbook writer: rows go
// into the zip as they come and leave as the HTTP answer is read, so an export of 200,000 friends
// never sits in memory whole (bench/export-memory). Every xlsx export goes through xlsxStream.
// Formulas: a cell is a number or a text cell, never a formula — exceljs writes a formula only for
// a { formula } object, which never reaches it from here — so "=…", "+…", "-…" and "@…" stay text
// and nothing is evaluated when the file is opened. (The CSV prefixes them with ' instead.)
// exceljs is loaded with the first export (it adds ~36 MiB to a process), not when the server starts.

export type XlsxCell = string | number | null | undefined;

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
};

/** Rows given at once are written in slices of this many, with a turn of the event loop between. */
const SLICE = 2000;

/** A sheet name Excel accepts: at most 31 characters, none of \ / ? * : [ ]. */
const sheetTitle = (name: string) => name.replace(/[\\/?*:[\]]/g, '_').slice(0, 31) || 'Sheet1';

function value(v: XlsxCell): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return String(v);
}

async function* slices(rows: XlsxCell[][]): AsyncGenerator<XlsxCell[][]> {
  for (let i = 0; i < rows.length; i += SLICE) yield rows.slice(i, i + SLICE);
}

type Sink = EventEmitter & { _writableState?: { length: number; needDrain: boolean } };

/**
 * Where the worksheet's XML waits until the zip takes it: exceljs writes each committed row into
 * the worksheet's stream, which hands it on to the archiver's input stream without waiting for it
 * to be read (exceljs 4, archiver 5). That input only empties as fast as the zipped answer is read,
 * so it is the backlog to wait for (exported for xlsx.unit.test.ts, which checks that it is found).
 */
export function zipInput(sheet: ExcelJS.Worksheet): Sink | undefined {
  const stream = (sheet as unknown as { stream?: { pipes?: Sink[] } }).stream;
  return stream?.pipes?.[0];
}

/** Resolves once the zip has taken what was written (or the answer was closed). */
function zipped(sink: Sink | undefined, out: PassThrough): Promise<void> {
  const state = sink?._writableState;
  const pending = sink && state ? state.needDrain && state.length > 0 : out.writableNeedDrain;
  if (!pending || out.destroyed) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const done = () => {
      sink?.off('drain', done);
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    if (sink) sink.on('drain', done);
    else out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * One worksheet with a header row, as a stream of the xlsx file for `reply.send`. `rows` are all the
 * rows, or pages of rows read one after the other: the next page is asked for only once the zip has
 * taken the last, and the zip only goes as fast as the answer is read, so a slow download holds up
 * the reading instead of filling the memory. A failing page ends the stream with its error; an
 * answer that is closed early stops the reading.
 */
export function xlsxStream(
  sheetName: string,
  header: string[],
  rows: XlsxCell[][] | AsyncIterable<XlsxCell[][]>,
): Readable {
  const out = new PassThrough();
  (async () => {
    const { WorkbookWriter } = (await loadExcel()).stream.xlsx;
    const book = new WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    book.creator = 'Madoguchi';
    book.lastModifiedBy = 'Madoguchi';
    const sheet = book.addWorksheet(sheetTitle(sheetName));
    sheet.addRow(header.map(value)).commit();
    for await (const page of Array.isArray(rows) ? slices(rows) : rows) {
      if (out.destroyed) return;
      for (const row of page) sheet.addRow(row.map(value)).commit();
      await zipped(zipInput(sheet), out);
      if (out.destroyed) return;
    }
    sheet.commit();
    await book.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
