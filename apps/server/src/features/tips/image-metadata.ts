/**
 * Removes metadata from photos before they are stored, without decoding the image: EXIF (camera, time,
 * GPS position), XMP, IPTC, comments and embedded thumbnails. Only the bytes that carry metadata go;
 * the pixels are copied as they are. Each function returns undefined when the file is not well formed,
 * so the caller refuses it rather than storing something it could not clean.
 */

export interface Cleaned {
  data: Buffer;
  /** What was removed, for the audit trail: "APP1 Exif", "tEXt", "EXIF", ... */
  removed: string[];
}

const JFIF = Buffer.from('JFIF\0', 'latin1');
const ICC = Buffer.from('ICC_PROFILE\0', 'latin1');
const ADOBE = Buffer.from('Adobe', 'latin1');

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  return buf.length >= at + prefix.length && buf.subarray(at, at + prefix.length).equals(prefix);
}

function appLabel(marker: number, payload: Buffer): string {
  if (payload.toString('latin1', 0, 23) === 'http://ns.adobe.com/xap') return `APP${marker - 0xe0} XMP`;
  const id = payload.subarray(0, 12).toString('latin1').replace(/[^\x20-\x7e].*$/s, '');
  return marker === 0xfe ? 'COM' : `APP${marker - 0xe0}${id ? ' ' + id : ''}`;
}

/**
 * JPEG: keeps APP0 JFIF (with its thumbnail dropped), APP2 ICC_PROFILE (colours) and APP14 Adobe
 * (colour transform of CMYK files); drops every other APPn (APP1 Exif and XMP, APP13 IPTC, APP2 MPF,
 * maker data) and COM. Entropy-coded data is copied; anything after the end-of-image marker (phones
 * append second images there, each with its own EXIF) is dropped.
 */
export function stripJpegMetadata(buf: Buffer): Cleaned | undefined {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  const out: Buffer[] = [buf.subarray(0, 2)];
  const removed: string[] = [];
  let pos = 2;
  let sawScan = false;
  while (pos < buf.length) {
    if (buf[pos] !== 0xff) return undefined;
    while (buf[pos] === 0xff && pos < buf.length) pos++; // fill bytes
    if (pos >= buf.length) return undefined;
    const marker = buf[pos]!;
    pos++;
    if (marker === 0xd9) {
      out.push(Buffer.from([0xff, 0xd9]));
      return sawScan ? { data: Buffer.concat(out), removed } : undefined;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      out.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (pos + 2 > buf.length) return undefined;
    const length = buf.readUInt16BE(pos);
    if (length < 2 || pos + length > buf.length) return undefined;
    const payloadStart = pos + 2;
    const end = pos + length;
    const payload = buf.subarray(payloadStart, end);
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      if (marker === 0xe0 && startsWith(payload, 0, JFIF) && payload.length >= 14) {
        // JFIF header without its thumbnail: identifier, version, units, densities, 0×0 thumbnail.
        const header = Buffer.from(payload.subarray(0, 14));
        header[12] = 0;
        header[13] = 0;
        if (payload.length > 14) removed.push('APP0 JFIF thumbnail');
        out.push(Buffer.from([0xff, 0xe0, 0x00, 16]), header);
      } else if ((marker === 0xe2 && startsWith(payload, 0, ICC)) || (marker === 0xee && startsWith(payload, 0, ADOBE))) {
        out.push(buf.subarray(pos - 2, end));
      } else {
        removed.push(appLabel(marker, payload));
      }
      pos = end;
      continue;
    }
    out.push(buf.subarray(pos - 2, end));
    pos = end;
    if (marker !== 0xda) continue;
    // Start of scan: entropy-coded data runs to the next marker that is not stuffing (FF00) or a restart.
    sawScan = true;
    const scanStart = pos;
    while (pos < buf.length) {
      if (buf[pos] === 0xff && pos + 1 < buf.length) {
        const next = buf[pos + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          pos += 2;
          continue;
        }
        if (next === 0xff) {
          pos++;
          continue;
        }
        break;
      }
      pos++;
    }
    out.push(buf.subarray(scanStart, Math.min(pos, buf.length)));
    if (pos >= buf.length - 1) {
      // No end-of-image marker (a cut file): decoders accept it; close it properly.
      out.push(Buffer.from([0xff, 0xd9]));
      return { data: Buffer.concat(out), removed };
    }
  }
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Text (often author, software, GPS written by apps), EXIF and the modification time. */
const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

/** PNG: drops tEXt, zTXt, iTXt, eXIf and tIME chunks and anything after IEND. */
export function stripPngMetadata(buf: Buffer): Cleaned | undefined {
  if (!startsWith(buf, 0, PNG_SIGNATURE)) return undefined;
  const out: Buffer[] = [PNG_SIGNATURE];
  const removed: string[] = [];
  let pos = 8;
  while (pos + 12 <= buf.length) {
    const length = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString('latin1');
    const end = pos + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > buf.length) return undefined;
    if (PNG_DROPPED.has(type)) removed.push(type);
    else out.push(buf.subarray(pos, end));
    pos = end;
    if (type === 'IEND') return { data: Buffer.concat(out), removed };
  }
  return undefined;
}

/** WebP: drops the EXIF and XMP chunks, clears their flags in VP8X and fixes the RIFF size. */
export function stripWebpMetadata(buf: Buffer): Cleaned | undefined {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const out: Buffer[] = [];
  const removed: string[] = [];
  let pos = 12;
  const riffEnd = Math.min(buf.length, 8 + buf.readUInt32LE(4));
  while (pos + 8 <= riffEnd) {
    const fourcc = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const end = pos + 8 + size + (size % 2);
    if (pos + 8 + size > riffEnd) return undefined; // the pad byte of the last chunk may be missing
    if (fourcc === 'EXIF' || fourcc === 'XMP ') {
      removed.push(fourcc.trim());
    } else if (fourcc === 'VP8X' && size >= 10) {
      const chunk = Buffer.from(buf.subarray(pos, Math.min(end, buf.length)));
      chunk[8] = chunk[8]! & ~0x0c; // EXIF (0x08) and XMP (0x04) present-flags
      out.push(chunk);
    } else {
      out.push(buf.subarray(pos, Math.min(end, buf.length)));
    }
    pos = end;
  }
  if (pos < riffEnd) return undefined;
  const body = Buffer.concat(out);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return { data: Buffer.concat([header, body]), removed };
}

/** The cleaner for a sniffed image type; other types are stored as they are. */
export function stripImageMetadata(mime: string, data: Buffer): Cleaned | undefined | 'not_an_image' {
  switch (mime) {
    case 'image/jpeg':
      return stripJpegMetadata(data);
    case 'image/png':
      return stripPngMetadata(data);
    case 'image/webp':
      return stripWebpMetadata(data);
    default:
      return 'not_an_image';
  }
}
