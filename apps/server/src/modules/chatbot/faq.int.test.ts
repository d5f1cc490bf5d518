import { randomUUID } from 'node:crypto';
import type {
  FaqEntryView,
  FaqImportResult,
  FaqMatch,
  UnansweredView,
} from '@madoguchi/contracts/chatbot.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import {
  addFriend,
  type ChatAction,
  quickReply,
  received,
  receivedAfter,
  say,
  settled,
  tap,
} from '../../testing/line-chat.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { countFaqUse, countUnanswered } from './faq.service.ts';
import { FAQ_GONE_TEXT, FAQ_HELPFUL_THANKS, FAQ_SUGGEST_TEXT } from './faq-line.ts';
import { CITY_FAQ } from './testdata/city-faq.ts';

// The FAQ (B-04) against a real server, PostgreSQL and the LINE simulator: staff import the city's
// sheet (xlsx built here with exceljs, CSV in cp932), with a dry run and row errors, export it and
// import it back; a question typed on the virtual phone goes webhook → dispatch → the chatbot →
// the FAQ, and what it cannot answer appears in the unanswered list.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;
type Client = typeof admin;

beforeAll(async () => {
  w = await startLineWorld('2600001202');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
}, 90_000);
afterAll(async () => w?.close());

const HEADER = ['質問', '回答', 'カテゴリ', 'キーワード', 'リンク'];

