import { REPORT_LIMITS, REPORT_PHOTO_TYPES, type ReportPhotoType } from '@madoguchi/contracts/reports.ts';
import { AppError } from '../../platform/errors.ts';
import {
  cleanUploadedPhoto,
  ImageRejected,
  photoSizeProblem,
} from '../../platform/images/image-normalise.ts';

// A report's photo: JPEG, PNG or WebP, decided by its bytes (not by its name or declared
// type), at most 10 MB; turned upright and re-encoded, so its metadata (EXIF with the GPS position,
// camera, comments) is gone; at most 2,048 px on the longest side (platform/images).

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
    return await cleanUploadedPhoto(input, REPORT_PHOTO_TYPES);
  } catch (err) {
    if (!(err instanceof ImageRejected)) throw err;
    throw photoInvalid(photoSizeProblem(err.rejection) ?? undefined);
  }
}
