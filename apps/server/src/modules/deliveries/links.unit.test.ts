import { describe, expect, it } from 'vitest';
import { collectLinks, describeLinks, TEXT_MAX, trimUrl } from './links.ts';

// Finding the links of a delivery's messages (G-10): which URLs are counted, in which order, and
// how the text around them is kept.

const BASE = 'https://madoguchi.example.jp';
const REDIRECT = `${BASE}/r/${'x'.repeat(22)}`;

/** Rewrites with fake redirects r0, r1, … of the real length. */
function rewrite(messages: unknown[]) {
  const copy = structuredClone(messages);
  const slots = collectLinks(copy, BASE, REDIRECT.length);
  slots.forEach((s, i) => {
    s.apply(`${BASE}/r/${String(i).padStart(22, '0')}`);
  });
  return { urls: slots.map((s) => s.url), messages: copy as Record<string, unknown>[] };
}

const r = (i: number) => `${BASE}/r/${String(i).padStart(22, '0')}`;

describe('trimUrl', () => {
  it('G-10: drops punctuation that ends the sentence, keeps balanced brackets', () => {
    expect(trimUrl('https://city.example.jp/a.')).toBe('https://city.example.jp/a');
    expect(trimUrl('https://city.example.jp/a?x=1,')).toBe('https://city.example.jp/a?x=1');
    expect(trimUrl('https://city.example.jp/a)')).toBe('https://city.example.jp/a');
    expect(trimUrl('https://ja.wikipedia.org/wiki/千葉_(市)')).toBe(
      'https://ja.wikipedia.org/wiki/千葉_(市)',
    );
    expect(trimUrl("https://city.example.jp/a'!")).toBe('https://city.example.jp/a');
  });
});

