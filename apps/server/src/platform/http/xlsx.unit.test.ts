import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsx, xlsxEntries, xlsxSheetXml } from './xlsx.testing.ts';
import { type XlsxCell, xlsxStream, zipInput } from './xlsx.ts';

const file = (...args: Parameters<typeof xlsxStream>) => buffer(xlsxStream(...args));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count()` is above 0 and has not changed for 200 ms (at most 10 s). */
async function settled(count: () => number) {
  for (let seen = Number.NaN, i = 0; i < 50 && (count() === 0 || count() !== seen); i++) {
    seen = count();
    await sleep(200);
  }
}

describe('xlsx export (C-05)', () => {
  it('C-05: writes a valid workbook with text, numbers and escaped cells', async () => {
    const xlsx = await file(
      '相談',
      ['窓口', '件数', '備考'],
      [
        ['福祉 & 生活', 3, '=HYPERLINK("x")'],
        ['<いじめ>', 0, null],
      ],
    );
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    const entries = xlsxEntries(xlsx);
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
      ]),
    );
    const sheet = entries['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('<c r="A2" t="str"><v>福祉 &amp; 生活</v></c>');
    expect(sheet).toContain('<c r="B2"><v>3</v></c>');
    expect(sheet).toContain('=HYPERLINK(&quot;x&quot;)');
    expect(sheet).toContain('&lt;いじめ&gt;');
    expect(sheet).not.toContain('<f>');
    expect(entries['xl/workbook.xml']).toContain('name="相談"');

    // Read back as a spreadsheet program reads it: the formula-like text is text, not a formula.
    const read = await readXlsx(xlsx);
    expect(read.name).toBe('相談');
    expect(read.rows).toEqual([
      ['窓口', '件数', '備考'],
      ['福祉 & 生活', 3, '=HYPERLINK("x")'],
      ['<いじめ>', 0],
    ]);
    expect(read.types[1]).toEqual([
      ExcelJS.ValueType.String,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.String,
    ]);
  });

  it('C-05: formula-like cells (= + - @) stay text; control characters are dropped; odd numbers are text', async () => {
    const read = await readXlsx(
      await file(
        '検査',
        ['a', 'b', 'c', 'd', 'e'],
        [
          ['=1+1', '+81 3', '-2', '@SUM(A1)', 'a\u0001b\tc'],
          [Number.NaN, '', 1.5],
        ],
      ),
    );
    expect(read.rows[1]).toEqual(['=1+1', '+81 3', '-2', '@SUM(A1)', 'ab\tc']);
    expect(read.types[1]!.every((t) => t === ExcelJS.ValueType.String)).toBe(true);
    expect(read.rows[2]).toEqual(['NaN', null, 1.5]);
  });

  it('C-05: sheet names Excel would refuse are made acceptable', async () => {
    const read = await readXlsx(
      await file('期間: 2026/04 [全窓口] と、とても長い名前の付いたシート', ['a'], []),
    );
    expect(read.name).toBe('期間_ 2026_04 _全窓口_ と、とても長い名前の付いた');
    expect(read.name.length).toBeLessThanOrEqual(31);
  });

  it('D-08: pages are written as they come; the next page waits until the reader has taken the last', async () => {
    const PAGES = 300;
    const ROWS = 200;
    let pulled = 0;
    async function* pages(): AsyncGenerator<XlsxCell[][]> {
      for (let p = 0; p < PAGES; p++) {
        pulled++;
        // Hex text, so that the zip cannot squeeze it into a few bytes.
        yield Array.from({ length: ROWS }, (_, r) => [
          `friend-${p * ROWS + r}`,
          p * ROWS + r,
          randomBytes(48).toString('hex'),
          randomBytes(48).toString('hex'),
        ]);
      }
    }
    const stream = xlsxStream('友だち属性', ['ID', '番号', '属性', '備考'], pages());
    // Nobody reads: the writer stops asking for pages once the buffers between it and the reader
    // are full (a few MiB: the zip's output alone holds 1 MiB), here after about 90 pages of 200 rows.
    await settled(() => pulled);
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(PAGES / 2);
    const sheet = xlsxSheetXml(await buffer(stream));
    expect(pulled).toBe(PAGES);
    expect(sheet.match(/<row /g)).toHaveLength(PAGES * ROWS + 1);
    expect(sheet).toContain(`<c r="A${PAGES * ROWS + 1}" t="str"><v>friend-${PAGES * ROWS - 1}</v></c>`);
  });

  it('D-08: the wait is for the zip input exceljs writes the worksheet into (exceljs 4 / archiver 5)', async () => {
    const out = new PassThrough();
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false });
    const sheet = book.addWorksheet('x');
    sheet.addRow(['a']).commit();
    const sink = zipInput(sheet);
    expect(sink?._writableState).toMatchObject({
      length: expect.any(Number),
      needDrain: expect.any(Boolean),
    });
    sheet.commit();
    const done = buffer(out);
    await book.commit();
    expect((await done).subarray(0, 2).toString()).toBe('PK');
  });

  it('D-08: a reader that goes away stops the reading; a failing page ends the stream with its error', async () => {
    let pulled = 0;
    let finished = false;
    async function* endless(): AsyncGenerator<XlsxCell[][]> {
      try {
        for (;;) {
          pulled++;
          yield Array.from({ length: 200 }, (_, r) => [randomBytes(24).toString('hex'), r]);
        }
      } finally {
        finished = true;
      }
    }
    const stream = xlsxStream('x', ['a', 'b'], endless());
    await settled(() => pulled);
    stream.destroy();
    await settled(() => (finished ? -1 : pulled));
    expect(finished).toBe(true);
    const after = pulled;
    await sleep(100);
    expect(pulled).toBe(after);

    async function* failing(): AsyncGenerator<XlsxCell[][]> {
      yield [['ok', 1]];
      throw new Error('database went away');
    }
    await expect(buffer(xlsxStream('x', ['a', 'b'], failing()))).rejects.toThrow('database went away');
  });
});
