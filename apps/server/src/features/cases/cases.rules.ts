import type { CreateCaseBody, FieldIssue, GoodsLineInput, SubjectInput } from '@cordon/contracts';
import { subjectKeys } from '@cordon/engine';
import {
  findFormerProvince, findGoodsCategory, findProvince, findTransportRoute, findViolationType, foldVietnamese, provinceFor2025,
} from '@cordon/reference';

/** The day the 63 provinces became 34 (Resolution 202/2025/QH15). */
export const PROVINCE_MERGER_DATE = '2025-07-01';

/**
 * Checks a case's reference codes against the built-in lists; returns every problem with its field,
 * so a form (or an import row) can show them all at once.
 */
export function checkCaseCodes(c: Partial<Pick<CreateCaseBody, 'violationType' | 'route' | 'provinceCode' | 'detectedOn' | 'goods'>>, prefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field: prefix + field, reason: 'invalid_value', message });
  if (c.violationType !== undefined && !findViolationType(c.violationType)) bad('violationType', 'is not a known violation type');
  if (c.route && !findTransportRoute(c.route)) bad('route', 'is not a known route');
  if (c.provinceCode !== undefined && c.detectedOn !== undefined && !provinceAsRecorded(c.provinceCode, c.detectedOn)) {
    bad('provinceCode', c.detectedOn < PROVINCE_MERGER_DATE ? 'is neither a pre-2025 nor a 2025 province code' : 'is not one of the 34 provinces (2025 GSO code)');
  }
  c.goods?.forEach((g, i) => {
    if (!findGoodsCategory(g.category)) bad(`goods.${i}.category`, 'is not a known goods category');
  });
  return issues;
}

/**
 * A province code as recorded → the 2025 province it counts under. Before the merger a case may carry a
 * pre-2025 code (it is kept as recorded); from 1 July 2025 only the 34 codes are valid.
 */
export function provinceAsRecorded(code: string, detectedOn: string): string | undefined {
  if (detectedOn < PROVINCE_MERGER_DATE) {
    if (findFormerProvince(code)) return provinceFor2025(code)?.code;
    return findProvince(code)?.code;
  }
  return findProvince(code)?.code;
}

export function reportGroupOf(violationType: string): string {
  return findViolationType(violationType)!.group;
}

export function goodsFacts(goods: GoodsLineInput[]) {
  return {
    goods_value_vnd: goods.reduce((sum, g) => sum + (g.valueVnd ?? 0), 0),
    goods_categories: [...new Set(goods.map((g) => g.category))].sort(),
    hs_codes: [...new Set(goods.flatMap((g) => (g.hsCode ? [g.hsCode] : [])))].sort(),
  };
}

export function allSubjectKeys(subjects: SubjectInput[]): string[] {
  return [...new Set(subjects.flatMap((s) => subjectKeys(s)))].sort();
}

/** Everything a free-text search should find, folded once at write time. */
export function caseSearchText(c: { code: string; title: string; summary?: string | null; place?: string | null; borderGate?: string | null; sourceRef?: string | null }, goods: GoodsLineInput[], subjects: SubjectInput[]): string {
  return foldVietnamese(
    [
      c.code, c.title, c.summary, c.place, c.borderGate, c.sourceRef,
      ...goods.flatMap((g) => [g.description, g.brand, g.hsCode]),
      ...subjects.flatMap((s) => [s.name, s.idNumber, s.taxCode, s.plate, s.phone, s.imo, s.address]),
    ]
      .filter(Boolean)
      .join(' '),
  );
}
