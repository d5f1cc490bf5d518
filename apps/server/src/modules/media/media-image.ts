import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '../../platform/errors.ts';

// Uploaded images for image and imagemap messages (G-05): only JPEG and PNG, checked by their bytes
// and by decoding them, then normalised so LINE accepts them: metadata (EXIF, GPS, camera) removed,
// turned upright, re-encoded, at most 2,048 px on the longest side and under LINE's size limits
// (original < 10 MB, preview ≤ 240 px and < 1 MB).

export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const PREVIEW_MAX_BYTES = 1024 * 1024;
/** Sides outside these bounds are refused: LINE rejects huge images and tiny ones are useless. */
export const MEDIA_MAX_SIDE = 10_000;
export const MEDIA_MIN_SIDE = 16;
export const ORIGINAL_MAX_SIDE = 2048;
export const PREVIEW_MAX_SIDE = 240;
/** Widths LINE requests from an imagemap's baseUrl (`baseUrl/<width>`). */
export const IMAGEMAP_WIDTHS = [240, 300, 460, 700, 1040] as const;

export type MediaType = 'image/jpeg' | 'image/png';

export interface NormalisedImage {
  contentType: MediaType;
  width: number;
  height: number;
  bytes: Buffer;
  preview: Buffer;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes really are (magic numbers), or null. */
export function sniffImageType(bytes: Buffer): MediaType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_MAGIC)) return 'image/png';
  return null;
}

export const mediaTooLarge = () =>
  new AppError(413, 'MEDIA_TOO_LARGE', '画像ファイルは 10 MB 以下にしてください');

const unsupported = () =>
  new AppError(415, 'MEDIA_UNSUPPORTED', 'JPEG または PNG の画像ファイルを選んでください');

const inputOptions = {
  failOn: 'error',
  limitInputPixels: MEDIA_MAX_SIDE * MEDIA_MAX_SIDE,
  autoOrient: true,
} as const;

async function encode(pipeline: Sharp, type: MediaType, quality: number) {
  const out =
    type === 'image/jpeg'
      ? pipeline.jpeg({ quality, chromaSubsampling: '4:2:0' })
      : quality >= 85
        ? pipeline.png({ compressionLevel: 9, adaptiveFiltering: true })
        : pipeline.png({ compressionLevel: 9, palette: true, quality });
  return out.toBuffer({ resolveWithObject: true });
}

/** The image fitted inside side × side (never enlarged), under maxBytes: smaller quality, then size. */
async function fitted(
  input: Buffer,
  type: MediaType,
  steps: (readonly [number, number])[],
  maxBytes: number,
) {
  for (const [side, quality] of steps) {
    const pipeline = sharp(input, inputOptions).resize({
      width: side,
      height: side,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const { data, info } = await encode(pipeline, type, quality);
    if (data.length < maxBytes) return { data, width: info.width, height: info.height };
  }
  return null;
}

/** Checks and normalises an upload; throws MEDIA_* errors for anything LINE would not take. */
export async function normaliseImage(input: Buffer): Promise<NormalisedImage> {
  if (input.length > MEDIA_MAX_BYTES) throw mediaTooLarge();
  const type = sniffImageType(input);
  if (!type) throw unsupported();
  let meta: Metadata;
  try {
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw unsupported();
  }
  if ((type === 'image/jpeg' && meta.format !== 'jpeg') || (type === 'image/png' && meta.format !== 'png')) {
    throw unsupported();
  }
  const { width, height } = meta.autoOrient;
  if (width > MEDIA_MAX_SIDE || height > MEDIA_MAX_SIDE) {
    throw new AppError(
      400,
      'MEDIA_DIMENSIONS',
      `画像が大きすぎます（${width} × ${height} px）。縦横それぞれ ${MEDIA_MAX_SIDE.toLocaleString('ja-JP')} px 以下にしてください`,
    );
  }
  if (width < MEDIA_MIN_SIDE || height < MEDIA_MIN_SIDE) {
    throw new AppError(
      400,
      'MEDIA_DIMENSIONS',
      `画像が小さすぎます（${width} × ${height} px）。縦横それぞれ ${MEDIA_MIN_SIDE} px 以上にしてください`,
    );
  }

  try {
    // Metadata (EXIF with GPS position, camera, comments, ICC) is not copied: sharp writes none
    // unless asked. Decoding errors and truncated files fail here (failOn: 'error').
    const original = await fitted(
      input,
      type,
      [
        [ORIGINAL_MAX_SIDE, 85],
        [ORIGINAL_MAX_SIDE, 70],
        [1600, 70],
        [1200, 60],
      ],
      MEDIA_MAX_BYTES,
    );
    if (!original) throw new AppError(413, 'MEDIA_TOO_LARGE', '画像を 10 MB 未満に縮小できませんでした');
    const preview = await fitted(
      original.data,
      type,
      [
        [PREVIEW_MAX_SIDE, 85],
        [PREVIEW_MAX_SIDE, 60],
      ],
      PREVIEW_MAX_BYTES,
    );
    if (!preview) throw new AppError(413, 'MEDIA_TOO_LARGE', 'プレビュー画像を 1 MB 未満にできませんでした');
    return {
      contentType: type,
      width: original.width,
      height: original.height,
      bytes: original.data,
      preview: preview.data,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unsupported();
  }
}

/** The stored original resized to one of LINE's imagemap widths (upscaled when smaller). */
export async function imagemapImage(original: Buffer, type: MediaType, width: number): Promise<Buffer> {
  return (await encode(sharp(original, inputOptions).resize({ width }), type, 85)).data;
}
