import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { mediaIdsOf, parseMessages, toLineMessages } from './messages.schema.ts';

// G-05: the messages of a delivery — clear errors with stable codes, and LINE's form at send time.

const MEDIA = '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';

function codeOf(input: unknown): { code: string; details: unknown } {
  try {
    parseMessages(input);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, details: err.details };
    throw err;
  }
  return { code: 'OK', details: undefined };
}

const bubble = {
  type: 'bubble',
  body: {
    type: 'box',
    layout: 'vertical',
    contents: [
      { type: 'text', text: '防災訓練のお知らせ', weight: 'bold' },
      { type: 'button', action: { type: 'uri', label: '詳しく', uri: 'https://example.jp/a' } },
    ],
  },
};

describe('parseMessages (G-05)', () => {
  it('G-05: accepts text with URLs and emoji, image, imagemap and a flex bubble', () => {
    const messages = parseMessages([
      { type: 'text', text: 'ごみ収集日のお知らせ 🗑️ https://example.jp/gomi' },
      { type: 'image', mediaId: MEDIA },
      {
        type: 'imagemap',
        mediaId: MEDIA,
        altText: '子育て情報',
        baseSize: { width: 1040, height: 520 },
        actions: [
          {
            type: 'uri',
            linkUri: 'https://example.jp/kosodate',
            area: { x: 0, y: 0, width: 520, height: 520 },
          },
          { type: 'message', text: '相談', area: { x: 520, y: 0, width: 520, height: 520 } },
        ],
      },
      { type: 'flex', altText: '防災訓練', contents: bubble },
    ]);
    expect(messages).toHaveLength(4);
    expect(mediaIdsOf(messages)).toEqual([MEDIA]);
  });

  it('G-05: 5,000 characters pass, 5,001 fail with TEXT_TOO_LONG', () => {
    expect(codeOf([{ type: 'text', text: 'あ'.repeat(5000) }]).code).toBe('OK');
    const r = codeOf([{ type: 'text', text: 'あ'.repeat(5001) }]);
    expect(r.code).toBe('TEXT_TOO_LONG');
    expect(r.details).toEqual([{ path: 'messages.0.text', message: expect.stringContaining('5,000') }]);
    // An emoji outside the BMP counts twice, as on LINE.
    expect(codeOf([{ type: 'text', text: `${'a'.repeat(4999)}😀` }]).code).toBe('TEXT_TOO_LONG');
  });

  it('G-05: at most 5 messages (TOO_MANY_MESSAGES), at least one', () => {
    const text = { type: 'text', text: 'お知らせ' };
    expect(codeOf(Array(5).fill(text)).code).toBe('OK');
    expect(codeOf(Array(6).fill(text)).code).toBe('TOO_MANY_MESSAGES');
    expect(codeOf([]).code).toBe('MESSAGE_INVALID');
    expect(codeOf('text').code).toBe('MESSAGE_INVALID');
  });

  it('G-05: unknown types, empty text, bad media IDs are MESSAGE_INVALID with the path', () => {
    expect(codeOf([{ type: 'sticker', packageId: '1', stickerId: '1' }]).code).toBe('MESSAGE_INVALID');
    const r = codeOf([
      { type: 'text', text: 'ok' },
      { type: 'text', text: '' },
    ]);
    expect(r.code).toBe('MESSAGE_INVALID');
    expect((r.details as { path: string }[])[0]!.path).toBe('messages.1.text');
    expect(codeOf([{ type: 'image', mediaId: 'x' }]).code).toBe('MESSAGE_INVALID');
  });

  it('G-05: imagemap tap areas must lie inside baseSize; width is 1040; altText ≤ 400', () => {
    const base = {
      type: 'imagemap',
      mediaId: MEDIA,
      altText: '地図',
      baseSize: { width: 1040, height: 700 },
    };
    const outside = codeOf([
      {
        ...base,
        actions: [
          { type: 'uri', linkUri: 'https://example.jp', area: { x: 600, y: 0, width: 500, height: 100 } },
        ],
      },
    ]);
    expect(outside.code).toBe('MESSAGE_INVALID');
    expect(outside.details).toEqual([
      { path: 'messages.0.actions.0.area', message: 'タップ領域が画像の外にはみ出しています' },
    ]);
    expect(
      codeOf([
        {
          ...base,
          actions: [{ type: 'message', text: 'a', area: { x: 0, y: 600, width: 10, height: 101 } }],
        },
      ]).code,
    ).toBe('MESSAGE_INVALID');
    expect(
      codeOf([
        {
          ...base,
          baseSize: { width: 1000, height: 700 },
          actions: [{ type: 'message', text: 'a', area: { x: 0, y: 0, width: 10, height: 10 } }],
        },
      ]).code,
    ).toBe('MESSAGE_INVALID');
    expect(
      codeOf([
        {
          ...base,
          altText: 'あ'.repeat(401),
          actions: [{ type: 'message', text: 'a', area: { x: 0, y: 0, width: 10, height: 10 } }],
        },
      ]).code,
    ).toBe('MESSAGE_INVALID');
    expect(
      codeOf([
        {
          ...base,
          actions: [
            { type: 'uri', linkUri: 'javascript:alert(1)', area: { x: 0, y: 0, width: 1, height: 1 } },
          ],
        },
      ]).code,
    ).toBe('MESSAGE_INVALID');
  });

  it('G-05: a flex bubble needs its basic structure and at most 30 KB of JSON', () => {
    expect(codeOf([{ type: 'flex', altText: 'a', contents: { type: 'carousel', contents: [] } }]).code).toBe(
      'MESSAGE_INVALID',
    );
    expect(codeOf([{ type: 'flex', altText: 'a', contents: { type: 'bubble' } }]).code).toBe(
      'MESSAGE_INVALID',
    );
    expect(
      codeOf([
        { type: 'flex', altText: 'a', contents: { type: 'bubble', body: { type: 'box', contents: [] } } },
      ]).code,
    ).toBe('MESSAGE_INVALID');
    const big = {
      type: 'bubble',
      body: {
        type: 'box',
        layout: 'vertical',
        contents: Array.from({ length: 40 }, () => ({ type: 'text', text: 'あ'.repeat(300) })),
      },
    };
    expect(codeOf([{ type: 'flex', altText: 'a', contents: big }]).code).toBe('FLEX_TOO_LARGE');
  });
});

describe('toLineMessages (G-05)', () => {
  it('G-05: media IDs become public URLs of this server', () => {
    const messages = parseMessages([
      { type: 'image', mediaId: MEDIA },
      {
        type: 'imagemap',
        mediaId: MEDIA,
        altText: '地図',
        baseSize: { width: 1040, height: 1040 },
        actions: [
          { type: 'uri', linkUri: 'https://example.jp', area: { x: 0, y: 0, width: 1040, height: 1040 } },
        ],
      },
    ]);
    expect(toLineMessages(messages, 'https://city.example.jp/')).toEqual([
      {
        type: 'image',
        originalContentUrl: `https://city.example.jp/media/${MEDIA}`,
        previewImageUrl: `https://city.example.jp/media/${MEDIA}/preview`,
      },
      {
        type: 'imagemap',
        baseUrl: `https://city.example.jp/media/${MEDIA}/imagemap`,
        altText: '地図',
        baseSize: { width: 1040, height: 1040 },
        actions: [
          { type: 'uri', linkUri: 'https://example.jp', area: { x: 0, y: 0, width: 1040, height: 1040 } },
        ],
      },
    ]);
  });
});
