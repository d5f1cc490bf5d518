import { describe, expect, it } from 'vitest';
import { inputText, toAction, toChatItem } from './replies.ts';

describe('test panel replies (B-01)', () => {
  it('B-01: a text with quick replies: each quick reply sends its text or postback', () => {
    const item = toChatItem({
      type: 'text',
      text: 'どちらですか？',
      quickReply: {
        items: [
          { type: 'action', action: { type: 'message', label: '北', text: '北' } },
          { type: 'action', action: { type: 'postback', label: '南', data: 'scenario=x&c=c2' } },
        ],
      },
    });
    expect(item).toEqual({
      kind: 'text',
      text: 'どちらですか？',
      quickReplies: [
        { label: '北', kind: 'send', input: { kind: 'text', text: '北' } },
        { label: '南', kind: 'send', input: { kind: 'postback', data: 'scenario=x&c=c2' } },
      ],
    });
  });

  it('B-01: buttons and carousel templates; a uri action is a link', () => {
    expect(
      toChatItem({
        type: 'template',
        altText: 'x',
        template: {
          type: 'buttons',
          title: '案内',
          text: '選んでください',
          actions: [{ type: 'uri', label: 'サイト', uri: 'https://example.jp' }],
        },
      }),
    ).toEqual({
      kind: 'buttons',
      title: '案内',
      text: '選んでください',
      imageUrl: null,
      actions: [{ label: 'サイト', kind: 'link', uri: 'https://example.jp' }],
    });
    const carousel = toChatItem({
      type: 'template',
      altText: 'x',
      template: {
        type: 'carousel',
        columns: [
          {
            title: 'A',
            text: 'a',
            thumbnailImageUrl: '/media/1',
            actions: [{ type: 'postback', label: 'A', data: 'd' }],
          },
        ],
      },
    });
    expect(carousel).toMatchObject({ kind: 'carousel', columns: [{ title: 'A', imageUrl: '/media/1' }] });
  });

  it('B-01: a flex bubble becomes a card with its texts, image and buttons; unknown types show altText', () => {
    const card = toChatItem({
      type: 'flex',
      altText: 'カード',
      contents: {
        type: 'bubble',
        hero: { type: 'image', url: '/media/2' },
        body: {
          type: 'box',
          contents: [
            { type: 'text', text: '題' },
            { type: 'text', text: '本文' },
          ],
        },
        footer: {
          type: 'box',
          contents: [{ type: 'button', action: { type: 'postback', label: '次', data: 'n' } }],
        },
      },
    });
    expect(card).toEqual({
      kind: 'card',
      texts: ['題', '本文'],
      imageUrl: '/media/2',
      actions: [{ label: '次', kind: 'send', input: { kind: 'postback', data: 'n' } }],
    });
    expect(toChatItem({ type: 'location', altText: '' })).toEqual({ kind: 'other', text: '' });
    expect(toChatItem({ type: 'image', originalContentUrl: '/o', previewImageUrl: '/p' })).toEqual({
      kind: 'image',
      url: '/p',
    });
    expect(toChatItem(null)).toEqual({ kind: 'other', text: '' });
    expect(toAction({ type: 'datetimepicker', label: '日時' })).toEqual({ label: '日時', kind: 'none' });
  });

  it('B-01: the friend bubble shows the typed text or the tapped label', () => {
    expect(inputText({ kind: 'text', text: 'ごみ' })).toBe('ごみ');
    expect(inputText({ kind: 'postback', data: 'a=b' }, '北')).toBe('北');
    expect(inputText({ kind: 'start' })).toBeNull();
  });
});
