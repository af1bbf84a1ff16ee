import type { Comparison } from './periods.js';

/**
 * The opening paragraph of a situation report, written from the figures in the committees' own
 * style: "Trong 10 tháng đầu năm 2020, các lực lượng chức năng đã phát hiện, xử lý 4.365 vụ …, bằng
 * 81,27% so với cùng kỳ năm 2019". Pure: the caller passes the figures and the period names.
 */
export interface NarrativeFigures {
  cases: Comparison;
  smuggling: Comparison;
  tradeFraud: Comparison;
  counterfeit: Comparison;
  penalties: Comparison;
  finesVnd: Comparison;
  confiscatedVnd: Comparison;
  collectedVnd: Comparison;
  prosecutedCases: Comparison;
  defendants: Comparison;
}

export interface NarrativeContext {
  periodName: string; // "10 tháng đầu năm 2020"
  comparePeriodName: string; // "cùng kỳ năm 2019" / "kỳ trước"
  scopeName: string | null; // "tỉnh Lạng Sơn", null for the nation (or a force's whole country)
  /** A force's report: the force is who detected the cases ("Hải quan đã phát hiện …"), not a place. */
  forceName?: string | null;
  /** Amounts withheld by the small-cell rule (suppress.ts): named as withheld, never quoted. */
  withheld?: readonly ('finesVnd' | 'confiscatedVnd' | 'collectedVnd' | 'defendants')[];
}

const WITHHELD = { vi: 'không công bố số cụ thể', en: 'not given exactly' } as const;

const number = (n: number, locale: 'vi' | 'en') => new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);

function percent(c: Comparison, locale: 'vi' | 'en'): string | null {
  if (c.ratio === null) return null;
  return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(c.ratio * 100) + '%';
}

/** Money in words the reports use: "gần 66,4 tỷ đồng" / "VND 66.4 billion". */
export function moneyPhrase(vnd: number, locale: 'vi' | 'en'): string {
  const units: [number, string, string][] = [
    [1e12, 'nghìn tỷ đồng', 'trillion'],
    [1e9, 'tỷ đồng', 'billion'],
    [1e6, 'triệu đồng', 'million'],
  ];
  for (const [size, vi, en] of units) {
    if (vnd >= size) {
      const v = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(Math.round((vnd / size) * 10) / 10);
      return locale === 'vi' ? `${v} ${vi}` : `VND ${v} ${en}`;
    }
  }
  return locale === 'vi' ? `${number(vnd, 'vi')} đồng` : `VND ${number(vnd, 'en')}`;
}

export function situationNarrative(f: NarrativeFigures, ctx: NarrativeContext, locale: 'vi' | 'en'): string {
  const hidden = (k: 'finesVnd' | 'confiscatedVnd' | 'collectedVnd' | 'defendants') => ctx.withheld?.includes(k) ?? false;
  const money = (k: 'finesVnd' | 'confiscatedVnd' | 'collectedVnd') => (hidden(k) ? WITHHELD[locale] : moneyPhrase(f[k].value, locale));
  const n = (x: number) => number(x, locale);
  const vs = (c: Comparison) => {
    const p = percent(c, locale);
    if (locale === 'vi') return p ? `bằng ${p} so với ${ctx.comparePeriodName}` : `${ctx.comparePeriodName} không có số liệu để so sánh`;
    return p ? `${p} of ${ctx.comparePeriodName}` : `nothing to compare with in ${ctx.comparePeriodName}`;
  };
  if (locale === 'vi') {
    const where = ctx.scopeName ? ` trên địa bàn ${ctx.scopeName}` : '';
    if (f.cases.value === 0 && f.penalties.value === 0) return `Trong ${ctx.periodName}${where}, ${ctx.forceName ? `${ctx.forceName} ` : ''}chưa ghi nhận vụ việc nào.`;
    return [
      `Trong ${ctx.periodName}${where}, ${ctx.forceName ?? 'các lực lượng chức năng'} đã phát hiện, xử lý ${n(f.cases.value)} vụ (${vs(f.cases)}),`,
      `trong đó buôn lậu, vận chuyển trái phép hàng hóa qua biên giới và hàng cấm ${n(f.smuggling.value)} vụ;`,
      `gian lận thương mại, gian lận thuế ${n(f.tradeFraud.value)} vụ; hàng giả, xâm phạm sở hữu trí tuệ ${n(f.counterfeit.value)} vụ.`,
      `Xử phạt vi phạm hành chính ${n(f.penalties.value)} vụ (${vs(f.penalties)}); phạt tiền ${money('finesVnd')};`,
      `hàng tịch thu trị giá ${money('confiscatedVnd')}; thu nộp ngân sách ${money('collectedVnd')}.`,
      hidden('defendants')
        ? `Khởi tố ${n(f.prosecutedCases.value)} vụ (${vs(f.prosecutedCases)}); số bị can ${WITHHELD.vi}.`
        : `Khởi tố ${n(f.prosecutedCases.value)} vụ với ${n(f.defendants.value)} bị can (${vs(f.prosecutedCases)}).`,
    ].join(' ');
  }
  const where = ctx.scopeName ? ` in ${ctx.scopeName}` : '';
  if (f.cases.value === 0 && f.penalties.value === 0) return `In ${ctx.periodName}${where}, ${ctx.forceName ? `${ctx.forceName} recorded no cases` : 'no cases were recorded'}.`;
  return [
    `In ${ctx.periodName}${where}, ${ctx.forceName ?? 'the forces'} detected and handled ${n(f.cases.value)} cases (${vs(f.cases)}):`,
    `${n(f.smuggling.value)} of smuggling, illegal cross-border transport and prohibited goods; ${n(f.tradeFraud.value)} of trade and tax fraud;`,
    `${n(f.counterfeit.value)} of counterfeit goods and IP infringement. Administrative penalties were imposed in ${n(f.penalties.value)} cases (${vs(f.penalties)}),`,
    `with fines ${hidden('finesVnd') ? `(${WITHHELD.en})` : `of ${money('finesVnd')}`}, confiscated goods ${hidden('confiscatedVnd') ? `(${WITHHELD.en})` : `worth ${money('confiscatedVnd')}`}`
      + ` and ${hidden('collectedVnd') ? `an amount (${WITHHELD.en})` : money('collectedVnd')} collected to the budget.`,
    hidden('defendants')
      ? `${n(f.prosecutedCases.value)} cases were prosecuted (${vs(f.prosecutedCases)}); the number of defendants is ${WITHHELD.en}.`
      : `${n(f.prosecutedCases.value)} cases with ${n(f.defendants.value)} defendants were prosecuted (${vs(f.prosecutedCases)}).`,
  ].join(' ');
}
