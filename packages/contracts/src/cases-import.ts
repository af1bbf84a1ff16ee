import { z } from 'zod';
import { Uuid } from './common.js';
import { CaseQuery } from './cases.js';

export const CASE_IMPORT_MODES = ['partial', 'all_or_nothing'] as const;
export const CaseImportMode = z.enum(CASE_IMPORT_MODES).describe('partial: good rows go in, bad rows are reported; all_or_nothing: nothing goes in if any row is bad');
export type CaseImportMode = z.infer<typeof CaseImportMode>;

export const CaseImportProblem = z.object({
  line: z.number().int().describe('Line (CSV) or row (XLSX) number in the file, as the user sees it; 0 = the whole file'),
  field: z.string().describe('Template column at fault (English header, e.g. "detected_on", "subject1_id_number"); "" for the row as a whole'),
  column: z.string().optional().describe('The Vietnamese header of that template column (as the downloaded template writes it), when field names one'),
  reason: z.string().describe('Stable reason code: required, invalid_format, invalid_value, too_small, not_unique, ...'),
  message: z.string().describe('English explanation'),
  value: z.string().optional().describe('The cell at fault as written in the file (trimmed, cut at 200 characters), when the problem is about one cell'),
  limit: z.number().optional().describe('The bound broken, for too_small and too_big (0: must not be negative)'),
});
export type CaseImportProblem = z.infer<typeof CaseImportProblem>;

export const CaseImportReport = z.object({
  importId: Uuid,
  fileName: z.string(),
  mode: CaseImportMode,
  totalRows: z.number().int().describe('Non-empty rows below the header'),
  imported: z.number().int().describe('Cases created (0 in all_or_nothing mode when any row was rejected)'),
  duplicates: z.number().int().describe('Rows whose source reference the unit had already imported: skipped, not an error'),
  rejected: z.number().int().describe('Rows with at least one problem'),
  problems: z.array(CaseImportProblem),
  problemsTruncated: z.boolean().describe('More problems than listed (the first 10,000 are kept)'),
  ignoredColumns: z.array(z.string()).describe('Header cells that name no template column'),
  errorReportUrl: z.string().nullable().describe('CSV of every problem, for the importing user'),
});
export type CaseImportReport = z.infer<typeof CaseImportReport>;

export const FileFormat = z.enum(['csv', 'xlsx']);
export const CaseImportTemplateQuery = z.object({ format: FileFormat.default('xlsx') });

/** The search of GET /api/cases, without paging, and the file format. */
export const CaseExportQuery = CaseQuery.omit({ cursor: true, limit: true }).extend({
  format: FileFormat.default('csv'),
  locale: z.enum(['vi', 'en']).optional().describe('Language of the headers and of the values shown by name (status, type, province, units, goods, roles), as the web app asks; without it, codes and (CSV) the column keys, for scripts'),
});
export type CaseExportQuery = z.infer<typeof CaseExportQuery>;
