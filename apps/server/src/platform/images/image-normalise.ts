import sharp, { type Metadata, type Sharp } from 'sharp';

// The one way an uploaded image is checked and cleaned (fault report photos R-01, images for
// messages G-05, the photos of survey answers Q-01; rich menu images sniff with it): the type is
// decided by the bytes — magic numbers, then decoding — never by the file name or the declared type;
// the image is turned upright and re-encoded, so nothing of the original's metadata (EXIF with the
// GPS position, camera, comments, ICC) is kept. Each caller turns a rejection into its own error.

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SHARP_FORMAT: Record<ImageType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The type the bytes really are (magic numbers), or null. */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_MAGIC)) return 'image/png';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** Why an image was refused: not an accepted type, not decodable, or its sides out of bounds. */
export type ImageRejection =
  | { reason: 'type' }
  | { reason: 'unreadable' }
  | { reason: 'too_big' | 'too_small'; width: number; height: number };

export class ImageRejected extends Error {
  readonly rejection: ImageRejection;
  constructor(rejection: ImageRejection) {
    super(`image rejected: ${rejection.reason}`);
    this.rejection = rejection;
  }
}

export interface ImageRule {
  accept: readonly ImageType[];
  /** Bounds of each side, as the image stands upright. */
  minSide: number;
  maxSide: number;
}

/** The image's type and upright size, checked against the rule (throws ImageRejected). */
export async function inspectImage(
  input: Buffer,
  rule: ImageRule,
): Promise<{ type: ImageType; width: number; height: number }> {
  const type = sniffImageType(input);
  if (!type || !rule.accept.includes(type)) throw new ImageRejected({ reason: 'type' });
  let meta: Metadata;
  try {
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejected({ reason: 'unreadable' });
  }
  if (meta.format !== SHARP_FORMAT[type]) throw new ImageRejected({ reason: 'type' });
  const { width, height } = meta.autoOrient;
  if (width > rule.maxSide || height > rule.maxSide)
    throw new ImageRejected({ reason: 'too_big', width, height });
  if (width < rule.minSide || height < rule.minSide)
    throw new ImageRejected({ reason: 'too_small', width, height });
  return { type, width, height };
}

/** Reading options: decoding errors and truncated files fail; pixels bounded; EXIF orientation applied. */
export const imageInput = (maxInputSide: number) =>
  ({ failOn: 'error', limitInputPixels: maxInputSide * maxInputSide, autoOrient: true }) as const;

/** Encodes in the type; no withMetadata(): sharp writes none of the input's metadata. */
export function encodeImage(pipeline: Sharp, type: ImageType, quality: number) {
  const out =
    type === 'image/jpeg'
      ? pipeline.jpeg({ quality, chromaSubsampling: '4:2:0' })
      : type === 'image/webp'
        ? pipeline.webp({ quality })
        : quality >= 85
          ? pipeline.png({ compressionLevel: 9, adaptiveFiltering: true })
          : pipeline.png({ compressionLevel: 9, palette: true, quality });
  return out.toBuffer({ resolveWithObject: true });
}

/**
 * The image upright, fitted inside side × side (never enlarged) and re-encoded without metadata
 * (throws ImageRejected 'unreadable' when it does not decode to the end).
 */
export async function cleanImage(
  input: Buffer,
  type: ImageType,
  opts: { side: number; quality: number; maxInputSide: number },
): Promise<{ bytes: Buffer; width: number; height: number }> {
  try {
    const pipeline = sharp(input, imageInput(opts.maxInputSide)).resize({
      width: opts.side,
      height: opts.side,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const { data, info } = await encodeImage(pipeline, type, opts.quality);
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw new ImageRejected({ reason: 'unreadable' });
  }
}

/** Photos people upload (reports, survey answers): 16 to 12,000 px a side, kept at most 2,048 px. */
export const PHOTO_SIDES = { minSide: 16, maxSide: 12_000, side: 2048 } as const;

/**
 * A photo as people upload it: of an accepted type and within PHOTO_SIDES, then upright, at most
 * 2,048 px on its longest side and re-encoded in its own type without metadata.
 */
export async function cleanUploadedPhoto(
  input: Buffer,
  accept: readonly ImageType[],
): Promise<{ contentType: ImageType; bytes: Buffer; width: number; height: number }> {
  const { type } = await inspectImage(input, { accept, ...PHOTO_SIDES });
  const clean = await cleanImage(input, type, {
    side: PHOTO_SIDES.side,
    quality: 85,
    maxInputSide: PHOTO_SIDES.maxSide,
  });
  return { contentType: type, ...clean };
}

/** What to tell the citizen about a photo cleanUploadedPhoto refused for its size (null: its type). */
export function photoSizeProblem(rejection: ImageRejection): string | null {
  if (rejection.reason === 'too_big')
    return `縦横それぞれ ${PHOTO_SIDES.maxSide.toLocaleString('ja-JP')} px 以下の画像にしてください`;
  if (rejection.reason === 'too_small') return '小さすぎる画像です';
  return null;
}
