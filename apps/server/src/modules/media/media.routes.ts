import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { createMediaService, type MediaVariant } from './media.service.ts';
import { IMAGEMAP_WIDTHS, MEDIA_MAX_BYTES, mediaTooLarge } from './media-image.ts';

// Images for image and imagemap messages (G-05). Staff upload the raw file (POST /api/media with
// Content-Type image/jpeg or image/png); LINE and the phones fetch them without signing in from
// /media/<id>, /media/<id>/preview and /media/<id>/imagemap/<width> (LINE appends the width to an
// imagemap's baseUrl, without extension). IDs are random UUIDs; the files never change, so they are
// cached for a year.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const mediaView = z.object({
  id: z.uuid(),
  width: z.number().int(),
  height: z.number().int(),
  contentType: z.string(),
  url: z.string(),
  previewUrl: z.string(),
  imagemapBaseUrl: z.string(),
});

/** Reads the raw body with the 10 MB limit (any declared type: the bytes decide). */
function readBody(payload: NodeJS.ReadableStream, declaredLength: number): Promise<Buffer> {
  if (declaredLength > MEDIA_MAX_BYTES) return Promise.reject(mediaTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > MEDIA_MAX_BYTES) {
        cleanup();
        reject(mediaTooLarge());
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    payload.resume();
  });
}

const notFoundImage = () => new AppError(404, 'NOT_FOUND', '画像が見つかりません');

export function registerMediaRoutes(app: Api, deps: { db: Db; publicUrl: string }): void {
  const media = createMediaService(deps.db);
  const base = deps.publicUrl.replace(/\/+$/, '');
  const view = (m: { id: string; width: number; height: number; contentType: string }) => ({
    ...m,
    url: `${base}/media/${m.id}`,
    previewUrl: `${base}/media/${m.id}/preview`,
    imagemapBaseUrl: `${base}/media/${m.id}/imagemap`,
  });

  // The upload route reads the body itself, so its parser lives in a scope of its own.
  app.register(async (scope: Api) => {
    scope.removeAllContentTypeParsers();
    // A browser sends an empty Content-Type for a file of unknown type: read it all the same.
    scope.addHook('onRequest', async (request) => {
      if (!request.headers['content-type']?.trim()) delete request.headers['content-type'];
    });
    scope.addContentTypeParser('*', (request: FastifyRequest, payload: NodeJS.ReadableStream) =>
      readBody(payload, Number(request.headers['content-length'] ?? 0)),
    );
    scope.post(
      '/api/media',
      {
        schema: {
          tags: ['media'],
          summary: '画像のアップロード（JPEG / PNG、10 MB まで。G-05）',
          response: { 201: mediaView },
        },
        config: {
          permission: 'deliveries.create',
          audit: { action: 'media.upload', targetType: 'media' },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new AppError(415, 'MEDIA_UNSUPPORTED', 'JPEG または PNG の画像ファイルを選んでください');
        }
        const rawName = request.headers['x-file-name'];
        let name = '';
        try {
          name = typeof rawName === 'string' ? decodeURIComponent(rawName).slice(0, 200) : '';
        } catch {
          name = '';
        }
        const { id, image } = await media.upload(body, request.staff?.accountId ?? null, name);
        request.auditTarget = {
          id,
          detail: { bytes: image.bytes.length, width: image.width, height: image.height },
        };
        return reply
          .status(201)
          .send(view({ id, width: image.width, height: image.height, contentType: image.contentType }));
      },
    );
  });

  // Public: LINE's servers and the phones fetch these (many phones may share one carrier address,
  // and served files come from the memory cache), so the limit per address is generous: it only
  // stops one client looping over IDs. One window per address for all of these routes.
  const config = { staff: false, rateLimit: { max: 3000, timeWindow: 60_000, groupId: 'media' } } as const;
  const params = z.object({ id: z.string().max(100) });

  async function serve(reply: FastifyReply, id: string, variant: MediaVariant) {
    if (!UUID.test(id)) throw notFoundImage();
    const image = await media.get(id.toLowerCase(), variant);
    if (!image) throw notFoundImage();
    return reply
      .type(image.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(image.data);
  }

  app.get('/media/:id', { schema: { hide: true, params }, config }, async (request, reply) =>
    serve(reply, request.params.id, 'original'),
  );

  app.get('/media/:id/preview', { schema: { hide: true, params }, config }, async (request, reply) =>
    serve(reply, request.params.id, 'preview'),
  );

  app.get(
    '/media/:id/imagemap/:width',
    {
      schema: { hide: true, params: params.extend({ width: z.string().max(10) }) },
      config,
    },
    async (request, reply) => {
      const width = Number(request.params.width);
      if (!(IMAGEMAP_WIDTHS as readonly number[]).includes(width) || request.params.width !== String(width)) {
        throw notFoundImage();
      }
      return serve(reply, request.params.id, `imagemap/${width}`);
    },
  );
}
