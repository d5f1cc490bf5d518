import { describe, expect, it } from 'vitest';
import type { DeliveryMessage } from './api.ts';
import {
  type CardDraft,
  draftsFromMessages,
  errorKeyOfPath,
  type ImagemapDraft,
  isLinkUri,
  linkify,
  messagesFromDrafts,
  newDraft,
  textLength,
  validateMessages,
} from './messages.ts';

describe('G-05 message drafts ↔ contract messages', () => {
  it('text counts UTF-16 code units like LINE (an emoji outside the BMP counts 2)', () => {
    expect(textLength('こんにちは')).toBe(5);
    expect(textLength('🎉')).toBe(2);
    const text = { ...newDraft('text'), text: 'あ'.repeat(5001) } as MessageDraftText;
    expect(validateMessages([text])).toEqual({ 'messages.0.text': 'deliveries.err.textLong' });
    expect(validateMessages([{ ...text, text: 'あ'.repeat(5000) }])).toEqual({});
    expect(validateMessages([{ ...text, text: '  ' }])).toEqual({
      'messages.0.text': 'deliveries.err.textEmpty',
    });
  });

  it('refuses no message and more than 5', () => {
    expect(validateMessages([])).toEqual({ messages: 'deliveries.err.noMessages' });
    const six = Array.from({ length: 6 }, () => ({ ...newDraft('text'), text: 'x' }) as MessageDraftText);
    expect(validateMessages(six).messages).toBe('deliveries.err.tooManyMessages');
  });

  it('imagemap: image, notification text and each area are required; URLs checked', () => {
    const draft: ImagemapDraft = {
      ...(newDraft('imagemap') as ImagemapDraft),
      layout: 'cols2',
      areas: [
        { kind: 'uri', value: 'javascript:alert(1)' },
        { kind: 'message', value: '' },
      ],
    };
    expect(validateMessages([draft])).toEqual({
      'messages.0.media': 'deliveries.err.imageMissing',
      'messages.0.altText': 'deliveries.err.altTextEmpty',
      'messages.0.areas.0': 'deliveries.err.url',
      'messages.0.areas.1': 'deliveries.err.areaTextEmpty',
    });
  });

  it('imagemap round-trips with its layout', () => {
    const message: DeliveryMessage = {
      type: 'imagemap',
      mediaId: '7b0c5d2e-0000-4000-8000-000000000001',
      altText: '子育てイベントのお知らせ',
      baseSize: { width: 1040, height: 520 },
      actions: [
        { type: 'uri', linkUri: 'https://city.example/a', area: { x: 0, y: 0, width: 520, height: 520 } },
        { type: 'message', text: '詳しく', area: { x: 520, y: 0, width: 520, height: 520 } },
      ],
    };
    const [draft] = draftsFromMessages([message]);
    expect(draft).toMatchObject({ type: 'imagemap', layout: 'cols2', customAreas: null, height: 520 });
    expect(messagesFromDrafts([draft!])).toEqual([message]);
  });

  it('an imagemap not made from a template keeps its areas', () => {
    const message: DeliveryMessage = {
      type: 'imagemap',
      mediaId: 'm1',
      altText: 'x',
      baseSize: { width: 1040, height: 1040 },
      actions: [
        { type: 'uri', linkUri: 'https://a.example', area: { x: 10, y: 10, width: 100, height: 100 } },
      ],
    };
    expect(messagesFromDrafts(draftsFromMessages([message]))).toEqual([message]);
  });

  it('card → flex bubble (image, title, body, up to 3 buttons) and back', () => {
    const card: CardDraft = {
      ...(newDraft('card') as CardDraft),
      image: {
        id: 'm2',
        url: 'https://city.example/media/m2',
        previewUrl: 'https://city.example/media/m2/preview',
      },
      title: '健診のご案内',
      body: '11月の日程です',
      buttons: [{ label: '予約する', uri: 'https://city.example/book' }],
    };
    const [message] = messagesFromDrafts([card]);
    expect(message).toEqual({
      type: 'flex',
      altText: '健診のご案内',
      contents: {
        type: 'bubble',
        hero: {
          type: 'image',
          url: 'https://city.example/media/m2',
          size: 'full',
          aspectRatio: '20:13',
          aspectMode: 'cover',
        },
        body: {
          type: 'box',
          layout: 'vertical',
          spacing: 'md',
          contents: [
            { type: 'text', text: '健診のご案内', weight: 'bold', size: 'lg', wrap: true },
            { type: 'text', text: '11月の日程です', size: 'sm', wrap: true, color: '#555555' },
          ],
        },
        footer: {
          type: 'box',
          layout: 'vertical',
          spacing: 'sm',
          contents: [
            {
              type: 'button',
              style: 'link',
              height: 'sm',
              action: { type: 'uri', label: '予約する', uri: 'https://city.example/book' },
            },
          ],
        },
      },
    });
    const [back] = draftsFromMessages([message!]);
    expect(back).toMatchObject({
      type: 'card',
      title: '健診のご案内',
      body: '11月の日程です',
      buttons: card.buttons,
      image: { id: 'm2', url: 'https://city.example/media/m2' },
    });
    expect(validateMessages([{ ...card, buttons: [{ label: '', uri: 'ftp://x' }] }])).toEqual({
      'messages.0.buttons.0.label': 'deliveries.err.buttonLabelEmpty',
      'messages.0.buttons.0.uri': 'deliveries.err.url',
    });
  });

  it('accepts the link schemes the server accepts', () => {
    expect(isLinkUri('https://city.example/a?b=1')).toBe(true);
    expect(isLinkUri('tel:0432455111')).toBe(true);
    expect(isLinkUri('line://nv/chat')).toBe(true);
    expect(isLinkUri('https://')).toBe(false);
    expect(isLinkUri('www.city.example')).toBe(false);
  });

  it('maps server error paths to editor fields', () => {
    const drafts = [newDraft('text'), newDraft('imagemap'), newDraft('card')];
    expect(errorKeyOfPath(drafts, 'messages.0.text')).toBe('messages.0.text');
    expect(errorKeyOfPath(drafts, 'messages.1.actions.2.linkUri')).toBe('messages.1.areas.2');
    expect(errorKeyOfPath(drafts, 'messages.1.mediaId')).toBe('messages.1.media');
    expect(errorKeyOfPath(drafts, 'messages.2.contents.footer.contents.0')).toBe('messages.2');
    expect(errorKeyOfPath(drafts, 'title')).toBe('title');
  });
});

describe('G-06 preview: URLs in text are shown as links', () => {
  it('splits text and URLs, leaving Japanese and closing punctuation out of the URL', () => {
    expect(linkify('詳しくは https://city.example/a?x=1 をご覧ください。')).toEqual([
      { text: '詳しくは ' },
      { text: 'https://city.example/a?x=1', url: 'https://city.example/a?x=1' },
      { text: ' をご覧ください。' },
    ]);
    expect(linkify('(https://a.example/b).')).toEqual([
      { text: '(' },
      { text: 'https://a.example/b', url: 'https://a.example/b' },
      { text: ').' },
    ]);
    expect(linkify('URLなし')).toEqual([{ text: 'URLなし' }]);
  });
});

type MessageDraftText = Extract<ReturnType<typeof newDraft>, { type: 'text' }>;
