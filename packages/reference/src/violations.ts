/**
 * The three groups the 389 committees report under, and the violation types recorded on a case, each
 * in exactly one group. Codes are stored in cases; the group is derived from the type.
 */
export const REPORT_GROUP_CODES = ['smuggling', 'trade_fraud', 'counterfeit'] as const;
export type ReportGroupCode = (typeof REPORT_GROUP_CODES)[number];

export interface ReportGroup {
  readonly code: ReportGroupCode;
  readonly nameVi: string;
  readonly nameEn: string;
}

export const REPORT_GROUPS: readonly ReportGroup[] = Object.freeze([
  Object.freeze({
    code: 'smuggling',
    nameVi: 'Buôn lậu, vận chuyển trái phép hàng hóa qua biên giới, hàng cấm',
    nameEn: 'Smuggling, illegal cross-border transport and prohibited goods',
  }),
  Object.freeze({ code: 'trade_fraud', nameVi: 'Gian lận thương mại, gian lận thuế', nameEn: 'Trade and tax fraud' }),
  Object.freeze({
    code: 'counterfeit',
    nameVi: 'Hàng giả, hàng kém chất lượng, xâm phạm quyền sở hữu trí tuệ',
    nameEn: 'Counterfeit and substandard goods, intellectual property infringement',
  }),
] satisfies ReportGroup[]);

export const VIOLATION_TYPE_CODES = [
  'SMUGGLING',
  'ILLEGAL_TRANSPORT',
  'PROHIBITED_GOODS',
  'DRUGS',
  'TRADE_FRAUD',
  'TAX_FRAUD',
  'INVOICE_FRAUD',
  'COUNTERFEIT',
  'IP_INFRINGEMENT',
  'POOR_QUALITY',
  'OTHER',
] as const;
export type ViolationTypeCode = (typeof VIOLATION_TYPE_CODES)[number];

export interface ViolationType {
  readonly code: ViolationTypeCode;
  readonly group: ReportGroupCode;
  readonly nameVi: string;
  readonly nameEn: string;
}

function type(code: ViolationTypeCode, group: ReportGroupCode, nameVi: string, nameEn: string): ViolationType {
  return Object.freeze({ code, group, nameVi, nameEn });
}

export const VIOLATION_TYPES: readonly ViolationType[] = Object.freeze([
  type('SMUGGLING', 'smuggling', 'Buôn lậu', 'Smuggling'),
  type('ILLEGAL_TRANSPORT', 'smuggling', 'Vận chuyển trái phép hàng hóa, tiền tệ qua biên giới', 'Illegal cross-border transport of goods or currency'),
  type('PROHIBITED_GOODS', 'smuggling', 'Sản xuất, buôn bán, vận chuyển hàng cấm', 'Producing, trading or transporting prohibited goods'),
  // Drug cases are counted with prohibited goods in the 389 reports.
  type('DRUGS', 'smuggling', 'Ma túy', 'Drug offences'),
  type('TRADE_FRAUD', 'trade_fraud', 'Gian lận thương mại', 'Trade fraud'),
  type('TAX_FRAUD', 'trade_fraud', 'Gian lận thuế, trốn thuế', 'Tax fraud and evasion'),
  type('INVOICE_FRAUD', 'trade_fraud', 'Mua bán, sử dụng trái phép hóa đơn', 'Illegal trading or use of invoices'),
  type('COUNTERFEIT', 'counterfeit', 'Sản xuất, buôn bán hàng giả', 'Producing or trading counterfeit goods'),
  type('IP_INFRINGEMENT', 'counterfeit', 'Xâm phạm quyền sở hữu trí tuệ', 'Intellectual property infringement'),
  type('POOR_QUALITY', 'counterfeit', 'Hàng kém chất lượng', 'Substandard goods'),
  // Everything else (unclear origin, labelling, business-conditions breaches) reports as trade fraud.
  type('OTHER', 'trade_fraud', 'Vi phạm khác', 'Other violations'),
]);

const typeByCode = new Map<string, ViolationType>(VIOLATION_TYPES.map((v) => [v.code, v]));
const groupByCode = new Map<string, ReportGroup>(REPORT_GROUPS.map((g) => [g.code, g]));

export function isViolationTypeCode(code: string): code is ViolationTypeCode {
  return typeByCode.has(code);
}

export function findViolationType(code: string): ViolationType | undefined {
  return typeByCode.get(code);
}

export function findReportGroup(code: string): ReportGroup | undefined {
  return groupByCode.get(code);
}

/** The 389 report group of a violation type; throws on an unknown code. */
export function reportGroupOf(code: string): ReportGroupCode {
  const t = typeByCode.get(code);
  if (!t) throw new RangeError(`Unknown violation type "${code}" (known: ${VIOLATION_TYPE_CODES.join(', ')})`);
  return t.group;
}