/** An xlsx as staff make one: a title row, a blank row, the header, an extra column, blank rows. */
async function cityWorkbook(rows = CITY_FAQ): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('よくある質問');
  sheet.addRow(['テスト市 よくある質問（令和8年度）']);
  sheet.addRow([]);
  sheet.addRow([...HEADER, '担当課']);
  rows.forEach((r, i) => {
    sheet.addRow([...r, '市民課']);
    if (i === 10) sheet.addRow([]);
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const upload = (
  bytes: Buffer | string,
  query: string,
  c: Client = admin,
  type = 'application/octet-stream',
) =>
  fetch(`${w.server.url}/api/chatbot/faq/import?${query}`, {
    method: 'POST',
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
const importFile = async (bytes: Buffer | string, dryRun: boolean, channelId = w.channelId) => {
  const r = await upload(bytes, `channelId=${channelId}&dryRun=${dryRun}`);
  return {
    status: r.status,
    body: (await r.json()) as FaqImportResult & {
      code?: string;
      message?: string;
      details?: { path: string; code: string }[];
    },
  };
};
const list = async (query = '') => {
  const r = await admin.request('GET', `/api/chatbot/faq?channelId=${w.channelId}&limit=500${query}`);
  expect(r.status).toBe(200);
  return (await r.json()) as { items: FaqEntryView[]; total: number };
};
const exportFile = async () => {
  const r = await admin.request('GET', `/api/chatbot/faq/export?channelId=${w.channelId}`);
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
};
const search = async (text: string) => {
  const r = await admin.request('POST', '/api/chatbot/faq/search', { channelId: w.channelId, text });
  expect(r.status).toBe(200);
  return (await r.json()) as FaqMatch;
};
const unanswered = async () => {
  const r = await admin.request('GET', `/api/chatbot/faq/unanswered?channelId=${w.channelId}`);
  expect(r.status).toBe(200);
  return (await r.json()) as UnansweredView[];
};

const REPLY = ['reply'];
/** The friend's reply number `seen + 1`, once it has come. */
const nextReply = async (userId: string, seen: number) =>
  (await receivedAfter(w, userId, seen, seen + 1, REPLY))[0]!;
/** A row as staff read it (GET /api/chatbot/faq: its counts summed from faq_uses). */
const row = async (rowNo: number) => {
  const found = (await list()).items.find((i) => i.rowNo === rowNo);
  if (!found) throw new Error(`no FAQ No.${rowNo}`);
  return found;
};

describe('FAQ import and export (B-04)', () => {
  it('B-04: a 50-row xlsx (title row, blank rows, an extra column): the dry run reports and changes nothing', async () => {
    const r = await importFile(await cityWorkbook(), true);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      dryRun: true,
      rows: 50,
      created: 50,
      updated: 0,
      removed: 0,
      errors: [],
      ignoredColumns: ['担当課'],
    });
    expect((await list()).total).toBe(0);
  });

  it('B-04: the import creates the 50 rows numbered 1 … 50, keywords split, in one go', async () => {
    const r = await importFile(await cityWorkbook(), false);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dryRun: false, rows: 50, created: 50, updated: 0, removed: 0 });
    const { items, total } = await list();
    expect(total).toBe(50);
    expect(items.map((i) => i.rowNo)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const sodai = items.find((i) => i.question === '粗大ごみの出し方');
    expect(sodai).toMatchObject({
      category: 'ごみ・リサイクル',
      keywords: ['粗大ごみ', '大型ごみ', '家具', '処理券'],
      link: 'https://city.example.jp/gomi/sodai',
      answered: 0,
    });
    expect((await list('&category=証明書')).total).toBe(7);
    expect((await list(`&q=${encodeURIComponent('マイナンバー')}`)).total).toBeGreaterThanOrEqual(4);
  });

  it('B-04: round trip — the export (ID first) imported back changes nothing; one edited cell is one update; a deleted row is removed', async () => {
    const file = await exportFile();
    const sheet = await readXlsx(file);
    expect(sheet.rows[0]).toEqual(['ID', ...HEADER]);
    expect(sheet.rows).toHaveLength(51);
    const same = await importFile(file, false);
    expect(same.body).toMatchObject({ rows: 50, created: 0, updated: 0, removed: 0, errors: [] });

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ExcelJS.Buffer);
    const ws = book.worksheets[0] as ExcelJS.Worksheet;
    ws.getRow(4).getCell(3).value = '市民課窓口で取れます（平日 8時30分〜17時15分）。';
    ws.spliceRows(51, 1);
    const edited = Buffer.from(await book.xlsx.writeBuffer());
    expect((await importFile(edited, true)).body).toMatchObject({ created: 0, updated: 1, removed: 1 });
    expect((await list()).total).toBe(50);
    expect((await importFile(edited, false)).body).toMatchObject({ created: 0, updated: 1, removed: 1 });
    expect((await list()).total).toBe(49);
    expect((await row(3)).answer).toBe('市民課窓口で取れます（平日 8時30分〜17時15分）。');
    const back = await importFile(await exportFile(), false);
    expect(back.body).toMatchObject({ created: 0, updated: 0, removed: 0 });
  });

  it('B-04: formulas, rich text and hyperlink cells are read as text; formula text is exported as text, never evaluated', async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('FAQ');
    ws.addRow(HEADER);
    ws.addRow([{ formula: 'CONCAT("税","金")', result: '税金' }, '=1+1 は計算されません', '税金', '', '']);
    ws.addRow([
      { richText: [{ text: '図書館の' }, { font: { bold: true }, text: '返却ポスト' }] },
      '正面入口の右にあります。',
      'くらし',
      '',
      { text: '図書館のページ', hyperlink: 'https://city.example.jp/library' },
    ]);
    const before = (await list()).total;
    const r = await importFile(Buffer.from(await book.xlsx.writeBuffer()), true);
    expect(r.body.errors).toEqual([
      expect.objectContaining({ line: 3, code: 'FAQ_ROW_BAD_LINK', column: 'リンク' }),
    ]);
    // A sheet with only these rows would remove the others: add them to the export instead.
    const file = await exportFile();
    const full = new ExcelJS.Workbook();
    await full.xlsx.load(file as unknown as ExcelJS.Buffer);
    const sheet = full.worksheets[0] as ExcelJS.Worksheet;
    sheet.addRow([
      null,
      { formula: 'CONCAT("税","金")', result: '税金' },
      '=1+1 は計算されません',
      '税金',
      '',
      '',
    ]);
    sheet.addRow([
      null,
      { richText: [{ text: '図書館の' }, { text: '返却ポスト' }] },
      '正面入口の右にあります。',
      'くらし',
      '',
      { text: 'https://city.example.jp/library', hyperlink: 'https://city.example.jp/library' },
    ]);
    const done = await importFile(Buffer.from(await full.xlsx.writeBuffer()), false);
    expect(done.body).toMatchObject({ created: 2, updated: 0, removed: 0, errors: [] });
    const items = (await list()).items;
    expect(items).toHaveLength(before + 2);
    const formula = items.find((i) => i.question === '=CONCAT("税","金")');
    expect(formula?.answer).toBe('=1+1 は計算されません');
    expect(items.find((i) => i.question === '図書館の返却ポスト')?.link).toBe(
      'https://city.example.jp/library',
    );
    const exported = await readXlsx(await exportFile());
    const at = exported.rows.findIndex((r) => r[1] === '=CONCAT("税","金")');
    expect(at).toBeGreaterThan(0);
    expect(exported.types[at]?.[1]).toBe(ExcelJS.ValueType.String);
    expect(exported.types[at]?.[2]).toBe(ExcelJS.ValueType.String);
  });

  it('B-04: CSV in cp932 with row errors: the dry run lists them with their lines; the import refuses and changes nothing', async () => {
    const csv = [
      '番号,質問,回答,分類,キーワード,URL,メモ',
      ',国民健康保険証をなくした,保険年金課で再交付できます。,保険・年金,保険証、再交付,,',
      ',,回答だけの行,,,,',
      ',質問だけの行,,,,,',
      ',リンクが変,回答,,,ftp://example.jp/x,',
      '9999,知らない番号,回答,,,,',
      '1,重なる番号 1,回答,,,,',
      '1,重なる番号 2,回答,,,,',
      `,${'長'.repeat(501)},回答,,,,`,
    ].join('\r\n');
    const bytes = iconv.encode(csv, 'cp932');
    const before = await list();
    const dry = await importFile(bytes, true);
    expect(dry.status).toBe(200);
    expect(dry.body.ignoredColumns).toEqual(['メモ']);
    expect(dry.body.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [3, 'FAQ_ROW_NO_QUESTION', '質問'],
      [4, 'FAQ_ROW_NO_ANSWER', '回答'],
      [5, 'FAQ_ROW_BAD_LINK', 'リンク'],
      [6, 'FAQ_ROW_UNKNOWN_ID', 'ID'],
      [8, 'FAQ_ROW_DUPLICATE_ID', 'ID'],
      [9, 'FAQ_ROW_TOO_LONG', '質問'],
    ]);
    expect(dry.body.errors.every((e) => /[ぁ-んァ-ン一-龥]/.test(e.message))).toBe(true);
    const real = await importFile(bytes, false);
    expect(real.status).toBe(400);
    expect(real.body.code).toBe('FAQ_IMPORT_INVALID');
    expect(real.body.details?.[0]).toMatchObject({ path: '3行目・質問', code: 'FAQ_ROW_NO_QUESTION' });
    expect(await list()).toEqual(before);
  });

  it('B-04: a CSV in UTF-8 with BOM imports like the xlsx', async () => {
    const file = await readXlsx(await exportFile());
    const csv = `\uFEFF${file.rows
      .map((r) => r.map((c) => `"${String(c ?? '').replace(/"/g, '""')}"`).join(','))
      .join('\r\n')}`;
    const r = await importFile(csv, true);
    expect(r.body).toMatchObject({ created: 0, updated: 0, removed: 0, errors: [] });
  });

  it('B-04: 10,000-row files are refused at once (xlsx and CSV), nothing imported', async () => {
    const before = (await list()).total;
    const many = Array.from({ length: 10_000 }, (_, i) => [`質問${i}`, `回答${i}`, '', '', '']);
    const xlsx = await cityWorkbook(many as typeof CITY_FAQ);
    const a = await importFile(xlsx, false);
    expect(a).toMatchObject({ status: 400, body: { code: 'FAQ_FILE_TOO_MANY_ROWS' } });
    const csv = `${HEADER.join(',')}\n${many.map((r) => r.join(',')).join('\n')}`;
    const b = await importFile(csv, true);
    expect(b).toMatchObject({ status: 400, body: { code: 'FAQ_FILE_TOO_MANY_ROWS' } });
    expect(b.body.message).toContain('5,000');
    expect((await list()).total).toBe(before);
  });

  it('B-04: bad files — not a spreadsheet (PNG, old .xls, PDF, a broken zip), empty, no header, too large', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(64)]);
    const pdf = Buffer.from('%PDF-1.7\n\u0001\u0002binary');
    const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.from('not really a zip')]);
    for (const bytes of [png, xls, pdf, zip]) {
      const r = await importFile(bytes, true);
      expect(r).toMatchObject({ status: 400, body: { code: 'FAQ_FILE_NOT_SPREADSHEET' } });
    }
    expect(await importFile('', true)).toMatchObject({
      status: 400,
      body: { code: 'FAQ_FILE_NOT_SPREADSHEET' },
    });
    expect(await importFile('名前,電話\n田中,03-0000-0000\n', true)).toMatchObject({
      status: 400,
      body: { code: 'FAQ_FILE_NO_HEADER' },
    });
    expect(await importFile('質問,回答\n"閉じない引用符,あ\n', true)).toMatchObject({ status: 400 });
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    const r = await upload(big, `channelId=${w.channelId}&dryRun=true`);
    expect(r.status).toBe(413);
    expect(((await r.json()) as { code: string }).code).toBe('FAQ_FILE_TOO_LARGE');
  });
});

describe('FAQ answers in LINE (B-04)', () => {
  it('B-04: a typed paraphrase gets the one confident answer naming its row; 役に立った is counted and thanked', async () => {
    const sodai = (await list()).items.find((i) => i.question === '粗大ごみの出し方') as FaqEntryView;
    const user = await addFriend(w, 'FAQ 花子');
    const seen = (await received(w, user, REPLY)).length;
    await say(w, user, '粗大ゴミはどうやって出すの？');
    const answer = await nextReply(user, seen);
    expect(answer.message.text).toContain(sodai.answer);
    expect(answer.message.text).toContain(`（FAQ No.${sodai.rowNo}）`);
    expect(answer.message.text).toContain('https://city.example.jp/gomi/sodai');
    const good = quickReply(answer, '役に立った', true);
    expect(good.data).toBe(`faq=${sodai.id}&helpful=1`);
    expect(quickReply(answer, '役に立たなかった', true).data).toBe(`faq=${sodai.id}&helpful=0`);
    await tap(w, user, good);
    expect((await nextReply(user, seen + 1)).message.text).toBe(FAQ_HELPFUL_THANKS);
    const counted = await row(sodai.rowNo);
    expect([counted.answered, counted.helpful, counted.notHelpful]).toEqual([1, 1, 0]);
  });

  it('B-04: an unsure question offers up to three questions as buttons; a tap shows that answer and counts it', async () => {
    const user = await addFriend(w, 'FAQ 花子');
    const seen = (await received(w, user, REPLY)).length;
    await say(w, user, 'マイナンバーカードを作りたい');
    const offer = await nextReply(user, seen);
    expect(offer.message.text).toContain(FAQ_SUGGEST_TEXT);
    const buttons = offer.message.quickReply?.items ?? [];
    expect(buttons.length).toBeGreaterThan(1);
    expect(buttons.length).toBeLessThanOrEqual(3);
    const apply = (await list()).items.find(
      (i) => i.question === 'マイナンバーカードの申請方法',
    ) as FaqEntryView;
    const button = buttons.find((b) => b.action.data === `faq=${apply.id}`);
    expect(button?.action.label?.length).toBeLessThanOrEqual(20);
    await tap(w, user, button?.action as ChatAction);
    const shown = await nextReply(user, seen + 1);
    expect(shown.message.text).toContain(apply.answer);
    expect(shown.message.text).toContain(`（FAQ No.${apply.rowNo}）`);
    expect((await row(apply.rowNo)).answered).toBe(1);
  });

  it('B-04: a question nothing answers goes to the unanswered list (counted, most asked first, no user ID); dismissing removes it', async () => {
    const a = await addFriend(w, 'FAQ 花子');
    const b = await addFriend(w, 'FAQ 花子');
    await say(w, a, 'プールの営業時間を教えて');
    await say(w, b, 'プールの　営業時間を教えて？');
    await say(w, a, '公園でバーベキューはできますか 090-1234-5678');
    await settled(w, a, 3, false);
    await settled(w, b, 2, false);
    const open = await unanswered();
    expect(open[0]).toMatchObject({ text: 'ぷーるの営業時間を教えて', count: 2 });
    expect(open.map((u) => u.text)).toContain('公園でばーべきゅーはできますか＊');
    const stored = await w.server.db.selectFrom('faq_unanswered_asks').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(a);
    const dismiss = await admin.request('POST', '/api/chatbot/faq/unanswered/dismiss', {
      channelId: w.channelId,
      text: 'ぷーるの営業時間を教えて',
    });
    expect(dismiss.status).toBe(204);
    expect((await unanswered()).map((u) => u.text)).not.toContain('ぷーるの営業時間を教えて');
    // Asked again after the dismissal: back, counted from one.
    await say(w, b, 'プールの営業時間を教えて');
    await settled(w, b, 3, false);
    expect((await unanswered()).find((u) => u.text === 'ぷーるの営業時間を教えて')?.count).toBe(1);
  });

  it('B-04: the statistics export has a row per FAQ row with answered and helpful counts', async () => {
    const sodai = await row((await list()).items.find((i) => i.question === '粗大ごみの出し方')?.rowNo ?? 3);
    const r = await admin.request('GET', `/api/chatbot/stats/export?channelId=${w.channelId}&format=csv`);
    expect(r.status).toBe(200);
    const line = (await r.text()).split('\r\n').find((l) => l.includes('粗大ごみの出し方'));
    expect(line).toBe(
      `FAQ,,,${sodai.rowNo},粗大ごみの出し方,,,,,${sodai.answered},${sodai.helpful},${sodai.notHelpful}`,
    );
  });

  it('B-04: a stale or forged FAQ button is answered politely, never an error', async () => {
    const user = await addFriend(w, 'FAQ 花子');
    const seen = (await received(w, user, REPLY)).length;
    await tap(w, user, { type: 'postback', label: 'x', data: `faq=${randomUUID()}` });
    expect((await nextReply(user, seen)).message.text).toBe(FAQ_GONE_TEXT);
    await tap(w, user, { type: 'postback', label: 'x', data: 'faq=not-a-uuid&helpful=1' });
    expect((await nextReply(user, seen + 1)).message.text).toBe(FAQ_GONE_TEXT);
  });
});

describe('FAQ counts under concurrent dispatch (B-04, issue 12)', () => {
  it('B-04: two open transactions counting the same FAQ row and the same unanswered text both commit, neither waits', async () => {
    const sodai = (await list()).items.find((i) => i.question === '粗大ごみの出し方') as FaqEntryView;
    const text = '同時に届いた答えのない質問';
    const db = w.server.db;
    // The first transaction counts and stays open while the second counts the same things. With a
    // shared counter row (update … + 1, insert … on conflict do update) the second would wait for
    // the first's row lock: lock_timeout makes that wait fail the test instead of hanging it.
    await db.transaction().execute(async (first) => {
      expect(await countFaqUse(first, w.channelId, sodai.id, 'answered')).toMatchObject({ id: sodai.id });
      await countFaqUse(first, w.channelId, sodai.id, 'helpful');
      await countUnanswered(first, w.channelId, text);
      await db.transaction().execute(async (second) => {
        await sql`set local lock_timeout = '100ms'`.execute(second);
        await countFaqUse(second, w.channelId, sodai.id, 'answered');
        await countFaqUse(second, w.channelId, sodai.id, 'not_helpful');
        await countUnanswered(second, w.channelId, text);
      });
    });
    const after = await row(sodai.rowNo);
    expect([after.answered, after.helpful, after.notHelpful]).toEqual([
      sodai.answered + 2,
      sodai.helpful + 1,
      sodai.notHelpful + 1,
    ]);
    expect((await unanswered()).find((u) => u.text === text)?.count).toBe(2);
  });

  it('B-04: a use of a row that is not in the channel counts nothing and answers null', async () => {
    const sodai = (await list()).items.find((i) => i.question === '粗大ごみの出し方') as FaqEntryView;
    expect(await countFaqUse(w.server.db, randomUUID(), sodai.id, 'answered')).toBeNull();
    expect(await countFaqUse(w.server.db, w.channelId, randomUUID(), 'answered')).toBeNull();
    expect((await row(sodai.rowNo)).answered).toBe(sodai.answered);
  });
  it('B-04: an import that removes a row removes its counted uses with it', async () => {
    const items = (await list()).items;
    const last = items[items.length - 1] as FaqEntryView;
    await countFaqUse(w.server.db, w.channelId, last.id, 'answered');
    const uses = () =>
      w.server.db.selectFrom('faq_uses').select('kind').where('entry_id', '=', last.id).execute();
    expect(await uses()).toEqual([{ kind: 'answered' }]);
    const sheet = await readXlsx(await exportFile());
    const csv = sheet.rows
      .filter((r) => String(r[0]) !== String(last.rowNo))
      .map((r) => r.map((c) => `"${String(c ?? '').replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
    expect((await importFile(csv, false)).body).toMatchObject({ created: 0, updated: 0, removed: 1 });
    expect(await uses()).toEqual([]);
  });
});

