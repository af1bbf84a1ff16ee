import { crc32 } from 'node:zlib';
import jpeg from 'jpeg-js';

/** Test images with metadata in them (used by the metadata and tip tests; not shipped in any route). */

function rational(buf: Buffer, at: number, num: number, den: number) {
  buf.writeUInt32LE(num, at);
  buf.writeUInt32LE(den, at + 4);
}

/**
 * An APP1 Exif segment (little-endian TIFF) whose IFD0 names the camera and points to a GPS IFD with
 * latitude 21°50'48" N and longitude 106°45'36" E (Tân Thanh border gate, Lạng Sơn).
 */
export function exifWithGps(): Buffer {
  const tiff = Buffer.alloc(200);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 at 8
  // IFD0: 2 entries — Make (ASCII, at 100) and GPSInfo (LONG, GPS IFD at 38)
  tiff.writeUInt16LE(2, 8);
  tiff.writeUInt16LE(0x010f, 10); tiff.writeUInt16LE(2, 12); tiff.writeUInt32LE(10, 14); tiff.writeUInt32LE(100, 18);
  tiff.writeUInt16LE(0x8825, 22); tiff.writeUInt16LE(4, 24); tiff.writeUInt32LE(1, 26); tiff.writeUInt32LE(38, 30);
  tiff.writeUInt32LE(0, 34); // no next IFD
  // GPS IFD at 38: 4 entries (LatitudeRef, Latitude, LongitudeRef, Longitude)
  tiff.writeUInt16LE(4, 38);
  let e = 40;
  const entry = (tag: number, type: number, count: number, value: number | string) => {
    tiff.writeUInt16LE(tag, e); tiff.writeUInt16LE(type, e + 2); tiff.writeUInt32LE(count, e + 4);
    if (typeof value === 'string') tiff.write(value, e + 8, 'latin1');
    else tiff.writeUInt32LE(value, e + 8);
    e += 12;
  };
  entry(1, 2, 2, 'N\0');
  entry(2, 5, 3, 120);
  entry(3, 2, 2, 'E\0');
  entry(4, 5, 3, 150);
  tiff.writeUInt32LE(0, e); // no next IFD
  tiff.write('CordonCam\0', 100, 'latin1');
  rational(tiff, 120, 21, 1); rational(tiff, 128, 50, 1); rational(tiff, 136, 48, 1);
  rational(tiff, 150, 106, 1); rational(tiff, 158, 45, 1); rational(tiff, 166, 36, 1);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff.subarray(0, 180)]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

/** A real 16×16 JPEG (jpeg-js), with an Exif GPS segment, an XMP segment and a comment after its JFIF header. */
export function jpegWithGps(): { withGps: Buffer; plain: Buffer } {
  const width = 16;
  const height = 16;
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) pixels.set([i % 256, (i * 7) % 256, 128, 255], i * 4);
  const plain = jpeg.encode({ data: pixels, width, height }, 90).data;
  // jpeg-js writes SOI then APP0 JFIF (18 bytes with marker): insert after it.
  const jfifEnd = 2 + 2 + plain.readUInt16BE(4);
  const xmpPayload = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>21,50.8N</exif:GPSLatitude></x:xmpmeta>', 'latin1');
  const xmp = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), xmpPayload]);
  xmp.writeUInt16BE(xmpPayload.length + 2, 2);
  const commentPayload = Buffer.from('taken by Nguyen Van A', 'latin1');
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, commentPayload.length + 2]), commentPayload]);
  const withGps = Buffer.concat([plain.subarray(0, jfifEnd), exifWithGps(), xmp, comment, plain.subarray(jfifEnd)]);
  return { withGps, plain };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** 1×1 PNG with tEXt (author), iTXt (GPS as text) and eXIf chunks after IHDR. */
export function pngWithText(): { withText: Buffer; plain: Buffer } {
  const plain = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const ihdrEnd = 8 + 12 + 13;
  const extra = Buffer.concat([
    pngChunk('tEXt', Buffer.from('Author\0Nguyen Van A', 'latin1')),
    pngChunk('iTXt', Buffer.from('GPS\x00\x00\x00\x00\x0021.8467,106.76', 'latin1')),
    pngChunk('eXIf', exifWithGps().subarray(10)),
  ]);
  return { withText: Buffer.concat([plain.subarray(0, ihdrEnd), extra, plain.subarray(ihdrEnd)]), plain };
}
