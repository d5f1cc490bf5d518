import {
  manualChapter,
  manualChapterSummary,
  manualSearchResult,
} from '@madoguchi/contracts/manual.schema.ts';
import {
  MANUAL_CHAPTER_PATTERN,
  MANUAL_IMAGE_PATTERN,
  MANUAL_QUERY_MAX,
} from '@madoguchi/contracts/manual.ts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { type Manual, readManualImage } from './manual.service.ts';

// The staff manual over HTTP (O-01): any signed-in staff member, whatever the role ('self': the
// allow-list area of the account's role). Reading it changes nothing, so no audit entry.

const chapterNotFound = () => new AppError(404, 'MANUAL_CHAPTER_NOT_FOUND', 'マニュアルのその章はありません');
const imageNotFound = () => new AppError(404, 'MANUAL_IMAGE_NOT_FOUND', 'マニュアルのその画像はありません');

const config = { area: 'self' } as const;

export function registerManualRoutes(app: Api, deps: { manual: Manual }): void {
  const { manual } = deps;

  app.get(
    '/api/manual',
    {
      schema: {
        tags: ['manual'],
        summary: '操作マニュアルの章と見出し（O-01）',
        response: { 200: z.object({ chapters: z.array(manualChapterSummary) }) },
      },
      config,
    },
    async () => ({ chapters: manual.chapters }),
  );

  app.get(
    '/api/manual/search',
    {
      schema: {
        tags: ['manual'],
        summary: '操作マニュアルを言葉でさがす（O-01）',
        querystring: z.object({
          q: z
            .string()
            .trim()
            .min(1, 'さがす言葉を入れてください')
            .max(MANUAL_QUERY_MAX, `さがす言葉は ${MANUAL_QUERY_MAX} 文字までです`),
        }),
        response: { 200: manualSearchResult },
      },
      config,
    },
    async (request) => manual.search(request.query.q),
  );

  app.get(
    '/api/manual/images/:file',
    {
      schema: {
        tags: ['manual'],
        summary: '操作マニュアルの画像（PNG）',
        params: z.object({ file: z.string() }),
      },
      config,
    },
    async (request, reply) => {
      const { file } = request.params;
      if (!MANUAL_IMAGE_PATTERN.test(file)) {
        throw new AppError(
          400,
          'MANUAL_IMAGE_INVALID',
          '画像の名前が正しくありません（英小文字・数字・ハイフンと .png）',
        );
      }
      const image = await readManualImage(file);
      if (!image) throw imageNotFound();
      return reply
        .type('image/png')
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(image);
    },
  );

  app.get(
    '/api/manual/:chapter',
    {
      schema: {
        tags: ['manual'],
        summary: '操作マニュアルの 1 章（HTML と見出し）',
        params: z.object({ chapter: z.string() }),
        response: { 200: manualChapter },
      },
      config,
    },
    async (request) => {
      const { chapter } = request.params;
      const found = MANUAL_CHAPTER_PATTERN.test(chapter) ? manual.chapter(chapter) : undefined;
      if (!found) throw chapterNotFound();
      return found;
    },
  );
}
