import { describe, expect, it } from 'vitest';
import { checkMessageLimits, mergeDetails } from './message-limits.ts';
import { convertComponents } from './openapi-schema.ts';
import { createOpenApiValidator, loadOpenApiValidator, toLineProperty } from './openapi-validator.ts';
import { DEFAULT_OPENAPI_FILE } from './options.ts';

const validator = loadOpenApiValidator(DEFAULT_OPENAPI_FILE);
const text = (t: string) => ({ type: 'text', text: t });
const userId = `U${'a'.repeat(32)}`;

function sendErrors(path: string, body: Record<string, unknown>) {
  return mergeDetails(validator.validate('POST', path, body), checkMessageLimits(body.messages));
}

describe('request validation against the official OpenAPI document (D-03)', () => {
  it('accepts a valid push', () => {
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [text('hello')] })).toEqual([]);
  });

  it('rejects 6 messages with "Size must be between 1 and 5"', () => {
    const details = sendErrors('/v2/bot/message/push', { to: userId, messages: Array(6).fill(text('x')) });
    expect(details).toEqual([{ message: 'Size must be between 1 and 5', property: 'messages' }]);
  });

  it('rejects 5,001 UTF-16 code units and accepts 5,000 (emoji count twice)', () => {
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [text('あ'.repeat(5001))] })).toEqual([
      { message: 'Length must be between 0 and 5000', property: 'messages[0].text' },
    ]);
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [text('😀'.repeat(2500))] })).toEqual(
      [],
    );
    expect(
      sendErrors('/v2/bot/message/push', { to: userId, messages: [text(`${'😀'.repeat(2500)}a`)] }),
    ).toHaveLength(1);
  });

  it('reports an empty text as LINE does', () => {
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [text('')] })).toEqual([
      { message: 'May not be empty', property: 'messages[0].text' },
    ]);
  });

  it('rejects an unknown message type with the list of known types', () => {
    const [detail] = sendErrors('/v2/bot/message/push', {
      to: userId,
      messages: [{ type: 'txt', text: 'a' }],
    });
    expect(detail?.property).toBe('messages[0].type');
    expect(detail?.message).toMatch(/^Must be one of the following values: \[text, textV2, sticker, image/);
  });

  it('dispatches on the discriminator: subtype requirements apply', () => {
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [{ type: 'image' }] })).toEqual([
      { message: 'must be specified', property: 'messages[0].originalContentUrl' },
      { message: 'must be specified', property: 'messages[0].previewImageUrl' },
    ]);
  });

  it('validates nested actions (quick reply) through two discriminators', () => {
    const message = {
      ...text('pick'),
      quickReply: { items: [{ type: 'action', action: { type: 'postback', data: 'x'.repeat(301) } }] },
    };
    expect(sendErrors('/v2/bot/message/push', { to: userId, messages: [message] })).toEqual([
      {
        message: 'Length must be between 0 and 300',
        property: 'messages[0].quickReply.items[0].action.data',
      },
    ]);
  });

  it('counts several errors, one per property', () => {
    const details = sendErrors('/v2/bot/message/push', { messages: [text(''), { type: 'sticker' }] });
    expect(details.map((d) => d.property)).toEqual([
      'to',
      'messages[1].packageId',
      'messages[1].stickerId',
      'messages[0].text',
    ]);
  });

  it('limits multicast to 500 recipients', () => {
    const to = Array.from({ length: 501 }, () => userId);
    expect(sendErrors('/v2/bot/message/multicast', { to, messages: [text('x')] })).toEqual([
      { message: 'Size must be between 1 and 500', property: 'to' },
    ]);
  });

  it('validates flex messages deeply', () => {
    const flex = { type: 'flex', altText: 'alt', contents: { type: 'bubble', size: 'enormous' } };
    const [detail] = sendErrors('/v2/bot/message/push', { to: userId, messages: [flex] });
    expect(detail?.property).toBe('messages[0].contents.size');
  });
});

describe('OpenAPI → JSON Schema conversion', () => {
  it('turns nullable into a null-allowing type and keeps property names such as "oneOf"', () => {
    const { definitions } = convertComponents({
      A: { type: 'object', properties: { n: { type: 'integer', nullable: true }, oneOf: { type: 'array' } } },
    });
    expect(definitions.A).toEqual({
      type: 'object',
      properties: { n: { type: ['integer', 'null'] }, oneOf: { type: 'array' } },
    });
  });

  it('validates a small polymorphic document', () => {
    const v = createOpenApiValidator({
      paths: {
        '/pets': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' } },
            discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/Cat' } },
          },
          Cat: {
            allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', required: ['lives'] }],
          },
        },
      },
    });
    expect(v.validate('POST', '/pets', { kind: 'cat', lives: 9 })).toEqual([]);
    expect(v.validate('POST', '/pets', { kind: 'cat' })).toEqual([
      { message: 'must be specified', property: 'lives' },
    ]);
    expect(v.validate('POST', '/pets', { kind: 'dog' })).toEqual([
      { message: 'Must be one of the following values: [cat]', property: 'kind' },
    ]);
  });

  it('writes LINE property paths', () => {
    expect(toLineProperty('/messages/0/quickReply/items/12/action', 'data')).toBe(
      'messages[0].quickReply.items[12].action.data',
    );
    expect(toLineProperty('', 'to')).toBe('to');
  });
});
