import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestChannel, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { type LineMessage, rewriteLinks } from './links.ts';

// Counted redirects of delivery links (G-10) on a real PostgreSQL and over real HTTP.

let server: TestServer;
let deliveryId: string;
let otherDeliveryId: string;
const PUBLIC = 'https://madoguchi.example.jp';

beforeAll(async () => {
  server = await startTestServer();
  const channelId = (await insertTestChannel(server)).id;
  const delivery = (title: string) =>
    server.db
      .insertInto('deliveries')
      .values({
        channel_id: channelId,
        title,
        messages: '[]',
        audience: '{"kind":"all"}',
        status: 'sending',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  deliveryId = (await delivery('防災のお知らせ')).id;
  otherDeliveryId = (await delivery('子育てのお知らせ')).id;
});

afterAll(async () => {
  await server?.close();
});

const messages = (): LineMessage[] => [
  { type: 'text', text: '詳しくは https://city.example.jp/bousai をご覧ください。電話 tel:0432451111' },
  {
    type: 'imagemap',
    baseUrl: `${PUBLIC}/media/00000000-0000-4000-8000-000000000000/imagemap`,
    altText: '避難所マップ',
    baseSize: { width: 1040, height: 1040 },
    actions: [
      {
        type: 'uri',
        linkUri: 'https://city.example.jp/map',
        area: { x: 0, y: 0, width: 1040, height: 1040 },
      },
    ],
  },
  {
    type: 'flex',
    altText: 'お知らせ',
    contents: {
      type: 'bubble',
      body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '避難所' }] },
      footer: {
        type: 'box',
        layout: 'vertical',
        contents: [
          { type: 'button', action: { type: 'uri', label: '詳しく', uri: 'https://city.example.jp/bousai' } },
        ],
      },
    },
  },
];

const REDIRECT = new RegExp(`^${PUBLIC.replace(/\./g, '\\.')}/r/([A-Za-z0-9_-]{22})$`);

function redirectsOf(out: LineMessage[]): string[] {
  const text = (out[0] as { text: string }).text;
  const inText = text.match(/https:\/\/madoguchi\.example\.jp\/r\/[A-Za-z0-9_-]+/g) ?? [];
  const imagemap = (out[1] as { actions: { linkUri: string }[] }).actions.map((a) => a.linkUri);
  const flex = JSON.stringify(out[2]).match(/https:\/\/madoguchi\.example\.jp\/r\/[A-Za-z0-9_-]+/g) ?? [];
  return [...inText, ...imagemap, ...flex];
}

describe('rewriteLinks (G-10)', () => {
  it('G-10: replaces every http(s) link by a random redirect token per position, idempotently', async () => {
    const input = messages();
    const before = structuredClone(input);
    const out = await rewriteLinks(server.db, deliveryId, input, `${PUBLIC}/`);
    expect(input).toEqual(before); // not changed in place

    const redirects = redirectsOf(out);
    expect(redirects).toHaveLength(3);
    for (const url of redirects) expect(url).toMatch(REDIRECT);
    // The same URL at two positions gets two tokens (clicks per link).
    expect(new Set(redirects).size).toBe(3);
    expect((out[0] as { text: string }).text).toBe(
      `詳しくは ${redirects[0]} をご覧ください。電話 tel:0432451111`,
    );
    // The imagemap's image URL is not a link.
    expect((out[1] as { baseUrl: string }).baseUrl).toContain('/media/');

    const rows = await server.db
      .selectFrom('delivery_links')
      .select(['position', 'url', 'token'])
      .where('delivery_id', '=', deliveryId)
      .orderBy('position')
      .execute();
    expect(rows.map((r) => [r.position, r.url])).toEqual([
      [0, 'https://city.example.jp/bousai'],
      [1, 'https://city.example.jp/map'],
      [2, 'https://city.example.jp/bousai'],
    ]);
    expect(rows.map((r) => `${PUBLIC}/r/${r.token}`)).toEqual(redirects);

    // A restart after a crash: the very same messages.
    const again = await rewriteLinks(server.db, deliveryId, messages(), PUBLIC);
    expect(again).toEqual(out);
    const count = await server.db
      .selectFrom('delivery_links')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);

    // Another delivery with the same messages gets its own tokens.
    const other = await rewriteLinks(server.db, otherDeliveryId, messages(), PUBLIC);
    const otherRedirects = redirectsOf(other);
    expect(otherRedirects).toHaveLength(3);
    for (const url of otherRedirects) expect(redirects).not.toContain(url);
  });

  it('G-10: messages without links are returned unchanged and store nothing', async () => {
    const plain: LineMessage[] = [{ type: 'text', text: '本日は晴れです。' }];
    expect(await rewriteLinks(server.db, otherDeliveryId, plain, PUBLIC)).toEqual(plain);
  });
});

describe('GET /r/:token (G-10)', () => {
  it('G-10: redirects to the stored URL and counts the click with its time only', async () => {
    const link = await server.db
      .selectFrom('delivery_links')
      .select(['id', 'token', 'url'])
      .where('delivery_id', '=', deliveryId)
      .where('position', '=', 1)
      .executeTakeFirstOrThrow();
    const res = await fetch(`${server.url}/r/${link.token}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://city.example.jp/map');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const clicks = await server.db
      .selectFrom('delivery_clicks')
      .selectAll()
      .where('link_id', '=', link.id)
      .execute();
    expect(clicks).toHaveLength(1);
    expect(Object.keys(clicks[0] ?? {}).sort()).toEqual(['clicked_at', 'id', 'link_id']);
  });

  it('G-10: an unknown or malformed token is a small Japanese 404 page, nothing is counted', async () => {
    const before = await server.db.selectFrom('delivery_clicks').select('id').execute();
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', 'bad token!', 'x'.repeat(90)]) {
      const res = await fetch(`${server.url}/r/${encodeURIComponent(token)}`, { redirect: 'manual' });
      expect({ token, status: res.status }).toEqual({ token, status: 404 });
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('リンクが見つかりません');
    }
    expect(await server.db.selectFrom('delivery_clicks').select('id').execute()).toHaveLength(before.length);
  });

  it('G-10: a stored link that is not http(s) is never redirected to', async () => {
    const token = 'javascriptTokenAAAAAAA';
    await server.db
      .insertInto('delivery_links')
      .values({ delivery_id: otherDeliveryId, token, url: 'javascript:alert(1)', position: 99 })
      .execute();
    const res = await fetch(`${server.url}/r/${token}`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it('G-10: one address clicking in a loop still gets redirected but counts at most 60 a minute', async () => {
    const link = await server.db
      .selectFrom('delivery_links')
      .select(['id', 'token'])
      .where('delivery_id', '=', otherDeliveryId)
      .where('position', '=', 0)
      .executeTakeFirstOrThrow();
    const statuses = new Set<number>();
    for (let i = 0; i < 70; i++) {
      const res = await fetch(`${server.url}/r/${link.token}`, { redirect: 'manual' });
      statuses.add(res.status);
    }
    expect([...statuses]).toEqual([302]);
    // Every click of this file came from 127.0.0.1 within the minute: 1 earlier + 59 here.
    const all = await server.db.selectFrom('delivery_clicks').select('id').execute();
    expect(all).toHaveLength(60);
  });
});
