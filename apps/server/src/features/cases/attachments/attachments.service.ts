import { createHash, randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES, ATTACHMENT_TYPES, type AttachmentView, type FieldIssue } from '@cordon/contracts';
import { decideAccess, readIsAudited } from '@cordon/engine';
import type { Db, Selectable, CasesTable } from '@cordon/db';
import { AppError, forbidden, notFound } from '../../../errors.js';
import type { Clock } from '../../../lib/clock.js';
import type { AccessService } from '../../access/access.service.js';
import type { AuditService } from '../../audit/audit.service.js';
import { actorOf, type Principal } from '../../auth/principal.js';

type CaseRow = Selectable<CasesTable>;
type AllowedType = keyof typeof ATTACHMENT_TYPES;

const RECORD_TYPE = 'case';
/** Same list as the case registry's writers (kept here to avoid a cycle with cases.service). */
const WRITER_ROLES = ['officer', 'provincial_coordinator', 'analyst', 'admin'];

export interface UploadedFile {
  fileName: string;
  data: Buffer;
  /** The upload was cut at the size limit (multipart stops reading there). */
  truncated?: boolean;
}

/** Keeps the last path segment, drops control characters, caps the length; never empty. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what we remove
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(-200);
  return clean || 'file';
}

function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/** Plain text: valid UTF-8 with no control characters but tab, line feed, form feed and carriage return. */
function isPlainText(data: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    // eslint-disable-next-line no-control-regex -- control characters are what we look for
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

/** What the content is, sniffed from its bytes (never from the name or the client's Content-Type). */
export async function sniffType(data: Buffer): Promise<{ mime: string; ext: string } | undefined> {
  const t = await fileTypeFromBuffer(data);
  if (t) return { mime: t.mime, ext: t.ext };
  return isPlainText(data) ? { mime: 'text/plain', ext: 'txt' } : undefined;
}

/**
 * Photos and documents on a case. Handling units upload; users with full access list and download;
 * downloads of restricted and secret cases go into the audit trail.
 */
export function createAttachmentsService({ db, clock, audit, access, maxBytes = ATTACHMENT_MAX_BYTES }: { db: Db; clock: Clock; audit: AuditService; access: AccessService; maxBytes?: number }) {
  const factsOf = (r: Pick<CaseRow, 'sensitivity' | 'handling_unit_ids' | 'named_user_ids'>) => ({
    sensitivity: r.sensitivity as 'internal' | 'restricted' | 'secret',
    handlingUnitIds: r.handling_unit_ids,
    namedUserIds: r.named_user_ids,
  });

  /** The case and this user's access; 404 when they may not know it exists, 403 with only its summary. */
  async function caseForFullAccess(p: Principal, caseId: string) {
    const r = await db.kysely.selectFrom('cases').select(['id', 'sensitivity', 'handling_unit_ids', 'named_user_ids']).where('id', '=', caseId).executeTakeFirst();
    if (!r) throw notFound('Case');
    const decision = decideAccess(p, { ...factsOf(r), ...(await access.sharesOf(RECORD_TYPE, caseId)) });
    if (decision.level === 'none') throw notFound('Case');
    if (decision.level !== 'full') throw forbidden('Attachments are open to the units handling the case and those it is shared with');
    return r;
  }

  async function check(files: UploadedFile[]): Promise<{ issues: FieldIssue[]; sniffed: AllowedType[] }> {
    const issues: FieldIssue[] = [];
    const sniffed: AllowedType[] = [];
    const refuse = (i: number, reason: string, message: string, limit?: number) =>
      issues.push({ field: `files.${i}`, reason, message, ...(limit !== undefined ? { limit } : {}) });
    for (const [i, f] of files.entries()) {
      const name = cleanFileName(f.fileName);
      if (f.truncated || f.data.length > maxBytes) {
        refuse(i, 'too_large', `"${name}" is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, maxBytes);
        continue;
      }
      if (f.data.length === 0) {
        refuse(i, 'empty', `"${name}" is empty`);
        continue;
      }
      const type = await sniffType(f.data);
      const allowed = type && type.mime in ATTACHMENT_TYPES ? (type.mime as AllowedType) : undefined;
      if (!allowed) {
        refuse(i, 'unsupported_type', `"${name}" is ${type ? type.ext.toUpperCase() : 'binary data of an unknown kind'}; accepted: JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text`);
        continue;
      }
      const ext = extensionOf(name);
      if (!(ATTACHMENT_TYPES[allowed] as readonly string[]).includes(ext)) {
        refuse(i, 'type_mismatch', `"${name}" is named .${ext || '(none)'} but its content is ${allowed}; rename it .${ATTACHMENT_TYPES[allowed][0]}`);
        continue;
      }
      sniffed.push(allowed);
    }
    return { issues, sniffed };
  }

  async function viewsOf(caseId: string, ids?: string[]): Promise<AttachmentView[]> {
    let q = db.kysely
      .selectFrom('case_attachments as a')
      .leftJoin('users as u', 'u.id', 'a.uploaded_by')
      .select(['a.id', 'a.case_id', 'a.file_name', 'a.mime_type', 'a.size_bytes', 'a.sha256', 'a.created_at', 'u.username'])
      .where('a.case_id', '=', caseId);
    if (ids) q = q.where('a.id', 'in', ids);
    const rows = await q.orderBy('a.created_at').orderBy('a.file_name').execute();
    return rows.map((a) => ({ id: a.id, caseId: a.case_id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: a.size_bytes, sha256: a.sha256, uploadedBy: a.username, createdAt: a.created_at.toISOString() }));
  }

  /**
   * Stores one or more files on a case, all or none: a refused file is named with its reason and
   * nothing is stored. Only officers of a handling unit upload (a share gives reading, not writing).
   */
  async function upload(p: Principal, caseId: string, files: UploadedFile[], requestId?: string): Promise<AttachmentView[]> {
    const c = await caseForFullAccess(p, caseId);
    if (!p.roles.some((r) => WRITER_ROLES.includes(r)) || !c.handling_unit_ids.some((u) => p.unitIds.includes(u))) {
      throw forbidden('Only officers of the recording, lead and coordinating units add attachments');
    }
    if (!files.length) throw new AppError('INVALID_INPUT', 'files: send at least one file', [{ field: 'files', reason: 'required', message: 'send at least one file' }]);
    if (files.length > ATTACHMENT_MAX_FILES) throw new AppError('INVALID_INPUT', `files: at most ${ATTACHMENT_MAX_FILES} at once`, [{ field: 'files', reason: 'too_many', message: `at most ${ATTACHMENT_MAX_FILES} files at once`, limit: ATTACHMENT_MAX_FILES }]);
    const { issues, sniffed } = await check(files);
    if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => i.message).join('; '), issues);
    const ids: string[] = [];
    await db.kysely.transaction().execute(async (trx) => {
      const now = clock.now();
      for (const [i, f] of files.entries()) {
        const id = randomUUID();
        const sha256 = createHash('sha256').update(f.data).digest('hex');
        const fileName = cleanFileName(f.fileName);
        await trx
          .insertInto('case_attachments')
          .values({ id, case_id: caseId, file_name: fileName, mime_type: sniffed[i]!, size_bytes: f.data.length, sha256, content: f.data, uploaded_by: p.userId, created_at: now })
          .execute();
        await audit.record({ action: 'case.attachment.add', actor: actorOf(p), entityType: RECORD_TYPE, entityId: caseId, detail: { attachmentId: id, fileName, mimeType: sniffed[i], sizeBytes: f.data.length, sha256 }, requestId }, trx);
        ids.push(id);
      }
    });
    return viewsOf(caseId, ids);
  }

  /** The list is a read of the case: through the access service, which audits restricted and secret ones. */
  async function list(p: Principal, caseId: string, requestId?: string): Promise<AttachmentView[]> {
    const r = await db.kysely.selectFrom('cases').select(['id', 'sensitivity', 'handling_unit_ids', 'named_user_ids']).where('id', '=', caseId).executeTakeFirst();
    if (!r) throw notFound('Case');
    const decision = await access.checkRead(p, { type: RECORD_TYPE, id: caseId, facts: factsOf(r) }, requestId);
    if (decision.level !== 'full') throw forbidden('Attachments are open to the units handling the case and those it is shared with');
    return viewsOf(caseId);
  }

  /** The file itself. The read goes through the access service, which audits restricted and secret cases. */
  async function download(p: Principal, caseId: string, attachmentId: string, requestId?: string) {
    const r = await db.kysely.selectFrom('cases').select(['id', 'sensitivity', 'handling_unit_ids', 'named_user_ids']).where('id', '=', caseId).executeTakeFirst();
    if (!r) throw notFound('Case');
    const decision = await access.checkRead(p, { type: RECORD_TYPE, id: caseId, facts: factsOf(r) }, requestId);
    if (decision.level !== 'full') throw forbidden('Attachments are open to the units handling the case and those it is shared with');
    const a = await db.kysely.selectFrom('case_attachments').selectAll().where('id', '=', attachmentId).where('case_id', '=', caseId).executeTakeFirst();
    if (!a) throw notFound('Attachment');
    if (readIsAudited(factsOf(r))) {
      await audit.record({ action: 'case.attachment.download', actor: actorOf(p), entityType: RECORD_TYPE, entityId: caseId, detail: { attachmentId, fileName: a.file_name, sha256: a.sha256, rule: decision.rule }, requestId });
    }
    return { fileName: a.file_name, mimeType: a.mime_type, sha256: a.sha256, content: a.content };
  }

  return { upload, list, download, maxBytes };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;