describe('collectLinks', () => {
  it('G-10: rewrites URLs in text, also where Japanese text runs straight on, and shifts emoji indexes', () => {
    const text = '$ 詳しくはhttps://city.example.jp/a/b?c=1をご覧ください。(http://x.example.com/p) $ 終';
    const { urls, messages } = rewrite([
      {
        type: 'text',
        text,
        emojis: [
          { index: 0, productId: 'p', emojiId: '001' },
          { index: text.lastIndexOf('$'), productId: 'p', emojiId: '002' },
        ],
      },
    ]);
    expect(urls).toEqual(['https://city.example.jp/a/b?c=1', 'http://x.example.com/p']);
    const out = messages[0] as { text: string; emojis: { index: number }[] };
    expect(out.text).toBe(`$ 詳しくは${r(0)}をご覧ください。(${r(1)}) $ 終`);
    expect(out.emojis[0]?.index).toBe(0);
    expect(out.text[out.emojis[1]?.index ?? -1]).toBe('$');
  });

  it('G-10: rewrites imagemap linkUri, flex and template uri actions and quick replies; leaves other links alone', () => {
    const { urls, messages } = rewrite([
      {
        type: 'imagemap',
        baseUrl: `${BASE}/media/1/imagemap`,
        altText: '地図',
        baseSize: { width: 1040, height: 1040 },
        actions: [
          {
            type: 'uri',
            linkUri: 'https://city.example.jp/map',
            area: { x: 0, y: 0, width: 520, height: 1040 },
          },
          {
            type: 'message',
            text: 'https://not-a-link.example.jp',
            area: { x: 520, y: 0, width: 520, height: 1040 },
          },
        ],
      },
      {
        type: 'flex',
        altText: 'お知らせ',
        contents: {
          type: 'bubble',
          hero: {
            type: 'image',
            url: 'https://cdn.example.jp/hero.png',
            action: { type: 'uri', uri: 'https://city.example.jp/hero' },
          },
          body: {
            type: 'box',
            layout: 'vertical',
            contents: [{ type: 'text', text: 'https://city.example.jp/in-flex-text' }],
          },
          footer: {
            type: 'box',
            layout: 'vertical',
            contents: [
              {
                type: 'button',
                action: { type: 'uri', label: '詳しく', uri: 'https://city.example.jp/detail' },
              },
              { type: 'button', action: { type: 'uri', label: '電話', uri: 'tel:0432451111' } },
              {
                type: 'button',
                action: { type: 'uri', label: 'LIFF', uri: 'https://liff.line.me/1234-abcd' },
              },
              { type: 'button', action: { type: 'uri', label: '友だち', uri: 'https://lin.ee/abc' } },
              {
                type: 'button',
                action: { type: 'uri', label: '済', uri: `${BASE}/r/already-rewritten-token` },
              },
            ],
          },
        },
        quickReply: {
          items: [
            { type: 'action', action: { type: 'uri', label: 'QR', uri: 'https://city.example.jp/qr' } },
          ],
        },
      },
    ]);
    // Keys are walked in sorted order (contents.footer before contents.hero).
    expect(urls).toEqual([
      'https://city.example.jp/map',
      'https://city.example.jp/detail',
      'https://city.example.jp/hero',
      'https://city.example.jp/qr',
    ]);
    const json = JSON.stringify(messages);
    for (const kept of [
      'https://not-a-link.example.jp',
      'https://cdn.example.jp/hero.png',
      'https://city.example.jp/in-flex-text',
      'tel:0432451111',
      'https://liff.line.me/1234-abcd',
      'https://lin.ee/abc',
      `${BASE}/r/already-rewritten-token`,
      `${BASE}/media/1/imagemap`,
    ]) {
      expect(json).toContain(kept);
    }
    expect((messages[0] as { actions: { linkUri?: string }[] }).actions[0]?.linkUri).toBe(r(0));
  });

  it('G-10: the order does not depend on the key order of the stored JSON', () => {
    const a = {
      type: 'flex',
      altText: 'x',
      contents: {
        type: 'bubble',
        header: { action: { type: 'uri', uri: 'https://a.example.jp' } },
        footer: { action: { type: 'uri', uri: 'https://b.example.jp' } },
      },
    };
    const b = {
      contents: {
        footer: { action: { uri: 'https://b.example.jp', type: 'uri' } },
        header: { action: { uri: 'https://a.example.jp', type: 'uri' } },
        type: 'bubble',
      },
      altText: 'x',
      type: 'flex',
    };
    expect(rewrite([a]).urls).toEqual(rewrite([b]).urls);
  });

  it('G-10: a URL whose rewrite would make the text longer than 5,000 characters stays as it is', () => {
    const long = 'https://city.example.jp/'.padEnd(60, 'a');
    const short = 'http://a.jp/';
    const filler = 'あ'.repeat(TEXT_MAX - long.length - short.length - 2);
    const text = `${long} ${short}${filler}`.slice(0, TEXT_MAX);
    expect(text.length).toBeLessThanOrEqual(TEXT_MAX);
    const { urls, messages } = rewrite([{ type: 'text', text }]);
    // The long URL gets shorter (fits); the short one would grow past the limit.
    expect(urls).toEqual([long]);
    const out = (messages[0] as { text: string }).text;
    expect(out.startsWith(`${r(0)} ${short}`)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(TEXT_MAX);
  });
});

describe('describeLinks (issue 9)', () => {
  it('G-10: names the message and the part of every counted link, in the order rewriteLinks numbers them', () => {
    const u = 'https://city.example.jp/x';
    const places = describeLinks(
      [
        {
          type: 'text',
          text: `本文 ${u}`,
          quickReply: { items: [{ type: 'action', action: { type: 'uri', label: 'a', uri: u } }] },
        },
        {
          type: 'imagemap',
          baseUrl: `${BASE}/media/1/imagemap`,
          altText: '地図',
          baseSize: { width: 1040, height: 1040 },
          actions: [{ type: 'uri', linkUri: u, area: { x: 0, y: 0, width: 10, height: 10 } }],
        },
        {
          type: 'flex',
          altText: 'カード',
          contents: {
            type: 'bubble',
            body: { type: 'box', layout: 'vertical', action: { type: 'uri', uri: u }, contents: [] },
            footer: {
              type: 'box',
              layout: 'vertical',
              contents: [{ type: 'button', action: { type: 'uri', label: 'b', uri: u } }],
            },
          },
        },
        {
          type: 'template',
          altText: 't',
          template: { type: 'buttons', text: 't', actions: [{ type: 'uri', label: 'c', uri: u }] },
        },
      ],
      BASE,
    );
    expect(places.map((p) => [p.position, p.message, p.kind])).toEqual([
      [0, 0, 'text'],
      [1, 0, 'action'],
      [2, 1, 'imagemap'],
      [3, 2, 'action'],
      [4, 2, 'button'],
      [5, 3, 'button'],
    ]);
  });
});
