import { createHash } from 'node:crypto';
import { ATTACHMENT_MAX_FILES, ATTACHMENT_TYPES, type FieldIssue } from '@cordon/contracts';
import { AppError, invalidField } from '../../errors.js';
import { cleanFileName, sniffType } from '../cases/attachments/attachments.service.js';

export type AllowedType = keyof typeof ATTACHMENT_TYPES;

/** An uploaded file as read from a multipart request. */
export interface DirectiveFile {
  fileName: string;
  data: Buffer;
  truncated?: boolean;
}

/** A checked file ready to store. */
export interface CheckedFile {
  fileName: string;
  mimeType: AllowedType;
  sizeBytes: number;
  sha256: string;
  data: Buffer;
}

/**
 * Same habits as case attachments: types sniffed from the bytes, the name's extension must agree, size
 * and count limits; every problem is reported at once, naming the file, and nothing is stored unless
 * every file passes.
 */
export async function checkDirectiveFiles(files: DirectiveFile[], maxFileBytes: number, { required = true } = {}): Promise<CheckedFile[]> {
  const issues: FieldIssue[] = [];
  const checked: CheckedFile[] = [];
  if (!files.length) {
    if (required) throw invalidField('files', 'required', 'send at least one file');
    return [];
  }
  if (files.length > ATTACHMENT_MAX_FILES) throw invalidField('files', 'too_many', `at most ${ATTACHMENT_MAX_FILES} files at once`, ATTACHMENT_MAX_FILES);
  for (const [i, f] of files.entries()) {
    const name = cleanFileName(f.fileName);
    const refuse = (reason: string, message: string, limit?: number) => issues.push({ field: `files.${i}`, reason, message, ...(limit !== undefined ? { limit } : {}) });
    if (f.truncated || f.data.length > maxFileBytes) {
      refuse('too_large', `"${name}" is larger than ${Math.round(maxFileBytes / 1024 / 1024) || '<1'} MB`, maxFileBytes);
      continue;
    }
    if (!f.data.length) {
      refuse('empty', `"${name}" is empty`);
      continue;
    }
    const type = await sniffType(f.data);
    const allowed = type && type.mime in ATTACHMENT_TYPES ? (type.mime as AllowedType) : undefined;
    if (!allowed) {
      refuse('unsupported_type', `"${name}" is ${type ? type.ext.toUpperCase() : 'binary data of an unknown kind'}; accepted: JPEG, PNG, WebP, PDF, DOCX, XLSX, plain text`);
      continue;
    }
    const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
    if (!(ATTACHMENT_TYPES[allowed] as readonly string[]).includes(ext)) {
      refuse('type_mismatch', `"${name}" is named .${ext || '(none)'} but its content is ${allowed}; rename it .${ATTACHMENT_TYPES[allowed][0]}`);
      continue;
    }
    checked.push({ fileName: name, mimeType: allowed, sizeBytes: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex'), data: f.data });
  }
  if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  return checked;
}
