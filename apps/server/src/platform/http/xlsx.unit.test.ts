import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toXlsx } from './xlsx.ts';

/** Reads the entries of a zip file through its central directory. */
function unzip(buf: Buffer): Record<string, string> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out[name] = inflateRawSync(buf.subarray(dataStart, dataStart + size)).toString('utf8');
    p += 46 + nameLen + extra;
  }
  return out;
}

describe('xlsx export (C-05)', () => {
  it('C-05: writes a valid workbook with text, numbers and escaped cells', () => {
    const file = toXlsx(
      '相談',
      ['窓口', '件数', '備考'],
      [
        ['福祉 & 生活', 3, '=HYPERLINK("x")'],
        ['<いじめ>', 0, null],
      ],
    );
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const entries = unzip(file);
    expect(Object.keys(entries).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = entries['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain(
      '<c r="A2" t="inlineStr"><is><t xml:space="preserve">福祉 &amp; 生活</t></is></c>',
    );
    expect(sheet).toContain('<c r="B2"><v>3</v></c>');
    expect(sheet).toContain('=HYPERLINK(&quot;x&quot;)');
    expect(sheet).toContain('&lt;いじめ&gt;');
    expect(entries['xl/workbook.xml']).toContain('name="相談"');
  });
});
