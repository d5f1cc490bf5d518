// CSV for Excel users: UTF-8 with BOM, CRLF line ends, every field quoted when needed.
// Cells that start with = + - @ are prefixed with ' so a spreadsheet never runs them as formulas.

type Cell = string | number | boolean | Date | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `\uFEFF${csvLines([header, ...rows])}`;
}

/** Rows as CSV lines, each ending in CRLF (for exports written piece by piece after a header). */
export function csvLines(rows: Cell[][]): string {
  return rows.map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}
