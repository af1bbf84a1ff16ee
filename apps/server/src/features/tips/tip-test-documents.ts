import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

/** Test documents that name their author (used by the metadata and tip tests; not shipped in any route). */

export const AUTHOR = 'Nguyễn Văn Tố Giác';
export const COMPANY = 'Công ty TNHH Vận tải Đồng Đăng';

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>NguyenVanToGiac</rdf:li></rdf:Seq></dc:creator><xmp:CreatorTool>CordonWriter 1.0</xmp:CreatorTool>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/**
 * A one-page PDF whose Info dictionary names the author, creator, producer, title and dates, with an
 * XMP stream on the catalog saying the same; the page reads "Bien ban giao hang".
 */
export async function pdfWithAuthor(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText('Bien ban giao hang', { x: 20, y: 150, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  doc.setTitle('Biên bản giao hàng lậu');
  doc.setAuthor(AUTHOR);
  doc.setSubject('Tố giác');
  doc.setKeywords(['thuốc lá', 'Lạng Sơn']);
  doc.setCreator('CordonWriter 1.0');
  doc.setProducer('CordonPDF 2.0');
  doc.setCreationDate(new Date('2026-11-01T08:00:00Z'));
  doc.setModificationDate(new Date('2026-11-02T08:00:00Z'));
  const xmp = doc.context.stream(XMP, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const DOCX_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
const DOCX_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`;
const DOCX_BODY = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Kho hàng lậu sau chợ Đồng Đăng</w:t></w:r></w:p></w:body></w:document>`;
const DOCX_CORE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Tố giác</dc:title><dc:creator>${AUTHOR}</dc:creator><cp:lastModifiedBy>${AUTHOR}</cp:lastModifiedBy><cp:revision>3</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-01T08:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-02T08:00:00Z</dcterms:modified></cp:coreProperties>`;
const DOCX_APP = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template><TotalTime>12</TotalTime><Application>Microsoft Office Word</Application><Company>${COMPANY}</Company><Manager>Trần Quản Lý</Manager></Properties>`;

/** A DOCX whose core and extended properties name the author, the last editor and the company. */
export async function docxWithAuthor(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', DOCX_TYPES);
  zip.file('_rels/.rels', DOCX_RELS);
  zip.file('word/document.xml', DOCX_BODY);
  zip.file('docProps/core.xml', DOCX_CORE);
  zip.file('docProps/app.xml', DOCX_APP);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An XLSX written by exceljs with creator, last editor and company, and Excel's saved-folder path. */
export async function xlsxWithAuthor(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = AUTHOR;
  wb.lastModifiedBy = AUTHOR;
  wb.company = COMPANY;
  wb.title = 'Danh sách xe';
  wb.created = new Date('2026-11-01T08:00:00Z');
  wb.addWorksheet('Xe').addRow(['12C-345.67', 'thuốc lá']);
  const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  const absPath = '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15ac"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" url="C:\\Users\\NguyenVanToGiac\\Documents\\"/></mc:Choice></mc:AlternateContent>';
  zip.file('xl/workbook.xml', workbook.replace(/(<workbook\b[^>]*>)/, `$1${absPath}`));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Every text a document's properties parts and PDF metadata could carry, as one string to search. */
export async function documentText(bytes: Uint8Array): Promise<string> {
  const data = Buffer.from(bytes); // a database bytea may come back as a plain Uint8Array
  if (data.subarray(0, 4).toString('latin1') === '%PDF') {
    const { inflateSync } = await import('node:zlib');
    // Object streams are deflated: inflate every stream so a search sees what a reader would.
    const parts: string[] = [data.toString('latin1')];
    const s = data.toString('latin1');
    for (const m of s.matchAll(/stream\r?\n/g)) {
      const start = m.index! + m[0].length;
      const end = s.indexOf('endstream', start);
      try {
        parts.push(inflateSync(data.subarray(start, end)).toString('latin1'));
      } catch {
        // not deflated
      }
    }
    return parts.join('\n');
  }
  const zip = await JSZip.loadAsync(data);
  const texts: string[] = [];
  for (const [name, f] of Object.entries(zip.files)) texts.push(name, f.dir ? '' : await f.async('string'));
  return texts.join('\n');
}
