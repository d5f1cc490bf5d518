// CSV for Excel users: UTF-8 with BOM, CRLF line ends, every field quoted when needed.
// Cells that start with = + - @ are prefixed with ' so a spreadsheet never runs them as formulas
// (`guardFormulas: false` leaves them as they are: the contract-end hand-over keeps data unchanged).

export type Cell = string | number | boolean | Date | null | undefined;

function cell(value: Cell, guardFormulas: boolean): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (guardFormulas && typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return csvStart(header) + csvLines(rows);
}

/** The byte-order mark and the header line: the start of a CSV whose rows are written piece by piece. */
export function csvStart(header: string[]): string {
  return `\uFEFF${csvLines([header])}`;
}

/** Rows as CSV lines, each ending in CRLF (for exports written piece by piece after a header). */
export function csvLines(rows: Cell[][], { guardFormulas = true } = {}): string {
  return rows.map((r) => `${r.map((v) => cell(v, guardFormulas)).join(',')}\r\n`).join('');
}
