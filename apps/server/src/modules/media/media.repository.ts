import type { Db } from '../../db/database.ts';
import type { NormalisedImage } from './media-image.ts';

export const insertMedia = (db: Db, image: NormalisedImage, createdBy: string | null, originalName: string) =>
  db
    .insertInto('media')
    .values({
      content_type: image.contentType,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
      preview: image.preview,
      original_name: originalName,
      created_by: createdBy,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();

/** One stored image (or its preview) with its type, or undefined. */
export const findMediaBytes = (db: Db, id: string, which: 'bytes' | 'preview') =>
  db
    .selectFrom('media')
    .select(['content_type', 'width', 'height', `${which} as data`])
    .where('id', '=', id)
    .executeTakeFirst() as Promise<
    { content_type: string; width: number; height: number; data: Buffer } | undefined
  >;

/** The media IDs among `ids` that exist (public read API of media). */
export const existingMediaIds = async (db: Db, ids: string[]) =>
  ids.length === 0
    ? new Set<string>()
    : new Set((await db.selectFrom('media').select('id').where('id', 'in', ids).execute()).map((r) => r.id));

/** Original file names of the images among `ids` (public read API). */
export const mediaNames = (db: Db, ids: string[]) =>
  db.selectFrom('media').select(['id', 'original_name as name']).where('id', 'in', ids).execute();
