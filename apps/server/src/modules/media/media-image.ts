import sharp from 'sharp';
import { AppError } from '../../platform/errors.ts';
import {
  cleanImage,
  encodeImage,
  ImageRejected,
  imageInput,
  inspectImage,
} from '../../platform/images/image-normalise.ts';

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

export const mediaTooLarge = () =>
  new AppError(413, 'MEDIA_TOO_LARGE', '画像ファイルは 10 MB 以下にしてください');

const unsupported = () =>
  new AppError(415, 'MEDIA_UNSUPPORTED', 'JPEG または PNG の画像ファイルを選んでください');

/** The image fitted inside side × side (never enlarged), under maxBytes: smaller quality, then size. */
async function fitted(
  input: Buffer,
  type: MediaType,
  steps: (readonly [number, number])[],
  maxBytes: number,
) {
  for (const [side, quality] of steps) {
    const out = await cleanImage(input, type, { side, quality, maxInputSide: MEDIA_MAX_SIDE });
    if (out.bytes.length < maxBytes) return { data: out.bytes, width: out.width, height: out.height };
  }
  return null;
}

/** Checks and normalises an upload; throws MEDIA_* errors for anything LINE would not take. */
export async function normaliseImage(input: Buffer): Promise<NormalisedImage> {
  if (input.length > MEDIA_MAX_BYTES) throw mediaTooLarge();
  let type: MediaType;
  try {
    ({ type } = (await inspectImage(input, {
      accept: ['image/jpeg', 'image/png'],
      minSide: MEDIA_MIN_SIDE,
      maxSide: MEDIA_MAX_SIDE,
    })) as { type: MediaType });
  } catch (err) {
    if (!(err instanceof ImageRejected)) throw err;
    const r = err.rejection;
    if (r.reason === 'too_big')
      throw new AppError(
        400,
        'MEDIA_DIMENSIONS',
        `画像が大きすぎます（${r.width} × ${r.height} px）。縦横それぞれ ${MEDIA_MAX_SIDE.toLocaleString('ja-JP')} px 以下にしてください`,
      );
    if (r.reason === 'too_small')
      throw new AppError(
        400,
        'MEDIA_DIMENSIONS',
        `画像が小さすぎます（${r.width} × ${r.height} px）。縦横それぞれ ${MEDIA_MIN_SIDE} px 以上にしてください`,
      );
    throw unsupported();
  }

  try {
    // Metadata (EXIF with GPS position, camera, comments, ICC) is not copied (platform/images).
    // Decoding errors and truncated files fail here (failOn: 'error').
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
  return (await encodeImage(sharp(original, imageInput(MEDIA_MAX_SIDE)).resize({ width }), type, 85)).data;
}
