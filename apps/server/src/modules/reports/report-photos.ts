import { REPORT_LIMITS, type ReportPhotoType } from '@madoguchi/contracts/reports.ts';
import sharp from 'sharp';
import { AppError } from '../../platform/errors.ts';

// A report's photo: JPEG, PNG or WebP, decided by decoding its bytes (not by its name or
// declared type), at most 10 MB; turned upright and re-encoded, so its metadata (EXIF with the GPS
// position, camera, comments) is gone; at most 2,048 px on the longest side.

const MAX_SIDE = 2048;
const MIN_SIDE = 16;
const MAX_INPUT_SIDE = 12_000;

export const photoTooLarge = () =>
  new AppError(
    413,
    'REPORT_PHOTO_TOO_LARGE',
    `写真は1枚 ${REPORT_LIMITS.photoBytes / 1024 / 1024} MB までです。小さくしてから選んでください`,
  );

export const photoInvalid = (why = 'JPEG・PNG・WebP の写真を選んでください') =>
  new AppError(400, 'REPORT_PHOTO_INVALID', `写真を読み込めませんでした。${why}`);

const FORMATS: Record<string, ReportPhotoType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface NormalisedPhoto {
  contentType: ReportPhotoType;
  width: number;
  height: number;
  bytes: Buffer;
}

export async function normalisePhoto(input: Buffer): Promise<NormalisedPhoto> {
  if (input.length > REPORT_LIMITS.photoBytes) throw photoTooLarge();
  if (input.length === 0) throw photoInvalid();
  let format: string | undefined;
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
    format = meta.format;
    width = meta.autoOrient.width;
    height = meta.autoOrient.height;
  } catch {
    throw photoInvalid();
  }
  const contentType = format ? FORMATS[format] : undefined;
  if (!contentType) throw photoInvalid();
  if (width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE)
    throw photoInvalid(`縦横それぞれ ${MAX_INPUT_SIDE.toLocaleString('ja-JP')} px 以下の写真にしてください`);
  if (width < MIN_SIDE || height < MIN_SIDE) throw photoInvalid('小さすぎる画像です');
  try {
    // .rotate() applies the EXIF orientation; no withMetadata(): nothing of the original's metadata is kept.
    const pipeline = sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_SIDE * MAX_INPUT_SIDE })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      contentType === 'image/jpeg'
        ? pipeline.jpeg({ quality: 85 })
        : contentType === 'image/png'
          ? pipeline.png({ compressionLevel: 9 })
          : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { contentType, width: info.width, height: info.height, bytes: data };
  } catch {
    throw photoInvalid();
  }
}
