// Declaration risk (issue 6): column mappings, declaration import, inspection outcomes, models,
// selectivity rules, scoring and drift. Customs data: the server refuses every other force.
import { z } from 'zod';
import { Instant, Uuid, Version } from './common.js';
import { CaseImportMode, CaseImportProblem } from './cases-import.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date yyyy-MM-dd');
const Column = z.string().min(1).max(200);

export const RISK_CHANNELS = ['red', 'yellow', 'green'] as const;
export const RiskChannel = z.enum(RISK_CHANNELS);
export type RiskChannel = z.infer<typeof RiskChannel>;

/** The engine's column mapping (see docs/risk-engine.md); checked again by the engine on the server. */
export const RiskColumnMapping = z.object({
  id: Column,
  date: Column.nullable().default(null),
  label: Column.nullable().default(null),
  revenue: Column.nullable().default(null),
  office: Column.nullable().default(null),
  categorical: z.array(Column).max(200).default([]),
  numeric: z.array(Column).max(200).default([]),
  dateFormat: z.string().min(1).max(40).default('yyyy-MM-dd'),
}).strict();
export type RiskColumnMapping = z.infer<typeof RiskColumnMapping>;

export const CreateRiskMappingBody = z.object({ name: z.string().trim().min(1).max(100), mapping: RiskColumnMapping });
export const RiskMappingView = z.object({
  id: Uuid,
  name: z.string(),
  mapping: RiskColumnMapping,
  declarations: z.number().int(),
  outcomes: z.number().int(),
  activeModelId: Uuid.nullable(),
  createdAt: Instant,
  version: z.number().int().describe('Send it back to rename the mapping'),
});
export type RiskMappingView = z.infer<typeof RiskMappingView>;
/** Renaming only: the columns of a saved mapping never change (its models and stored declarations depend on them). */
export const RenameRiskMappingBody = z.object({ name: z.string().trim().min(1).max(100), version: Version });
export type RenameRiskMappingBody = z.infer<typeof RenameRiskMappingBody>;
export const RiskMappingList = z.object({ items: z.array(RiskMappingView) });

export const RiskImportReport = z.object({
  importId: Uuid,
  fileName: z.string(),
  mode: CaseImportMode,
  totalRows: z.number().int(),
  imported: z.number().int().describe('Declarations created (0 in all_or_nothing mode when any row was rejected)'),
  duplicates: z.number().int().describe('Rows whose declaration id was already imported under this mapping: skipped, not an error'),
  outcomes: z.number().int().describe('Outcomes recorded from the label column (new declarations, or known ones without an outcome yet)'),
  rejected: z.number().int(),
  problems: z.array(CaseImportProblem).describe('field = the file\'s column name'),
  problemsTruncated: z.boolean(),
  errorReportUrl: z.string().nullable(),
});
export type RiskImportReport = z.infer<typeof RiskImportReport>;

export const RiskOutcomeBody = z.object({
  found: z.boolean(),
  violationType: z.string().trim().max(100).nullable().default(null),
  revenueVnd: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('Revenue recovered, VND'),
  inspectedOn: Day.nullable().default(null),
  note: z.string().max(2000).nullable().default(null),
  version: Version.optional().describe('Send the outcome\'s version to correct an existing one'),
});
export const RiskOutcomeView = z.object({
  found: z.boolean(),
  violationType: z.string().nullable(),
  revenueVnd: z.number().int(),
  inspectedOn: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number().int(),
  recordedAt: Instant,
});
export type RiskOutcomeView = z.infer<typeof RiskOutcomeView>;

export const RiskBulkOutcomesBody = z.object({
  mappingId: Uuid,
  mode: CaseImportMode.default('partial'),
  outcomes: z.array(RiskOutcomeBody.omit({ version: true }).extend({ ref: z.string().trim().min(1).max(200) })).min(1).max(10_000),
});
export const RiskBulkOutcomesReport = z.object({
  recorded: z.number().int().describe('Outcomes written (new or replacing an earlier one)'),
  rejected: z.number().int(),
  problems: z.array(CaseImportProblem).describe('line = position in the list, from 1'),
});

