import JSZip from 'jszip';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import type { Cleaned } from './image-metadata.js';

/**
 * Removes who-wrote-it metadata from documents before they are stored, like image-metadata.ts does for
 * photos: the author, the last editor, the company, the software and the dates a PDF or an Office file
 * carries about itself. The content (text, tables, pictures inside) is left as it is. Each function
 * returns undefined when the file cannot be read (or is encrypted), so the caller refuses it rather
 * than storing something it could not clean.
 */

const METADATA = PDFName.of('Metadata'); // XMP stream: on the catalog, pages, images, fonts…
const PIECE_INFO = PDFName.of('PieceInfo'); // applications' private data (Illustrator, Acrobat…)

/** Every PDFDict an object holds, including a stream's dictionary and dictionaries inside arrays. */
function* dictsIn(o: PDFObject | undefined): Generator<PDFDict> {
  if (o instanceof PDFStream) yield* dictsIn(o.dict);
  else if (o instanceof PDFDict) {
    yield o;
    for (const [, v] of o.entries()) if (!(v instanceof PDFRef)) yield* dictsIn(v);
  } else if (o instanceof PDFArray) {
    for (const v of o.asArray()) if (!(v instanceof PDFRef)) yield* dictsIn(v);
  }
}

/** References an object points to (directly, or inside its dictionaries and arrays). */
function* refsIn(o: PDFObject | undefined): Generator<PDFRef> {
  if (o instanceof PDFRef) yield o;
  else if (o instanceof PDFStream) yield* refsIn(o.dict);
  else if (o instanceof PDFDict) for (const [, v] of o.entries()) yield* refsIn(v);
  else if (o instanceof PDFArray) for (const v of o.asArray()) yield* refsIn(v);
}

/**
 * PDF: drops the document information dictionary (Title, Author, Subject, Keywords, Creator, Producer,
 * CreationDate, ModDate and anything custom), every XMP /Metadata stream and /PieceInfo, then every
 * object no longer reachable from the catalog — earlier revisions kept by incremental saves included,
 * since the file is written anew in one revision. Encrypted files are refused: they cannot be cleaned
 * without the password.
 */
export async function stripPdfMetadata(buf: Buffer): Promise<Cleaned | undefined> {
  let doc: PDFDocument;
  try {
    // updateMetadata: false, or pdf-lib would write its own Producer and dates.
    doc = await PDFDocument.load(buf, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return undefined; // malformed, or encrypted (pdf-lib refuses those unless told to ignore it)
  }
  if (doc.isEncrypted) return undefined;
  try {
    // pdf-lib reads almost anything; a "PDF" without a page tree is not one, and saving it would lose what it held.
    if (doc.getPageCount() === 0) return undefined;
  } catch {
    return undefined;
  }
  const ctx = doc.context;
  const removed = new Set<string>();

  const info = ctx.lookup(ctx.trailerInfo.Info);
  if (info instanceof PDFDict) {
    for (const [k] of info.entries()) removed.add(`Info/${k.decodeText()}`);
  }
  if (ctx.trailerInfo.Info instanceof PDFRef) ctx.delete(ctx.trailerInfo.Info);
  ctx.trailerInfo.Info = undefined;

  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    for (const d of dictsIn(obj)) {
      if (d.has(METADATA)) {
        removed.add('XMP');
        d.delete(METADATA);
      }
      if (d.has(PIECE_INFO)) {
        removed.add('PieceInfo');
        d.delete(PIECE_INFO);
      }
    }
  }
  for (const d of dictsIn(doc.catalog)) d.delete(METADATA);

  // Keep only what the catalog reaches: the XMP streams just unlinked, old Info dictionaries and
  // superseded objects of earlier revisions go.
  const reachable = new Set<string>();
  const queue: PDFRef[] = [...refsIn(doc.catalog)];
  if (ctx.trailerInfo.Root instanceof PDFRef) queue.push(ctx.trailerInfo.Root);
  while (queue.length) {
    const ref = queue.pop()!;
    const key = ref.toString();
    if (reachable.has(key)) continue;
    reachable.add(key);
    queue.push(...refsIn(ctx.lookup(ref)));
  }
  let orphans = 0;
  for (const [ref] of ctx.enumerateIndirectObjects()) {
    if (!reachable.has(ref.toString())) {
      ctx.delete(ref);
      orphans++;
    }
  }
  if (orphans && removed.size) removed.add('unreferenced objects');

  try {
    return { data: Buffer.from(await doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false })), removed: [...removed] };
  } catch {
    return undefined;
  }
}

