import { describe, expect, it } from 'vitest';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { fileTypeFromBuffer } from 'file-type';
import { stripJpegMetadata, stripPngMetadata, stripWebpMetadata } from './image-metadata.js';
import { exifWithGps, jpegWithGps, pngWithText } from './tip-test-images.js';

describe('removing image metadata', () => {
  it('removes EXIF GPS, XMP and comments from a JPEG and keeps its pixels', async () => {
    const { withGps, plain } = jpegWithGps();
    // The test image really carries a position that a reader finds.
    const before = await exifr.gps(withGps);
    expect(before?.latitude).toBeCloseTo(21 + 50 / 60 + 48 / 3600, 4);
    expect(before?.longitude).toBeCloseTo(106 + 45 / 60 + 36 / 3600, 4);

    const cleaned = stripJpegMetadata(withGps)!;
    expect(cleaned.removed).toEqual(['APP1 Exif', 'APP1 XMP', 'COM']);
    expect(await exifr.gps(cleaned.data)).toBeUndefined();
    expect(await exifr.parse(cleaned.data, { tiff: true, xmp: true, gps: true })).toBeUndefined();
    for (const needle of ['Exif', 'CordonCam', 'GPSLatitude', 'Nguyen']) expect(cleaned.data.includes(Buffer.from(needle))).toBe(false);
    // Byte for byte the JPEG without the added segments, and it decodes to the same pixels.
    expect(cleaned.data.equals(plain)).toBe(true);
    expect(Buffer.from(jpeg.decode(cleaned.data).data).equals(Buffer.from(jpeg.decode(plain).data))).toBe(true);
    expect((await fileTypeFromBuffer(cleaned.data))?.mime).toBe('image/jpeg');
  });

  it('drops a JFIF thumbnail and data appended after the end of the image', () => {
    const { plain } = jpegWithGps();
    const jfifLen = plain.readUInt16BE(4);
    const thumb = Buffer.from(plain.subarray(4, 4 + jfifLen));
    const bigJfif = Buffer.concat([Buffer.from([0xff, 0xe0, 0, 0]), thumb.subarray(2), Buffer.alloc(3 * 2 * 2, 0x55)]);
    bigJfif.writeUInt16BE(bigJfif.length - 2, 2);
    bigJfif[4 + 12] = 2; // 2×2 thumbnail
    bigJfif[4 + 13] = 2;
    const appended = Buffer.concat([Buffer.from([0xff, 0xd8]), exifWithGps(), Buffer.from([0xff, 0xd9])]);
    const input = Buffer.concat([plain.subarray(0, 2), bigJfif, plain.subarray(4 + jfifLen), appended]);
    const cleaned = stripJpegMetadata(input)!;
    expect(cleaned.data.equals(plain)).toBe(true);
    expect(cleaned.removed).toContain('APP0 JFIF thumbnail');
  });

  it('refuses what is not a well-formed JPEG', () => {
    const { plain } = jpegWithGps();
    expect(stripJpegMetadata(Buffer.from('not a jpeg'))).toBeUndefined();
    expect(stripJpegMetadata(plain.subarray(0, 30))).toBeUndefined(); // cut inside the headers
    const badLength = Buffer.from(plain);
    badLength.writeUInt16BE(0xfff0, 4);
    expect(stripJpegMetadata(badLength)).toBeUndefined();
  });

  it('removes text, EXIF and time chunks from a PNG', () => {
    const { withText, plain } = pngWithText();
    const cleaned = stripPngMetadata(withText)!;
    expect(cleaned.removed).toEqual(['tEXt', 'iTXt', 'eXIf']);
    expect(cleaned.data.equals(plain)).toBe(true);
    expect(stripPngMetadata(withText.subarray(0, 40))).toBeUndefined();
  });

  it('removes EXIF and XMP chunks from a WebP and clears their flags', () => {
    const chunk = (fourcc: string, data: Buffer) => {
      const h = Buffer.alloc(8);
      h.write(fourcc, 0, 'latin1');
      h.writeUInt32LE(data.length, 4);
      return Buffer.concat([h, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    };
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x08 | 0x04 | 0x10; // EXIF, XMP, alpha
    const image = chunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0]));
    const body = Buffer.concat([chunk('VP8X', vp8x), image, chunk('EXIF', exifWithGps().subarray(10)), chunk('XMP ', Buffer.from('<x:xmpmeta/>'))]);
    const riff = (b: Buffer) => {
      const h = Buffer.alloc(12);
      h.write('RIFF', 0, 'latin1');
      h.writeUInt32LE(b.length + 4, 4);
      h.write('WEBP', 8, 'latin1');
      return Buffer.concat([h, b]);
    };
    const cleaned = stripWebpMetadata(riff(body))!;
    expect(cleaned.removed).toEqual(['EXIF', 'XMP']);
    const expectedVp8x = Buffer.from(vp8x);
    expectedVp8x[0] = 0x10;
    expect(cleaned.data.equals(riff(Buffer.concat([chunk('VP8X', expectedVp8x), image])))).toBe(true);
    expect(stripWebpMetadata(Buffer.from('RIFF\x10\0\0\0WEBPVP8X', 'latin1'))).toBeUndefined();
  });
});