describe('FAQ search route and the index revision (B-04)', () => {
  it('B-04: faq/search answers what LINE would (answer with counts, suggestions, none)', async () => {
    const r = await search('印鑑証明を取りたいです');
    expect(r).toMatchObject({ kind: 'answer', entry: { question: '印鑑登録証明書の取り方' } });
    expect((await search('ゴミ')).kind).toBe('suggestions');
    expect(await search('今日の天気は？')).toEqual({ kind: 'none' });
  });

  it('B-04: another node changing the FAQ (revision moved in the database) is seen by the next lookup', async () => {
    await sql`update faq_entries set keywords = array['天気予報'] where channel_id = ${w.channelId} and question = '防災無線が聞こえない'`.execute(
      w.server.db,
    );
    // Without the revision the cached index still answers as before…
    expect((await search('天気予報')).kind).toBe('none');
    await sql`update faq_channels set revision = revision + 1 where channel_id = ${w.channelId}`.execute(
      w.server.db,
    );
    expect(await search('天気予報')).toMatchObject({
      kind: 'answer',
      entry: { question: '防災無線が聞こえない' },
    });
  });
});

describe('FAQ routes: bad input (B-04)', () => {
  const unknownChannel = randomUUID();

  it('B-04: unknown channel → 404 on every route', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/chatbot/faq?channelId=${unknownChannel}`],
      ['GET', `/api/chatbot/faq/export?channelId=${unknownChannel}`],
      ['GET', `/api/chatbot/faq/unanswered?channelId=${unknownChannel}`],
      ['POST', '/api/chatbot/faq/search', { channelId: unknownChannel, text: 'ごみ' }],
      ['POST', '/api/chatbot/faq/unanswered/dismiss', { channelId: unknownChannel, text: 'ごみ' }],
    ];
    for (const [method, path, body] of paths) {
      const r = await admin.request(method, path, body);
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect((await importFile('質問,回答\nあ,い\n', true, unknownChannel)).status).toBe(404);
  });

  it('B-04: without a chatbot permission → 403 on every route', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/chatbot/faq?channelId=${w.channelId}`],
      ['GET', `/api/chatbot/faq/export?channelId=${w.channelId}`],
      ['GET', `/api/chatbot/faq/unanswered?channelId=${w.channelId}`],
      ['POST', '/api/chatbot/faq/search', { channelId: w.channelId, text: 'ごみ' }],
      ['POST', '/api/chatbot/faq/unanswered/dismiss', { channelId: w.channelId, text: 'ごみ' }],
    ];
    for (const [method, path, body] of paths) {
      const r = await counselor.request(method, path, body);
      expect([path, r.status]).toEqual([path, 403]);
    }
    const r = await upload('質問,回答\nあ,い\n', `channelId=${w.channelId}&dryRun=true`, counselor);
    expect(r.status).toBe(403);
  });

  it('B-04: chatbot.view reads (list, export, unanswered, search) but cannot import or dismiss', async () => {
    const role = await w.server.db
      .insertInto('roles')
      .values({ name: 'FAQ を見るだけ', permissions: ['chatbot.view'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const viewer = await staffClient(w.server, (await createStaff(w.server.db, role.id)).loginId);
    for (const path of ['/api/chatbot/faq', '/api/chatbot/faq/export', '/api/chatbot/faq/unanswered'])
      expect((await viewer.request('GET', `${path}?channelId=${w.channelId}`)).status).toBe(200);
    expect(
      (await viewer.request('POST', '/api/chatbot/faq/search', { channelId: w.channelId, text: 'ごみ' }))
        .status,
    ).toBe(200);
    const dismiss = await viewer.request('POST', '/api/chatbot/faq/unanswered/dismiss', {
      channelId: w.channelId,
      text: 'ごみ',
    });
    expect(dismiss.status).toBe(403);
    expect((await upload('質問,回答\nあ,い\n', `channelId=${w.channelId}&dryRun=true`, viewer)).status).toBe(
      403,
    );
  });

  it('B-04: malformed JSON, missing or bad fields, bad query values → 400', async () => {
    const bad: [string, string, unknown?][] = [
      ['GET', '/api/chatbot/faq'],
      ['GET', '/api/chatbot/faq?channelId=nope'],
      ['GET', `/api/chatbot/faq?channelId=${w.channelId}&limit=0`],
      ['GET', `/api/chatbot/faq?channelId=${w.channelId}&offset=-1`],
      ['GET', '/api/chatbot/faq/export?channelId=1'],
      ['GET', `/api/chatbot/faq/unanswered?channelId=${w.channelId}&limit=abc`],
      ['POST', '/api/chatbot/faq/search', '{"channelId": '],
      ['POST', '/api/chatbot/faq/search', { channelId: w.channelId }],
      ['POST', '/api/chatbot/faq/search', { channelId: w.channelId, text: '' }],
      ['POST', '/api/chatbot/faq/search', { channelId: w.channelId, text: 'x'.repeat(1001) }],
      ['POST', '/api/chatbot/faq/search', { channelId: w.channelId, text: 'ごみ', extra: 1 }],
      ['POST', '/api/chatbot/faq/unanswered/dismiss', '[]'],
      ['POST', '/api/chatbot/faq/unanswered/dismiss', { channelId: w.channelId, text: 'x'.repeat(201) }],
    ];
    for (const [method, path, body] of bad) {
      const r = await admin.request(method, path, body);
      expect([path, body, r.status]).toEqual([path, body, 400]);
    }
    expect((await upload('質問,回答\nあ,い\n', 'channelId=nope&dryRun=true')).status).toBe(400);
    expect((await upload('質問,回答\nあ,い\n', `channelId=${w.channelId}&dryRun=maybe`)).status).toBe(400);
    const missing = await admin.request('POST', '/api/chatbot/faq/unanswered/dismiss', {
      channelId: w.channelId,
      text: 'だれも聞いていない質問',
    });
    expect(missing.status).toBe(404);
  });

  it('B-04: the import is audited (dry runs too), with its counts', async () => {
    const rows = await w.server.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'chatbot.faq-import')
      .execute();
    expect(rows.length).toBeGreaterThan(3);
  });
});