const CORE_TYPE = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';
const APP_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties';
const CUSTOM_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties';

const EMPTY_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const EMPTY_APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';
const EMPTY_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

/** ZIP entries keep a modification time each: all get this one, so the archive tells nothing of when or where it was edited. */
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1));

/** The property parts named by the package relationships (usually docProps/core.xml, app.xml, custom.xml). */
function propertyParts(rels: string): Map<string, string> {
  const parts = new Map<string, string>([
    ['docProps/core.xml', EMPTY_CORE],
    ['docProps/app.xml', EMPTY_APP],
    ['docProps/custom.xml', EMPTY_CUSTOM],
  ]);
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const type = /\bType="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1]?.replace(/^\//, '');
    if (!type || !target) continue;
    if (type === CORE_TYPE) parts.set(target, EMPTY_CORE);
    else if (type === APP_TYPE) parts.set(target, EMPTY_APP);
    else if (type === CUSTOM_TYPE) parts.set(target, EMPTY_CUSTOM);
  }
  return parts;
}

/**
 * DOCX and XLSX (Office Open XML, a ZIP package): the core properties (creator, lastModifiedBy, title,
 * subject, keywords, description, created, modified, lastPrinted, revision), the extended properties
 * (Company, Manager, Application, Template, TotalTime…) and custom properties are replaced by empty
 * ones; Excel's record of the folder the workbook was saved in (x15ac:absPath, often
 * C:\Users\<name>\…) goes too. Authors of comments and tracked changes are content and stay.
 */
export async function stripOoxmlMetadata(buf: Buffer): Promise<Cleaned | undefined> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf, { checkCRC32: true });
  } catch {
    return undefined;
  }
  const types = zip.file('[Content_Types].xml');
  if (!types) return undefined;
  const removed: string[] = [];
  try {
    const rels = (await zip.file('_rels/.rels')?.async('string')) ?? '';
    for (const [path, empty] of propertyParts(rels)) {
      const f = zip.file(path);
      if (!f) continue;
      const before = await f.async('string');
      if (before.trim() !== empty.trim()) {
        zip.file(path, empty);
        removed.push(path);
      }
    }
    const workbook = zip.file('xl/workbook.xml');
    if (workbook) {
      const xml = await workbook.async('string');
      const cleaned = xml
        .replace(/<mc:AlternateContent\b[^>]*>\s*<mc:Choice\b[^>]*>\s*<x15ac:absPath\b[^>]*\/>\s*<\/mc:Choice>\s*<\/mc:AlternateContent>/g, '')
        .replace(/<x15ac:absPath\b[^>]*\/>/g, '');
      if (cleaned !== xml) {
        zip.file('xl/workbook.xml', cleaned);
        removed.push('xl/workbook.xml absPath');
      }
    }
    zip.forEach((_path, file) => {
      file.date = ZIP_DATE;
    });
    const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
    return { data, removed };
  } catch {
    return undefined;
  }
}

/** The cleaner for a sniffed document type; 'not_a_document' for other types. */
export async function stripDocumentMetadata(mime: string, data: Buffer): Promise<Cleaned | undefined | 'not_a_document'> {
  switch (mime) {
    case 'application/pdf':
      return stripPdfMetadata(data);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return stripOoxmlMetadata(data);
    default:
      return 'not_a_document';
  }
}
