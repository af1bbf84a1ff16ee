/**
 * Member forces of the National Steering Committee 389 (and of each provincial committee), with the
 * ministry each answers to. Codes are stable: they are stored in `org_units.force_code` and in cases.
 */
export interface Force {
  readonly code: ForceCode;
  readonly nameVi: string;
  readonly nameEn: string;
  /** Short form used in reports and tables. */
  readonly abbreviation: string;
  /** Ministry the force answers to; null for the catch-all. */
  readonly ministryVi: string | null;
  readonly ministryEn: string | null;
}

export const FORCE_CODES = [
  'CUSTOMS',
  'BORDER_GUARD',
  'POLICE',
  'MARKET_SURVEILLANCE',
  'COAST_GUARD',
  'TAX',
  'FOREST_RANGERS',
  'QUARANTINE',
  'OTHER',
] as const;
export type ForceCode = (typeof FORCE_CODES)[number];

const MOF = ['Bộ Tài chính', 'Ministry of Finance'] as const;
const MOD = ['Bộ Quốc phòng', 'Ministry of National Defence'] as const;
const MPS = ['Bộ Công an', 'Ministry of Public Security'] as const;
const MOIT = ['Bộ Công Thương', 'Ministry of Industry and Trade'] as const;
const MAE = ['Bộ Nông nghiệp và Môi trường', 'Ministry of Agriculture and Environment'] as const;

function force(code: ForceCode, nameVi: string, nameEn: string, abbreviation: string, ministry: readonly [string, string] | null): Force {
  return Object.freeze({ code, nameVi, nameEn, abbreviation, ministryVi: ministry?.[0] ?? null, ministryEn: ministry?.[1] ?? null });
}

export const FORCES: readonly Force[] = Object.freeze([
  force('CUSTOMS', 'Hải quan', 'Customs', 'HQ', MOF),
  force('BORDER_GUARD', 'Bộ đội Biên phòng', 'Border Guard', 'BĐBP', MOD),
  force('POLICE', 'Công an', 'Police', 'CA', MPS),
  force('MARKET_SURVEILLANCE', 'Quản lý thị trường', 'Market Surveillance', 'QLTT', MOIT),
  force('COAST_GUARD', 'Cảnh sát biển', 'Coast Guard', 'CSB', MOD),
  force('TAX', 'Thuế', 'Tax', 'T', MOF),
  // Wildlife and timber cases: the forest rangers hold jurisdiction over forest products.
  force('FOREST_RANGERS', 'Kiểm lâm', 'Forest Rangers', 'KL', MAE),
  // Animal and plant quarantine at border gates: livestock, poultry and plant products.
  force('QUARANTINE', 'Kiểm dịch động vật, thực vật', 'Animal and Plant Quarantine', 'KD', MAE),
  force('OTHER', 'Lực lượng khác', 'Other forces', 'Khác', null),
]);

const byCode = new Map<string, Force>(FORCES.map((f) => [f.code, f]));

export function isForceCode(code: string): code is ForceCode {
  return byCode.has(code);
}

export function findForce(code: string): Force | undefined {
  return byCode.get(code);
}

export function getForce(code: string): Force {
  const f = byCode.get(code);
  if (!f) throw new RangeError(`Unknown force code "${code}" (known: ${FORCE_CODES.join(', ')})`);
  return f;
}
