import { z } from 'zod';
import { Instant, Uuid } from './common.js';

/** Photos and documents on a case. Uploads are multipart (field name free, one or more files). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const ATTACHMENT_MAX_FILES = 10;
/** Types accepted, sniffed from the content (the name's extension must agree). */
export const ATTACHMENT_TYPES = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'text/plain': ['txt', 'csv'],
} as const satisfies Record<string, readonly string[]>;

export const AttachmentView = z.object({
  id: Uuid,
  caseId: Uuid,
  fileName: z.string(),
  mimeType: z.string().describe('Sniffed from the content'),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('Hex SHA-256 of the content'),
  uploadedBy: z.string().nullable().describe('Username'),
  createdAt: Instant,
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const AttachmentList = z.object({ items: z.array(AttachmentView) });

export const AttachmentParams = z.object({ id: Uuid, attachmentId: Uuid });
