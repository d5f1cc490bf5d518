import { describe, expect, it } from 'vitest';
import { readImageSize } from './image-size.ts';
import { jpegOfSize, pngOfSize } from './testing/harness.ts';

describe('image size from PNG and JPEG headers', () => {
  it('reads PNG IHDR', () => {
    expect(readImageSize(pngOfSize(2500, 1686))).toEqual({ type: 'png', width: 2500, height: 1686 });
  });

  it('reads JPEG start-of-frame after other segments', () => {
    expect(readImageSize(jpegOfSize(1200, 405))).toEqual({ type: 'jpeg', width: 1200, height: 405 });
  });

  it('rejects other data', () => {
    expect(readImageSize(Buffer.from('GIF89a.............................'))).toBeUndefined();
    expect(readImageSize(Buffer.from([0xff, 0xd8, 0x00]))).toBeUndefined();
  });
});
