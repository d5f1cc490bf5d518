import { REPORT_LIMITS, REPORT_PHOTO_TYPES, type ReportPhotoType } from '@madoguchi/contracts/reports.ts';
import { AppError } from '../../platform/errors.ts';
import { cleanUploadedImage, ImageRejected } from '../../platform/images/image-normalise.ts';

// A report's photo: JPEG, PNG or WebP, decided by its bytes (not by its name or declared
// type), at most 10 MB; turned upright and re-encoded, so its metadata (EXIF with the GPS position,
// camera, comments) is gone; at most 2,048 px on the longest side (platform/images).

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

export interface NormalisedPhoto {
  contentType: ReportPhotoType;
  width: number;
  height: number;
  bytes: Buffer;
}

export async function normalisePhoto(input: Buffer): Promise<NormalisedPhoto> {
  if (input.length > REPORT_LIMITS.photoBytes) throw photoTooLarge();
  if (input.length === 0) throw photoInvalid();
  try {
    return await cleanUploadedImage(input, {
      accept: REPORT_PHOTO_TYPES,
      minSide: MIN_SIDE,
      maxSide: MAX_INPUT_SIDE,
      side: MAX_SIDE,
    });
  } catch (err) {
    if (!(err instanceof ImageRejected)) throw err;
    const r = err.rejection;
    if (r.reason === 'too_big')
      throw photoInvalid(
        `縦横それぞれ ${MAX_INPUT_SIDE.toLocaleString('ja-JP')} px 以下の写真にしてください`,
      );
    if (r.reason === 'too_small') throw photoInvalid('小さすぎる画像です');
    throw photoInvalid();
  }
}
