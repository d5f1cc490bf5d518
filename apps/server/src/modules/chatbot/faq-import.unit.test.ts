import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import {
  cellText,
  FAQ_EXPORT_HEADER,
  readFaqRows,
  sniffFaqFile,
  splitKeywords,
  zipUnpackedSize,
} from './faq-import.ts';

// The FAQ sheet's rules (B-04), without a database: type by bytes, header, cells, row errors.

const sheet = (...rows: string[][]) => rows.map((cells, i) => ({ cells, line: i + 1 }));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
  return null;
};

describe('FAQ sheet rules (B-04)', () => {
  it('B-04: the type comes from the bytes, never the name: zip → xlsx, text → CSV, binaries refused', () => {
    expect(sniffFaqFile(Buffer.from('504b030414000600', 'hex'))).toBe('xlsx');
    expect(sniffFaqFile(Buffer.from('質問,回答\n'))).toBe('csv');
    expect(sniffFaqFile(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('csv');
    expect(sniffFaqFile(Buffer.from([0x8e, 0xbf, 0x96, 0xe2, 0x2c]))).toBe('csv'); // 質問, in cp932
    for (const hex of ['89504e470d0a1a0a', 'd0cf11e0a1b11ae1', '255044462d01020304'])
      expect(codeOf(() => sniffFaqFile(Buffer.from(hex, 'hex')))).toBe('FAQ_FILE_NOT_SPREADSHEET');
  });

  it('B-04: headers in Japanese or English, below a title row; extra columns listed; blank rows skipped', () => {
    const r = readFaqRows(
      sheet(
        ['市のよくある質問'],
        [],
        ['Question', 'ANSWER', '分類', 'キーワード', 'URL', '担当'],
        ['住民票', '窓口で', '証明書', '住民票、写し', 'https://city.example.jp/a', '市民課'],
        ['', '', '', '', '', ''],
        ['印鑑', '窓口で', '', '', '', ''],
      ),
      new Set(),
    );
    expect(r.ignoredColumns).toEqual(['担当']);
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.line, x.question, x.category, x.keywords, x.link])).toEqual([
      [4, '住民票', '証明書', ['住民票', '写し'], 'https://city.example.jp/a'],
      [6, '印鑑', '', [], null],
    ]);
  });

  it('B-04: no 質問/回答 header → FAQ_FILE_NO_HEADER; more than 5,000 rows → FAQ_FILE_TOO_MANY_ROWS', () => {
    expect(codeOf(() => readFaqRows(sheet(['名前', '電話'], ['a', 'b']), new Set()))).toBe(
      'FAQ_FILE_NO_HEADER',
    );
    expect(codeOf(() => readFaqRows([], new Set()))).toBe('FAQ_FILE_NO_HEADER');
    const many = sheet(['質問', '回答'], ...Array.from({ length: 5001 }, (_, i) => [`q${i}`, 'a']));
    expect(codeOf(() => readFaqRows(many, new Set()))).toBe('FAQ_FILE_TOO_MANY_ROWS');
    const enough = sheet(['質問', '回答'], ...Array.from({ length: 5000 }, (_, i) => [`q${i}`, 'a']));
    expect(readFaqRows(enough, new Set()).rows).toHaveLength(5000);
  });

  it('B-04: every row error has its line, column and a Japanese message; good rows are kept', () => {
    const r = readFaqRows(
      sheet(
        ['ID', '質問', '回答', 'リンク', 'カテゴリ'],
        ['', '', '回答', '', ''],
        ['', '質問', '  ', '', ''],
        ['', '質問', '回答', 'javascript:alert(1)', ''],
        ['１２', '全角の番号', '回答', '', ''],
        ['12', '重なる番号', '回答', '', ''],
        ['abc', '番号でない', '回答', '', ''],
        ['99', 'ない番号', '回答', '', ''],
        ['', '質問', '回答', '', 'カ'.repeat(51)],
      ),
      new Set([12]),
    );
    expect(r.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [2, 'FAQ_ROW_NO_QUESTION', '質問'],
      [3, 'FAQ_ROW_NO_ANSWER', '回答'],
      [4, 'FAQ_ROW_BAD_LINK', 'リンク'],
      [6, 'FAQ_ROW_DUPLICATE_ID', 'ID'],
      [7, 'FAQ_ROW_UNKNOWN_ID', 'ID'],
      [8, 'FAQ_ROW_UNKNOWN_ID', 'ID'],
      [9, 'FAQ_ROW_TOO_LONG', 'カテゴリ'],
    ]);
    expect(r.errors[3]?.message).toBe('ID 12 が 5 行目と重なっています');
    expect(r.rows.map((x) => [x.line, x.rowNo])).toEqual([[5, 12]]);
  });

  it('B-04: cells: formulas as written (never evaluated), rich text and links as their text; answers keep line breaks', () => {
    expect(cellText({ formula: 'SUM(A1:A2)', result: 3 })).toBe('=SUM(A1:A2)');
    expect(cellText({ richText: [{ text: '粗大' }, { text: 'ごみ' }] })).toBe('粗大ごみ');
    expect(cellText({ text: '市のページ', hyperlink: 'https://city.example.jp' })).toBe('市のページ');
    expect(cellText(12)).toBe('12');
    expect(cellText(null)).toBe('');
    expect(cellText({ error: '#REF!' })).toBe('');
    const r = readFaqRows(sheet(['質問', '回答'], ['=1+1', '1行目\r\n2行目  \n\n3行目']), new Set());
    expect(r.rows[0]).toMatchObject({ question: '=1+1', answer: '1行目\n2行目\n\n3行目' });
  });

  it('B-04: keywords are split on 、 , ; and new lines, trimmed, without repeats; the export header starts with ID', () => {
    expect(splitKeywords('ごみ、 粗大ごみ,家具;ごみ\n処理券 ')).toEqual([
      'ごみ',
      '粗大ごみ',
      '家具',
      '処理券',
    ]);
    expect(FAQ_EXPORT_HEADER).toEqual(['ID', '質問', '回答', 'カテゴリ', 'キーワード', 'リンク']);
  });

  it('B-04: the unpacked size of a zip is read from its directory before anything is unpacked', () => {
    // One entry "a" stored with an unpacked size of 3 GB (a zip bomb's claim), then the directory end.
    const central = Buffer.alloc(47);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(3_000_000_000, 24);
    central.writeUInt16LE(1, 28);
    central.write('a', 46);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(4, 16);
    const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), central, end]);
    expect(zipUnpackedSize(zip)).toBe(3_000_000_000);
    expect(zipUnpackedSize(Buffer.from('504b0304', 'hex'))).toBeNull();
  });
});
