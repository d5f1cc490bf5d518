import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { registerErrorHandler } from './error-handler.ts';
import {
  findUncleanText,
  isCleanText,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  parseJsonMessage,
  registerInputRules,
} from './input-rules.ts';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('S-04 input rule: text', () => {
  it('accepts ordinary Japanese text, emoji (surrogate pairs) and other control characters', () => {
    expect(isCleanText('窓口 😀 tab\t newline\n')).toBe(true);
  });

  it('refuses NUL and lone high or low surrogates', () => {
    expect(isCleanText('a\u0000b')).toBe(false);
    expect(isCleanText('a\ud800b')).toBe(false);
    expect(isCleanText('\udc00')).toBe(false);
    expect(isCleanText('😀'.slice(0, 1))).toBe(false);
  });

  it('finds the first unclean key or string anywhere in a value, with its path', () => {
    expect(findUncleanText({ a: [1, 'ok', { b: 'x\u0000' }] })).toBe('a.2.b');
    expect(findUncleanText({ 'k\ud800': 1 }, 'body')).toBe('body.k\ud800');
    expect(findUncleanText({ a: ['ok', true, null, 3] })).toBeUndefined();
  });

  it('walks very deep values without exhausting the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUncleanText(deep)).toMatch(/^0(\.0)*$/);
  });
});

describe('S-04 input rule: JSON depth', () => {
  it(`allows ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('does not count brackets inside strings (escaped quotes included)', () => {
    expect(jsonDepthExceeds(JSON.stringify({ s: `\\"${'['.repeat(100)}` }))).toBe(false);
  });

  it('parseJsonMessage applies the whole rule to WebSocket frames', () => {
    expect(parseJsonMessage(Buffer.from('{"type":"typing"}'))).toEqual({ type: 'typing' });
    const code = (text: string) => {
      try {
        parseJsonMessage(text);
        return 'ok';
      } catch (e) {
        return e instanceof AppError ? `${e.status} ${e.code}` : 'other';
      }
    };
    expect(code('{"text":"a\\u0000"}')).toBe('400 INVALID_CHARACTERS');
    expect(code('{"text":"\\udfff"}')).toBe('400 INVALID_CHARACTERS');
    expect(code(nested(1000))).toBe('400 JSON_TOO_DEEP');
    expect(code('{')).toBe('400 INVALID_JSON');
  });
});

describe('S-04 input rule over HTTP (before the handler)', () => {
  const app = Fastify();
  let handled = 0;
  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    registerInputRules(app);
    app.post('/echo/:id', { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
      handled++;
      return { body: request.body, query: request.query };
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (url: string, payload: string) =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

  it('passes clean input through unchanged', async () => {
    const res = await post('/echo/1?q=%E7%AA%93', JSON.stringify({ name: '窓口😀', n: [1, { a: null }] }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { name: '窓口😀', n: [1, { a: null }] }, query: { q: '窓' } });
  });

  it.each([
    ['NUL in a body string', '/echo/1', '{"loginId":"admin\\u0000"}', 'INVALID_CHARACTERS'],
    ['a lone surrogate in a body string', '/echo/1', '{"q":"\\ud83d"}', 'INVALID_CHARACTERS'],
    ['NUL in a body key', '/echo/1', '{"a\\u0000":1}', 'INVALID_CHARACTERS'],
    ['NUL in the query string', '/echo/1?q=a%00b', '{}', 'INVALID_CHARACTERS'],
    ['NUL in a route parameter', '/echo/a%00b', '{}', 'INVALID_CHARACTERS'],
    ['JSON nested 33 levels', '/echo/1', nested(MAX_JSON_DEPTH + 1), 'JSON_TOO_DEEP'],
    ['JSON nested 1,000 levels', '/echo/1', nested(1000), 'JSON_TOO_DEEP'],
    ['broken JSON', '/echo/1', '{"a":', 'INVALID_JSON'],
  ])('refuses %s with 400 and a stable code', async (_what, url, payload, code) => {
    const before = handled;
    const res = await post(url, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code });
    if (code === 'INVALID_CHARACTERS') expect(res.json().message).toBe('使用できない文字が含まれています');
    expect(handled).toBe(before);
  });

  it('keeps Fastify’s prototype-poisoning protection', async () => {
    const res = await post('/echo/1', '{"__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
  });
});
