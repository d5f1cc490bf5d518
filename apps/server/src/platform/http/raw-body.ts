import type { FastifyRequest } from 'fastify';
import type { Api } from './api.ts';

// Uploads sent as the raw request body (a CSV or xlsx file; X-04 shelters, B-04 FAQ): read up to a
// limit whatever type is declared — the bytes decide what the file is. Used inside its own
// `app.register` scope, so the other routes keep their JSON parser.

/** Reads the raw body up to `maxBytes`; rejects with `tooLarge()` past it (or when declared larger). */
export function readRawBody(
  payload: NodeJS.ReadableStream,
  declaredLength: number,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  if (declaredLength > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > maxBytes) {
        payload.removeAllListeners('data');
        reject(tooLarge());
        return;
      }
      chunks.push(buf);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks)));
    payload.on('error', reject);
  });
}

/** Makes every route of `scope` take its body as a Buffer (any or no content type). */
export function acceptRawBody(scope: Api, maxBytes: number, tooLarge: () => Error): void {
  scope.removeAllContentTypeParsers();
  scope.addHook('onRequest', async (request) => {
    if (!request.headers['content-type']?.trim()) delete request.headers['content-type'];
  });
  scope.addContentTypeParser('*', (request: FastifyRequest, payload: NodeJS.ReadableStream) =>
    readRawBody(payload, Number(request.headers['content-length'] ?? 0), maxBytes, tooLarge),
  );
}
