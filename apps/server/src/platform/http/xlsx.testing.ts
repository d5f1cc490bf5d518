import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

// Reading exported xlsx files back in tests: the zip's entries (through its central directory, so
// entries streamed with a data descriptor are found too) and the first sheet's values as a
// spreadsheet program reads them (exceljs's reader).

/** The entries of a zip file, inflated, by name. */
export function xlsxEntries(file: Buffer): Record<string, string> {
  if (file.subarray(0, 2).toString() !== 'PK') throw new Error('not a zip file');
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = file.readUInt16LE(end + 10);
  let p = file.readUInt32LE(end + 16);
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const method = file.readUInt16LE(p + 10);
    const size = file.readUInt32LE(p + 20);
    const nameLength = file.readUInt16LE(p + 28);
    const skip = nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
    const local = file.readUInt32LE(p + 42);
    const name = file.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const data = file.subarray(start, start + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + skip;
  }
  return out;
}

/** The XML of the first worksheet. */
export function xlsxSheetXml(file: Buffer): string {
  const sheet = xlsxEntries(file)['xl/worksheets/sheet1.xml'];
  if (sheet === undefined) throw new Error('no worksheet');
  return sheet;
}

export interface XlsxSheet {
  name: string;
  /** Cell values by row, A first; empty cells are null. */
  rows: (string | number | null)[][];
  /** exceljs's value type of each cell (ExcelJS.ValueType), by row. */
  types: ExcelJS.ValueType[][];
}

/** The first worksheet as a spreadsheet program reads it. */
export async function readXlsx(file: Buffer): Promise<XlsxSheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ExcelJS.Buffer);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  const rows: XlsxSheet['rows'] = [];
  const types: XlsxSheet['types'] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: (string | number | null)[] = [];
    const kinds: ExcelJS.ValueType[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      const v = cell.value;
      values.push(v === null || v === undefined ? null : typeof v === 'number' ? v : String(v));
      kinds.push(cell.type);
    }
    rows.push(values);
    types.push(kinds);
  });
  return { name: sheet.name, rows, types };
}
