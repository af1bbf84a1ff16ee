import { z } from 'zod';
import { IsoDate } from './cases.js';
import { SituationCompliance } from './directives.js';

export const REPORT_FIGURES = [
  'cases', 'smuggling', 'tradeFraud', 'counterfeit', 'penalties', 'finesVnd', 'confiscatedVnd', 'collectedVnd', 'transferred', 'prosecutedCases', 'defendants',
] as const;
export const ReportFigureKey = z.enum(REPORT_FIGURES);
export type ReportFigureKey = z.infer<typeof ReportFigureKey>;

export const REPORT_GROUP_BY = ['force', 'unit', 'province', 'category', 'route', 'borderGate', 'reportGroup'] as const;
export const ReportGroupBy = z.enum(REPORT_GROUP_BY);

export const SituationQuery = z.object({
  from: IsoDate,
  to: IsoDate,
  compare: z.enum(['same-period', 'previous-period']).default('same-period'),
  groupBy: ReportGroupBy.optional(),
  province: z.string().regex(/^\d{2}$/).optional().describe('Narrow to one 2025 province (within the user\'s scope)'),
  force: z.string().regex(/^[A-Z_]+$/).optional().describe('Narrow to one force (within the user\'s scope)'),
  locale: z.enum(['vi', 'en']).default('vi').describe('Language of the narrative'),
});
export type SituationQuery = z.infer<typeof SituationQuery>;

export const FigureComparison = z.object({
  value: z.number(),
  compareValue: z.number(),
  ratio: z.number().nullable().describe('value / compareValue; null when the comparison period has none ("—")'),
  change: z.number(),
  suppressed: z
    .array(z.enum(['value', 'compareValue']))
    .optional()
    .describe('Numbers withheld by the small-cell rule (shown as "<k"): they read 0 here, ratio is null and change 0'),
});

export const PeriodView = z.object({
  from: z.string(),
  to: z.string(),
  name: z.string(),
  countedTo: z.string().optional().describe('When the period has not ended yet: the last day counted (today in Vietnam); the comparison period is then cut to the same days'),
});

/**
 * Public tips in the report (web form, e-mail, hotline). Received and acknowledged-in-time count the
 * tips received in the period (Vietnam calendar days); converted counts conversions to a case made in
 * the period. A tip counts in the report's province by its own province, in a force's report when it
 * is assigned to a unit of that force.
 */
export const TIP_REPORT_FIGURES = ['received', 'web', 'email', 'hotline', 'acknowledgedInTime', 'awaitingAcknowledgement', 'converted'] as const;
export const TipReportFigureKey = z.enum(TIP_REPORT_FIGURES);
export type TipReportFigureKey = z.infer<typeof TipReportFigureKey>;
export const TipReportFigures = z.object({
  figures: z.record(TipReportFigureKey, FigureComparison).describe(
    'received = web + email + hotline; acknowledgedInTime: of those, acknowledged by their deadline; awaitingAcknowledgement: not yet acknowledged and still within the deadline when the report was made; converted: made into a case in the period',
  ),
  acknowledgedInTimeShare: z.object({ value: z.number().nullable(), compareValue: z.number().nullable() })
    .describe('acknowledgedInTime / (received − awaitingAcknowledgement), 0–1; null when no tip\'s deadline has come'),
});
export type TipReportFigures = z.infer<typeof TipReportFigures>;

export const SituationReport = z.object({
  period: PeriodView,
  comparePeriod: PeriodView,
  compare: z.enum(['same-period', 'previous-period']),
  scope: z.object({ kind: z.enum(['nation', 'province', 'force']), province: z.string().nullable(), force: z.string().nullable(), name: z.string() }),
  figures: z.record(ReportFigureKey, FigureComparison),
  /** Which date each figure counts by: a penalty decided in the period counts, whenever the case was detected. */
  countedBy: z.record(ReportFigureKey, z.enum(['detected_on', 'penalty_decided_on', 'transferred_on', 'prosecuted_on'])),
  breakdown: z
    .object({
      by: ReportGroupBy,
      rows: z.array(z.object({ key: z.string(), label: z.string(), figures: z.record(ReportFigureKey, FigureComparison) })),
      note: z.string().nullable(),
    })
    .nullable(),
  trend: z.array(z.object({ month: z.string(), cases: z.number(), compareCases: z.number(), suppressed: z.array(z.enum(['cases', 'compareCases'])).optional() })),
  hotSpots: z.array(
    z.object({ dimension: z.enum(['province', 'category', 'route']), key: z.string(), label: z.string(), observed: z.number(), expected: z.number(), ratio: z.number(), pValue: z.number(), test: z.string() }),
  ),
  tips: TipReportFigures,
  narrative: z.string(),
  /** k of the small-cell rule: a figure resting on 1 … k−1 restricted or secret cases is withheld. */
  smallCellThreshold: z.number().int().optional(),
  directives: SituationCompliance.nullable().optional().describe('Directive tasks due in the period (on time, late, outstanding) and commendations, in scope'),
  generatedAt: z.string(),
});
export type SituationReport = z.infer<typeof SituationReport>;