export const RiskReasons = z.object({
  features: z.array(z.object({ column: z.string(), value: z.string(), contribution: z.number().describe('log-odds added to the score') })),
  rules: z.array(z.string()).describe('Active rules fired (codes)'),
  shadowRules: z.array(z.string()).describe('Shadow rules that would have fired: reported, changed nothing'),
  forcedBy: z.string().nullable().describe('The rule that set the channel, if one did'),
});
export type RiskReasons = z.infer<typeof RiskReasons>;

export const RISK_SELECTED_BY = ['rule', 'random', 'risk', 'default'] as const;
export const RiskScoreView = z.object({
  score: z.number().describe('Probability that inspection finds something (0..1), after rule weights'),
  channel: RiskChannel,
  selectedBy: z.enum(RISK_SELECTED_BY).describe('rule: forced by a rule; random: random audit share; risk: by score within the budget; default: not selected'),
  reasons: RiskReasons,
  modelId: Uuid,
  scoredAt: Instant,
});
export type RiskScoreView = z.infer<typeof RiskScoreView>;

export const RiskDeclarationQuery = z.object({
  mappingId: Uuid,
  channel: RiskChannel.optional(),
  scored: z.enum(['yes', 'no']).optional(),
  outcome: z.enum(['found', 'not_found', 'none']).optional(),
  ref: z.string().max(200).optional().describe('Declaration id starts with'),
  sort: z.enum(['recent', 'score']).default('recent'),
  cursor: z.string().regex(/^\d+$/).max(12).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const RiskDeclarationView = z.object({
  id: Uuid,
  mappingId: Uuid,
  ref: z.string(),
  declaredOn: z.string().nullable(),
  office: z.string(),
  fields: z.record(z.string(), z.string()),
  latestScore: RiskScoreView.nullable(),
  outcome: RiskOutcomeView.nullable(),
});
export type RiskDeclarationView = z.infer<typeof RiskDeclarationView>;
export const RiskDeclarationPage = z.object({ items: z.array(RiskDeclarationView), nextCursor: z.string().nullable(), total: z.number().int() });

export const RiskTrainBody = z.object({
  mappingId: Uuid,
  trainFrom: Day.optional(),
  trainTo: Day.optional(),
  validFrom: Day.optional().describe('Without a validation window, the last fifth of the days with outcomes is used'),
  validTo: Day.optional(),
  params: z.object({
    numRounds: z.number().int().min(1).max(5000).optional(),
    maxLeaves: z.number().int().min(2).max(1024).optional(),
    learningRate: z.number().min(1e-4).max(1).optional(),
    minDataInLeaf: z.number().int().min(1).max(100_000).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    pairs: z.union([z.literal('auto'), z.array(z.tuple([Column, Column])).max(200)]).optional().describe('Derived categorical pairs: "auto" (default) or [[column, column], …] of the mapping\'s categorical columns; [] = none'),
    pairColumns: z.number().int().min(0).max(100).optional().describe('With pairs "auto": how many columns to pair (default 5)'),
    ratios: z.union([z.literal('auto'), z.array(z.tuple([Column, Column])).max(200)]).optional().describe('Ratios of numeric columns: "auto" (default) or [[numerator, divisor], …]; [] = none'),
  }).strict().default({}),
});
export type RiskTrainBody = z.infer<typeof RiskTrainBody>;
export const RISK_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const RiskTrainJobView = z.object({
  id: Uuid,
  mappingId: Uuid,
  status: z.enum(RISK_JOB_STATUSES),
  modelId: Uuid.nullable(),
  error: z.string().nullable(),
  createdAt: Instant,
  startedAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
});
export type RiskTrainJobView = z.infer<typeof RiskTrainJobView>;

const AtRate = z.object({ percent: z.number(), k: z.number(), found: z.number(), precision: z.number().nullable(), recall: z.number().nullable(), revenue: z.number().nullable().optional() });
export const RiskMetrics = z.object({ n: z.number(), positives: z.number(), baseRate: z.number().nullable(), auc: z.number().nullable(), at: z.array(AtRate) });
export const RISK_MODEL_STATUSES = ['candidate', 'active', 'retired'] as const;
export const RiskModelView = z.object({
  id: Uuid,
  mappingId: Uuid,
  seq: z.number().int().describe('Version number within the mapping: 1, 2, 3 …'),
  status: z.enum(RISK_MODEL_STATUSES),
  trainFrom: z.string().nullable(),
  trainTo: z.string().nullable(),
  trainRows: z.number().int(),
  trainPositives: z.number().int(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  validRows: z.number().int(),
  validPositives: z.number().int(),
  trees: z.number().int(),
  params: z.record(z.string(), z.unknown()),
  metrics: RiskMetrics.nullable().describe('Validation figures at 1/2/5/10 % inspection rates'),
  trainedBy: z.string().nullable(),
  promotedBy: z.string().nullable(),
  promotedAt: Instant.nullable(),
  retiredAt: Instant.nullable(),
  version: Version,
  createdAt: Instant,
});
export type RiskModelView = z.infer<typeof RiskModelView>;
export const RiskModelList = z.object({ items: z.array(RiskModelView), jobs: z.array(RiskTrainJobView) });
export const RiskModelActionBody = z.object({ version: Version });

export const RiskCondition = z.union([
  z.object({ column: Column, op: z.enum(['eq', 'ne', 'prefix']), value: z.string().max(200) }).strict(),
  z.object({ column: Column, op: z.enum(['in', 'notIn']), value: z.array(z.string().max(200)).min(1).max(1000) }).strict(),
  z.object({ column: Column, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }).strict(),
]);
export type RiskCondition = z.infer<typeof RiskCondition>;
export const RISK_RULE_MODES = ['active', 'shadow', 'retired'] as const;
const RuleFields = {
  code: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,60}$/, 'letters, digits, _ . - (at most 60)'),
  description: z.string().max(1000).default(''),
  conditions: z.array(RiskCondition).min(1).max(20),
  channel: RiskChannel.nullable().default(null).describe('Force this channel … '),
  weight: z.number().min(-20).max(20).nullable().default(null).describe('… or add this many log-odds to the score (exactly one of channel and weight)'),
  mode: z.enum(RISK_RULE_MODES).default('shadow'),
  validFrom: Day.nullable().default(null),
  validTo: Day.nullable().default(null),
};
export const CreateRiskRuleBody = z.object({ mappingId: Uuid, ...RuleFields });
export type CreateRiskRuleBody = z.infer<typeof CreateRiskRuleBody>;
export const UpdateRiskRuleBody = z.object({
  version: Version,
  description: RuleFields.description.optional(),
  conditions: RuleFields.conditions.optional(),
  channel: RiskChannel.nullable().optional(),
  weight: z.number().min(-20).max(20).nullable().optional(),
  mode: z.enum(RISK_RULE_MODES).optional(),
  validFrom: Day.nullable().optional(),
  validTo: Day.nullable().optional(),
});
export type UpdateRiskRuleBody = z.infer<typeof UpdateRiskRuleBody>;
/** A draft rule's conditions tried on the declarations already stored: what it would have selected, before saving or activating it. */
export const RiskRuleBacktestBody = z.object({
  mappingId: Uuid,
  conditions: RuleFields.conditions,
  validFrom: Day.nullable().optional(),
  validTo: Day.nullable().optional(),
});
export type RiskRuleBacktestBody = z.infer<typeof RiskRuleBacktestBody>;
export const RiskRuleBacktest = z.object({
  considered: z.number().int().describe('Declarations tried: the latest RISK_BACKTEST_MAX of the mapping the user may read'),
  from: z.string().nullable().describe('Declaration date of the oldest one tried'),
  to: z.string().nullable(),
  matched: z.number().int().describe('… that the conditions (and validity dates) select'),
  inspected: z.number().int().describe('… of which have an outcome'),
  found: z.number().int(),
  hitRate: z.number().nullable().describe('found / inspected'),
  baseHitRate: z.number().nullable().describe('found / inspected over every declaration tried: what the rule must beat'),
});
export type RiskRuleBacktest = z.infer<typeof RiskRuleBacktest>;
export const RiskRuleView = z.object({
  id: Uuid,
  mappingId: Uuid,
  code: z.string(),
  description: z.string(),
  conditions: z.array(RiskCondition),
  channel: RiskChannel.nullable(),
  weight: z.number().nullable(),
  mode: z.enum(RISK_RULE_MODES),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  version: Version,
  updatedAt: Instant,
  stats: z.object({
    fired: z.number().int().describe('Scored declarations it fired on (active or shadow), latest score of each'),
    inspected: z.number().int().describe('… of which have an outcome'),
    found: z.number().int(),
    hitRate: z.number().nullable().describe('found / inspected'),
  }),
});
export type RiskRuleView = z.infer<typeof RiskRuleView>;
export const RiskRuleList = z.object({ items: z.array(RiskRuleView) });

const Cell = z.union([z.string().max(1000), z.number(), z.null()]);
export const RiskScoreBody = z.object({
  mappingId: Uuid,
  rows: z.array(z.record(z.string(), Cell)).min(1).max(5000).optional().describe('Declarations as { column: value } under the mapping\'s column names; stored (by id) with their score'),
  refs: z.array(z.string().min(1).max(200)).min(1).max(5000).optional().describe('… or ids of declarations already imported'),
  pending: z.boolean().optional().describe('… or every imported declaration not scored yet (at most 50,000)'),
  allocate: z.enum(['batch', 'office-day', 'threshold']).default('batch').describe('batch: budgets over the whole request; office-day: per office and day; threshold: each declaration against the model\'s cut-offs (for one-by-one scoring; budgets hold on average)'),
  redShare: z.number().min(0).max(0.05).default(0.05).describe('Red budget, share of the batch (at most 5%)'),
  yellowShare: z.number().min(0).max(0.5).default(0.1),
  randomShare: z.number().min(0).max(0.05).default(0.005).describe('Uniformly random share of red (audit and unbiased learning)'),
  reasons: z.number().int().min(0).max(10).default(3),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
});
export type RiskScoreBody = z.infer<typeof RiskScoreBody>;
export const RiskScoreResult = z.object({
  ref: z.string(),
  declarationId: Uuid,
  score: z.number(),
  channel: RiskChannel,
  selectedBy: z.enum(RISK_SELECTED_BY),
  reasons: RiskReasons,
});
export const RiskScoreResponse = z.object({
  modelId: Uuid,
  modelSeq: z.number().int(),
  batches: z.number().int(),
  counts: z.object({ red: z.number().int(), yellow: z.number().int(), green: z.number().int(), random: z.number().int() }),
  overBudget: z.object({ red: z.number().int(), yellow: z.number().int() }).describe('Declarations rules forced beyond a budget'),
  results: z.array(RiskScoreResult),
});
export type RiskScoreResponse = z.infer<typeof RiskScoreResponse>;

export const RiskDriftQuery = z.object({ mappingId: Uuid, days: z.coerce.number().int().min(1).max(366).default(30) });
export const RiskDriftView = z.object({
  modelId: Uuid.nullable(),
  modelSeq: z.number().int().nullable(),
  days: z.number().int(),
  reference: z.object({ n: z.number().int(), mean: z.number(), shares: z.array(z.number()), redCut: z.number(), yellowCut: z.number() }).nullable(),
  recent: z.object({
    n: z.number().int(),
    mean: z.number().nullable(),
    shares: z.array(z.number()),
    psi: z.number().nullable().describe('Population stability index: < 0.1 stable, 0.1–0.25 moving, > 0.25 shifted'),
    aboveRedCut: z.number().nullable().describe('Share at or above the training-time red cut-off (5% then)'),
    redRate: z.number().nullable(),
    yellowRate: z.number().nullable(),
    randomRate: z.number().nullable(),
  }),
  channels: z.array(z.object({ channel: RiskChannel, selectedBy: z.enum(RISK_SELECTED_BY), scored: z.number().int(), inspected: z.number().int(), found: z.number().int() })).describe('Hit rates in the window, per channel and how it was chosen (random = the audit share)'),
});
export type RiskDriftView = z.infer<typeof RiskDriftView>;

export const RISK_HIT_DIMENSIONS = ['channel', 'selection', 'rule', 'office'] as const;
export const RiskHitRatesQuery = z.object({
  mappingId: Uuid,
  period: z.enum(['week', 'month']).default('week'),
  periods: z.coerce.number().int().min(1).max(104).default(8).describe('How many periods, ending with the current one'),
});
const HitCount = {
  scored: z.number().int().describe('Declarations whose latest score is in this cell'),
  inspected: z.number().int().describe('… of which have an outcome'),
  found: z.number().int().describe('… of which the inspection found something'),
};
export const RiskHitRatesView = z.object({
  period: z.enum(['week', 'month']),
  periods: z.array(z.string()).describe('First day (yyyy-MM-dd) of each period, oldest first; a declaration counts in the period of its declaration date'),
  series: z.array(z.object({
    by: z.enum(RISK_HIT_DIMENSIONS).describe('channel; selection (rule, random = the random audit share, risk, default); rule (active or shadow, by code); office'),
    key: z.string(),
    points: z.array(z.object({ period: z.string(), ...HitCount })).describe('Periods with scored declarations only'),
    total: z.object(HitCount),
  })),
});
export type RiskHitRatesView = z.infer<typeof RiskHitRatesView>;

// Per-office scoping inside Customs: each office code of a mapping's data assigned to a Customs unit.
export const RiskOfficeQuery = z.object({ mappingId: Uuid });
export const RiskOfficeView = z.object({
  office: z.string().describe('The office column\'s value ("" = declarations without an office)'),
  declarations: z.number().int().describe('Declarations of this office under the mapping'),
  unit: z.object({ id: Uuid, code: z.string(), nameVi: z.string(), nameEn: z.string() }).nullable().describe('The Customs unit the office is assigned to; null = root-level users only'),
  updatedAt: Instant.nullable(),
});
export type RiskOfficeView = z.infer<typeof RiskOfficeView>;
export const RiskOfficeList = z.object({
  seesAll: z.boolean().describe('The caller is at the Customs root: sees every office, assigned or not'),
  canAssign: z.boolean().describe('The caller may change assignments (risk analyst or admin; below the root only within their own units)'),
  items: z.array(RiskOfficeView).describe('Offices the caller can see, most declarations first'),
});
export type RiskOfficeList = z.infer<typeof RiskOfficeList>;
export const RiskOfficeAssignBody = z.object({
  mappingId: Uuid,
  assignments: z.array(z.object({
    office: z.string().trim().min(1).max(200),
    unitId: Uuid.nullable().describe('A Customs unit; null removes the assignment (root-level users only then)'),
  })).min(1).max(2000),
});
export type RiskOfficeAssignBody = z.infer<typeof RiskOfficeAssignBody>;
export const RiskOfficeImportBody = z.object({
  mappingId: Uuid,
  csv: z.string().max(1_000_000).describe('The CSV file\'s text: one line per office, "office code,unit code" (`,` `;` or tab); a first line naming the columns is skipped; an empty unit code removes the assignment'),
  mode: CaseImportMode.default('all_or_nothing'),
});
export type RiskOfficeImportBody = z.infer<typeof RiskOfficeImportBody>;
export const RiskOfficeImportReport = z.object({
  mode: CaseImportMode,
  lines: z.number().int().describe('Assignment lines read (the header and blank lines not counted)'),
  applied: z.number().int().describe('Lines written (0 in all_or_nothing mode when any line was rejected)'),
  changed: z.number().int().describe('Offices whose unit changed'),
  problems: z.array(CaseImportProblem).describe('field = office or unit (or "" for the line)'),
  offices: RiskOfficeList,
});
export type RiskOfficeImportReport = z.infer<typeof RiskOfficeImportReport>;
