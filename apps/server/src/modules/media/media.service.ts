import type { Db } from '../../db/database.ts';
import { findMediaBytes, insertMedia } from './media.repository.ts';
import { imagemapImage, type MediaType, normaliseImage } from './media-image.ts';

// Read by other modules through this service (they never import this module's repository).
export { existingMediaIds, findMediaBytes, mediaNames } from './media.repository.ts';

// Stores checked images and serves them. A delivery to 200,000 friends makes many phones (and
// LINE) fetch the same few images at once, so served files are kept in a small in-memory cache
// (bounded by bytes; concurrent fetches of one file share one database read or one resize).

export type MediaVariant = 'original' | 'preview' | `imagemap/${number}`;

export interface ServedImage {
  contentType: string;
  data: Buffer;
}

const CACHE_MAX_BYTES = 64 * 1024 * 1024;

export function createMediaService(db: Db) {
  const cache = new Map<string, ServedImage>();
  const inflight = new Map<string, Promise<ServedImage | undefined>>();
  let cachedBytes = 0;

  function remember(key: string, image: ServedImage) {
    if (image.data.length > CACHE_MAX_BYTES / 4) return;
    cache.set(key, image);
    cachedBytes += image.data.length;
    for (const [k, v] of cache) {
      if (cachedBytes <= CACHE_MAX_BYTES) break;
      cache.delete(k);
      cachedBytes -= v.data.length;
    }
  }

  async function load(id: string, variant: MediaVariant): Promise<ServedImage | undefined> {
    const m = await findMediaBytes(db, id, variant === 'preview' ? 'preview' : 'bytes');
    if (!m) return undefined;
    if (variant === 'original' || variant === 'preview') return { contentType: m.content_type, data: m.data };
    const width = Number(variant.slice('imagemap/'.length));
    return {
      contentType: m.content_type,
      data: await imagemapImage(m.data, m.content_type as MediaType, width),
    };
  }

  return {
    async upload(input: Buffer, createdBy: string | null, originalName: string) {
      const image = await normaliseImage(input);
      const { id } = await insertMedia(db, image, createdBy, originalName);
      return { id, image };
    },

    /** A stored image, its preview or an imagemap size; undefined when the ID is unknown. */
    async get(id: string, variant: MediaVariant): Promise<ServedImage | undefined> {
      const key = `${id}:${variant}`;
      const hit = cache.get(key);
      if (hit) {
        // Most recently used last.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      let pending = inflight.get(key);
      if (!pending) {
        pending = load(id, variant)
          .then((image) => {
            if (image) remember(key, image);
            return image;
          })
          .finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
