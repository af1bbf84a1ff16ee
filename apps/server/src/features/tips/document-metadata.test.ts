import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { extractText, getMeta } from 'unpdf';
import { sniffType } from '../cases/attachments/attachments.service.js';
import { stripOoxmlMetadata, stripPdfMetadata } from './document-metadata.js';
import { AUTHOR, COMPANY, docxWithAuthor, documentText, pdfWithAuthor, xlsxWithAuthor } from './tip-test-documents.js';

describe('removing document metadata', () => {
  it('removes the Info dictionary and the XMP stream from a PDF and keeps its page', async () => {
    const input = await pdfWithAuthor();
    // The test file really names its author, to an independent reader (pdf.js).
    const before = await getMeta(new Uint8Array(input));
    expect(before.info).toMatchObject({ Author: AUTHOR, Creator: 'CordonWriter 1.0', Producer: 'CordonPDF 2.0', Title: 'Biên bản giao hàng lậu' });
    expect(before.metadata?.get('dc:creator')).toBeTruthy();

    const cleaned = (await stripPdfMetadata(input))!;
    expect(cleaned.removed).toEqual(expect.arrayContaining(['Info/Author', 'Info/Creator', 'Info/Producer', 'Info/Title', 'Info/CreationDate', 'Info/ModDate', 'XMP']));
    const after = await getMeta(new Uint8Array(cleaned.data));
    for (const k of ['Author', 'Creator', 'Producer', 'Title', 'Subject', 'Keywords', 'CreationDate', 'ModDate']) expect(after.info[k]).toBeUndefined();
    // pdf.js answers an empty object when there is no XMP at all.
    expect(after.metadata?.get?.('dc:creator') ?? null).toBeNull();
    const reread = await PDFDocument.load(cleaned.data, { updateMetadata: false });
    expect([reread.getAuthor(), reread.getCreator(), reread.getProducer(), reread.getTitle(), reread.getCreationDate()]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const raw = await documentText(cleaned.data);
    for (const needle of ['NguyenVanToGiac', 'CordonWriter', 'CordonPDF', 'xmpmeta', '/Author', '/Producer']) expect(raw).not.toContain(needle);
    // The content is still there.
    expect((await extractText(new Uint8Array(cleaned.data), { mergePages: true })).text).toContain('Bien ban giao hang');
    expect(reread.getPageCount()).toBe(1);
    expect((await sniffType(cleaned.data))?.mime).toBe('application/pdf');
  });

  it('drops metadata left behind by an earlier revision', async () => {
    const first = await pdfWithAuthor();
    // A second revision appended to the first, with a new Info dictionary under a new object number:
    // the old one (naming the author) stays in the file, referenced by nothing.
    const doc = await PDFDocument.load(first, { updateMetadata: false });
    doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFHexString.fromText('Người sửa sau') }));
    const updated = Buffer.concat([first, Buffer.from(await doc.save({ useObjectStreams: false }))]);
    const oldAuthor = PDFHexString.fromText(AUTHOR).toString().toLowerCase();
    expect((await documentText(updated)).toLowerCase()).toContain(oldAuthor);
    const cleaned = (await stripPdfMetadata(updated))!;
    expect(cleaned.removed).toContain('unreferenced objects');
    expect((await getMeta(new Uint8Array(cleaned.data))).info.Author).toBeUndefined();
    const raw = (await documentText(cleaned.data)).toLowerCase();
    expect(raw).not.toContain(oldAuthor);
    expect(raw).not.toContain(PDFHexString.fromText('Người sửa sau').toString().toLowerCase());
    expect(raw).not.toContain('nguyenvantogiac');
  });

  it('refuses what is not a readable PDF', async () => {
    expect(await stripPdfMetadata(Buffer.from('%PDF-1.7\nnot really a pdf'))).toBeUndefined();
  });

  it('empties the core, extended and custom properties of a DOCX and keeps its text', async () => {
    const input = await docxWithAuthor();
    expect(await documentText(input)).toContain(AUTHOR);
    const cleaned = (await stripOoxmlMetadata(input))!;
    expect(cleaned.removed).toEqual(['docProps/core.xml', 'docProps/app.xml']);
    const text = await documentText(cleaned.data);
    for (const needle of [AUTHOR, COMPANY, 'Trần Quản Lý', 'lastModifiedBy', 'Normal.dotm', '2026-11-0']) expect(text).not.toContain(needle);
    expect(text).toContain('Kho hàng lậu sau chợ Đồng Đăng');
    expect((await sniffType(cleaned.data))?.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // Entry times say nothing either.
    const zip = await JSZip.loadAsync(cleaned.data);
    expect(new Set(Object.values(zip.files).map((f) => f.date.getUTCFullYear()))).toEqual(new Set([1980]));
  });

  it('empties an XLSX\'s properties and its saved-folder path, and the workbook still opens', async () => {
    const input = await xlsxWithAuthor();
    expect(await documentText(input)).toContain('NguyenVanToGiac');
    const cleaned = (await stripOoxmlMetadata(input))!;
    expect(cleaned.removed).toEqual(expect.arrayContaining(['docProps/core.xml', 'docProps/app.xml', 'xl/workbook.xml absPath']));
    const text = await documentText(cleaned.data);
    for (const needle of [AUTHOR, COMPANY, 'NguyenVanToGiac', 'absPath']) expect(text).not.toContain(needle);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(cleaned.data as unknown as ArrayBuffer);
    expect(wb.creator ?? '').toBe('');
    expect(wb.getWorksheet('Xe')!.getRow(1).getCell(1).value).toBe('12C-345.67');
    expect((await sniffType(cleaned.data))?.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('refuses a ZIP that is not an Office package', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    expect(await stripOoxmlMetadata(await zip.generateAsync({ type: 'nodebuffer' }))).toBeUndefined();
    expect(await stripOoxmlMetadata(Buffer.from('PK\x03\x04 broken', 'latin1'))).toBeUndefined();
  });
});
