/**
 * Joint cases: does a case recorded by one force describe the same seizure as a case recorded by
 * another? Pure scoring of two cases' facts; the server blocks candidates (same 2025 province, dates
 * within the window, another source unit), scores them with this, and proposes a link at or above the
 * threshold. An officer confirms or rejects: the score only proposes.
 *
 * The rule, as data (JOINT_RULE):
 *  - gates (any failing gives score 0): different source units; same 2025 province; detection dates at
 *    most `maxDayGap` days apart. Secret cases are never scored (the server leaves them out).
 *  - evidence, added up and capped at 1:
 *      same day `sameDay` (0.2) or adjacent day `adjacentDay` (0.15);
 *      shared subject identifiers `sharedSubject` (0.5), plus `extraSharedSubject` (0.1) for two or more;
 *      goods: same category with the same HS heading `goodsHs` (0.35), else same category with similar
 *      descriptions `goodsDescription` (0.35), else the same category only `goodsCategory` (0.1).
 *  - proposed when score ≥ `threshold` (0.5). So a shared plate or phone a day apart is enough (0.65);
 *    same-category goods with the same HS heading a day apart are just enough (0.5); two seizures of
 *    the same category on the same day with nothing else in common are not (0.3).
 */
export interface JointCaseFacts {
  id: string;
  sourceUnitId: string;
  /** yyyy-MM-dd */
  detectedOn: string;
  /** 2025 province code */
  provinceCode: string;
  /** Normalised identifier keys ("PLATE:12C04567"), see resolve/identifiers. */
  subjectKeys: readonly string[];
  goods: readonly { category: string; hsCode?: string | null; description: string }[];
}

export type JointReasonField = 'sourceUnit' | 'provinceCode' | 'detectedOn' | 'subjects' | 'goods';

export interface JointReason {
  field: JointReasonField;
  agreed: boolean;
  /** English, for the audit trail and the API; never quotes identifiers or goods descriptions. */
  detail: string;
}

export interface JointScore {
  /** 0–1 */
  score: number;
  reasons: JointReason[];
}

export interface JointRule {
  maxDayGap: number;
  threshold: number;
  hsPrefixDigits: number;
  descriptionSimilarity: number;
  weights: { sameDay: number; adjacentDay: number; sharedSubject: number; extraSharedSubject: number; goodsHs: number; goodsDescription: number; goodsCategory: number };
}

export const JOINT_RULE: Readonly<JointRule> = {
  maxDayGap: 1,
  threshold: 0.5,
  /** HS digits that must agree: 4 = the heading (2402 cigars and cigarettes). */
  hsPrefixDigits: 4,
  /** Jaccard similarity of folded description words at which two goods lines describe the same goods. */
  descriptionSimilarity: 0.5,
  weights: {
    sameDay: 0.2,
    adjacentDay: 0.15,
    sharedSubject: 0.5,
    extraSharedSubject: 0.1,
    goodsHs: 0.35,
    goodsDescription: 0.35,
    goodsCategory: 0.1,
  },
};

const DAY_MS = 86_400_000;

export function dayGap(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

/** Lower-case ASCII words of a Vietnamese description ("Thuốc lá điếu" → thuoc, la, dieu). */
export function descriptionWords(s: string): Set<string> {
  const folded = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
  return new Set(folded.split(/[^a-z0-9]+/).filter((w) => w.length >= 2));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common += 1;
  return common / (a.size + b.size - common);
}

type GoodsMatch = 'hs' | 'description' | 'category' | 'none';

function goodsMatch(a: JointCaseFacts['goods'], b: JointCaseFacts['goods'], rule: JointRule): { kind: GoodsMatch; category?: string } {
  let best: { kind: GoodsMatch; category?: string } = { kind: 'none' };
  const rank: Record<GoodsMatch, number> = { hs: 3, description: 2, category: 1, none: 0 };
  for (const x of a) {
    for (const y of b) {
      if (x.category !== y.category) continue;
      const hsX = x.hsCode?.replace(/\D/g, '') ?? '';
      const hsY = y.hsCode?.replace(/\D/g, '') ?? '';
      const n = rule.hsPrefixDigits;
      let kind: GoodsMatch = 'category';
      if (hsX.length >= n && hsY.length >= n && hsX.slice(0, n) === hsY.slice(0, n)) kind = 'hs';
      else if (jaccard(descriptionWords(x.description), descriptionWords(y.description)) >= rule.descriptionSimilarity) kind = 'description';
      if (rank[kind] > rank[best.kind]) best = { kind, category: x.category };
    }
  }
  return best;
}

const kindsOf = (keys: string[]) => [...new Set(keys.map((k) => k.split(':')[0]))].join(', ');

/** Scores whether two cases record the same seizure; see the rule above. */
export function scoreJointPair(a: JointCaseFacts, b: JointCaseFacts, rule: JointRule = JOINT_RULE): JointScore {
  const reasons: JointReason[] = [];
  const differentUnits = a.sourceUnitId !== b.sourceUnitId;
  reasons.push({ field: 'sourceUnit', agreed: differentUnits, detail: differentUnits ? 'recorded by different units' : 'recorded by the same unit (not a joint case)' });
  const sameProvince = a.provinceCode === b.provinceCode;
  reasons.push({ field: 'provinceCode', agreed: sameProvince, detail: sameProvince ? `same province ${a.provinceCode}` : `provinces ${a.provinceCode} and ${b.provinceCode}` });
  const gap = dayGap(a.detectedOn, b.detectedOn);
  const closeInTime = gap <= rule.maxDayGap;
  reasons.push({ field: 'detectedOn', agreed: closeInTime, detail: gap === 0 ? 'detected the same day' : `detected ${gap} day${gap === 1 ? '' : 's'} apart` });

  let score = gap === 0 ? rule.weights.sameDay : closeInTime ? rule.weights.adjacentDay : 0;

  const theirs = new Set(b.subjectKeys);
  const shared = [...new Set(a.subjectKeys)].filter((k) => theirs.has(k));
  if (shared.length) {
    score += rule.weights.sharedSubject + (shared.length >= 2 ? rule.weights.extraSharedSubject : 0);
    reasons.push({ field: 'subjects', agreed: true, detail: `${shared.length} shared subject identifier${shared.length === 1 ? '' : 's'} (${kindsOf(shared)})` });
  } else {
    reasons.push({ field: 'subjects', agreed: false, detail: a.subjectKeys.length && b.subjectKeys.length ? 'no shared subject identifier' : 'one case names no identified subject' });
  }

  const goods = goodsMatch(a.goods, b.goods, rule);
  const goodsWeight = { hs: rule.weights.goodsHs, description: rule.weights.goodsDescription, category: rule.weights.goodsCategory, none: 0 }[goods.kind];
  score += goodsWeight;
  reasons.push({
    field: 'goods',
    agreed: goods.kind === 'hs' || goods.kind === 'description',
    detail: {
      hs: `same goods category ${goods.category} with the same ${rule.hsPrefixDigits}-digit HS heading`,
      description: `same goods category ${goods.category} with similar descriptions`,
      category: `same goods category ${goods.category} only (HS and descriptions differ)`,
      none: 'no goods category in common',
    }[goods.kind],
  });

  if (!differentUnits || !sameProvince || !closeInTime) return { score: 0, reasons };
  return { score: Math.round(Math.min(1, score) * 100) / 100, reasons };
}

export function isJointCandidate(result: JointScore, rule: JointRule = JOINT_RULE): boolean {
  return result.score >= rule.threshold;
}
