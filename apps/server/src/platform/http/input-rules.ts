import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

// One input rule for the whole API (S-04): no text that reaches a handler may hold NUL (U+0000)
// or a lone UTF-16 surrogate (PostgreSQL refuses both, and they break hashes and logs), and JSON
// may nest at most MAX_JSON_DEPTH levels. Applied to every JSON body (the content-type parser),
// to every query string and route parameter (a preValidation hook), and, through
// `parseJsonMessage`, to the JSON frames of the WebSockets. Routes that read their body raw
// (the LINE webhook) have their own parser and check it themselves.

export const MAX_JSON_DEPTH = 32;

export const invalidCharacters = (path: string) =>
  new AppError(400, 'INVALID_CHARACTERS', '使用できない文字が含まれています', [
    { path, message: '使用できない文字が含まれています' },
  ]);

export const jsonTooDeep = () =>
  new AppError(400, 'JSON_TOO_DEEP', `データの入れ子が深すぎます（${MAX_JSON_DEPTH}段まで）`);

/** True when the text holds no NUL and no lone surrogate. */
export function isCleanText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/**
 * The path (`a.b.0`) of the first key or string in `value` that is not clean text; `undefined`
 * when every one is. Iterative, so a deep value cannot exhaust the stack.
 */
export function findUncleanText(value: unknown, root = ''): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isCleanText(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], join(path, String(i))]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = join(path, key);
        if (!isCleanText(key)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The deepest nesting of arrays and objects in JSON text, scanned without parsing (strings skipped). */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** Throws the rule's AppError when a parsed value breaks it (where: a prefix for the path). */
export function assertCleanInput(value: unknown, where = ''): void {
  const path = findUncleanText(value, where);
  if (path !== undefined) throw invalidCharacters(path);
}

/**
 * JSON text → value under the rule, for WebSocket frames and other JSON read outside the HTTP
 * body parser. Throws AppError (400 JSON_TOO_DEEP / INVALID_CHARACTERS / INVALID_JSON).
 */
export function parseJsonMessage(text: string | Buffer): unknown {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  if (jsonDepthExceeds(s)) throw jsonTooDeep();
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch {
    throw new AppError(400, 'INVALID_JSON', 'JSON の形式が正しくありません');
  }
  assertCleanInput(value);
  return value;
}

/** Registers the JSON body parser and the query/params hook on the root instance (before any route). */
export function registerInputRules(app: FastifyInstance): void {
  // Fastify's own parser (prototype-poisoning protection, empty-body handling), wrapped.
  const defaultJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text)) return done(jsonTooDeep(), undefined);
    defaultJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const path = findUncleanText(value, 'body');
      done(path === undefined ? null : invalidCharacters(path), value);
    });
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    assertCleanInput(request.params, 'params');
    assertCleanInput(request.query, 'query');
  });
}
