import type { ReportFigureKey, SituationCompliance, SituationQuery, SituationReport } from '@cordon/contracts';
import { compare, countedPeriods, DEFAULT_SMALL_CELL_THRESHOLD, describeCountedPeriod, describePeriod, findHotSpots, monthsOf, previousPeriod, samePeriodLastYear, situationNarrative, type Comparison } from '@cordon/engine';
import { FORCES, findGoodsCategory, findProvince, findTransportRoute, REPORT_GROUPS } from '@cordon/reference';
import type { Db } from '@cordon/db';
import { AppError, forbidden, invalidField } from '../../errors.js';
import { vietnamToday, type Clock } from '../../lib/clock.js';
import type { Principal } from '../auth/principal.js';
import { FIGURE_DEFINITIONS, FIGURE_KEYS, loadSituationFacts, type FactRow, type Period } from './reports.queries.js';
import { hiddenCells, type Hidden } from './reports.suppress.js';
import { tipFigures, tipNarrative } from './reports.tips.js';

/** Roles that read statistics. Auditors and tip triage do not need them. */
export const REPORT_READER_ROLES = ['admin', 'analyst', 'officer', 'provincial_coordinator', 'viewer', 'risk_analyst'] as const;

interface Scope {
  kind: 'nation' | 'province' | 'force';
  province: string | null;
  force: string | null;
}

/** The directives section (features/directives, directives.compliance.ts), when wired. */
type DirectivesSection = (scope: Scope, period: Period) => Promise<SituationCompliance>;

export function createReportsService({ db, clock, compliance, smallCellThreshold = DEFAULT_SMALL_CELL_THRESHOLD }: { db: Db; clock: Clock; compliance?: DirectivesSection; smallCellThreshold?: number }) {
  /**
   * Scope follows the user: the standing office (and admins, analysts, viewers there) see the nation;
   * a provincial committee its province; a unit of a force its force's figures.
   */
  async function scopeOf(p: Principal, q: Pick<SituationQuery, 'province' | 'force'>): Promise<Scope> {
    const unit = await db.kysely.selectFrom('org_units').select(['kind', 'province_code', 'force_code']).where('id', '=', p.unitId).executeTakeFirstOrThrow();
    let scope: Scope = { kind: 'nation', province: null, force: null };
    if (unit.kind === 'provincial_committee' && unit.province_code) scope = { kind: 'province', province: unit.province_code, force: null };
    else if (unit.force_code) scope = { kind: 'force', province: null, force: unit.force_code };
    if (q.province) {
      if (scope.province && scope.province !== q.province) throw forbidden('Your reports cover your own province only');
      if (!findProvince(q.province)) throw invalidField('province', 'invalid_value', 'is not one of the 34 provinces');
      scope = { ...scope, province: q.province, kind: scope.kind === 'nation' ? 'province' : scope.kind };
    }
    if (q.force) {
      if (scope.force && scope.force !== q.force) throw forbidden('Your reports cover your own force only');
      scope = { ...scope, force: q.force, kind: scope.kind === 'nation' ? 'force' : scope.kind };
    }
    return scope;
  }

  /** Zeroes what the small-cell rule withholds and says so; ratio and change need both numbers. */
  function toFigures(row: Record<string, unknown>, hidden: Hidden): Record<ReportFigureKey, Comparison & { suppressed?: ('value' | 'compareValue')[] }> {
    const out = {} as Record<ReportFigureKey, Comparison & { suppressed?: ('value' | 'compareValue')[] }>;
    for (const k of FIGURE_KEYS) {
      const [h0, h1] = [hidden[0][k], hidden[1][k]];
      const c = compare(h0 ? 0 : Number(row[`${k}__0`] ?? 0), h1 ? 0 : Number(row[`${k}__1`] ?? 0));
      out[k] = h0 || h1 ? { ...c, ratio: null, change: 0, suppressed: [...(h0 ? ['value' as const] : []), ...(h1 ? ['compareValue' as const] : [])] } : c;
    }
    return out;
  }

  async function labels(by: string, keys: string[], locale: 'vi' | 'en'): Promise<Map<string, string>> {
    const name = (o: { nameVi: string; nameEn: string } | undefined, k: string) => (o ? (locale === 'vi' ? o.nameVi : o.nameEn) : k || (locale === 'vi' ? '(không ghi)' : '(not recorded)'));
    if (by === 'unit') {
      const ids = keys.filter(Boolean);
      const rows = ids.length ? await db.kysely.selectFrom('org_units').select(['id', 'name_vi', 'name_en']).where('id', 'in', ids).execute() : [];
      const m = new Map(rows.map((r) => [r.id, locale === 'vi' ? r.name_vi : r.name_en]));
      return new Map(keys.map((k) => [k, m.get(k) ?? k]));
    }
    return new Map(
      keys.map((k) => {
        switch (by) {
          // Cases whose recording unit belongs to no force: the standing office and the provincial committees.
          case 'force': return [k, k ? name(FORCES.find((f) => f.code === k), k) : locale === 'vi' ? 'Ban Chỉ đạo 389 (không thuộc lực lượng)' : 'Steering Committee 389 (no force)'];
          case 'province': { const p = findProvince(k); return [k, p ? (locale === 'vi' ? p.name : p.nameEn) : k]; }
          case 'category': return [k, name(findGoodsCategory(k), k)];
          case 'route': return [k, name(findTransportRoute(k), k)];
          case 'reportGroup': return [k, name(REPORT_GROUPS.find((g) => g.code === k), k)];
          default: return [k, k || (locale === 'vi' ? '(không ghi)' : '(not recorded)')];
        }
      }),
    );
  }

  /**
   * Hot spots and the monthly trend, from the same facts as the figures (reports.queries.ts): counts by
   * detection date for the period, the same period one and two years earlier (the baseline) and the
   * comparison period. Counts are never withheld (see reports.suppress.ts).
   */
  async function detectedCounts(facts: FactRow[], period: Period, locale: 'vi' | 'en', trendCells: { period?: FactRow; compare?: FactRow }[]) {
    const spots: SituationReport['hotSpots'] = [];
    for (const dimension of ['province', 'category', 'route'] as const) {
      const list = facts.filter((r) => r.part === dimension && r.key);
      const found = findHotSpots(list.map((r) => ({ key: r.key!, observed: Number(r.cases__0), baseline: [Number(r.cases__2), Number(r.cases__3)] })));
      const names = await labels(dimension, found.map((x) => x.key), locale);
      for (const x of found.slice(0, 5)) spots.push({ dimension, ...x, label: names.get(x.key) ?? x.key });
    }
    const months = monthsOf(period);
    const trend: SituationReport['trend'] = trendCells.map((c, i) => ({ month: months[i]!, cases: Number(c.period?.cases__0 ?? 0), compareCases: Number(c.compare?.cases__1 ?? 0) }));
    return { hotSpots: spots.sort((x, y) => x.pValue - y.pValue).slice(0, 10), trend };
  }

  async function situation(p: Principal, q: SituationQuery, requestId?: string): Promise<SituationReport> {
    if (!p.roles.some((r) => (REPORT_READER_ROLES as readonly string[]).includes(r))) throw forbidden('Reports need a staff role');
    if (q.to < q.from) throw invalidField('to', 'invalid_value', 'the period ends before it starts');
    const asked: Period = { from: q.from, to: q.to };
    if (monthsOf(asked).length > 120) throw new AppError('INVALID_INPUT', 'A report covers at most ten years', [{ field: 'from', reason: 'invalid_value', message: 'at most ten years before "to"' }]);
    // A period not over yet ("năm 2026" in December) counts to today, against the same days of the
    // comparison period (engine countedPeriods); everything below counts `period`.
    const { counted: period, compare: comparePeriod, countedTo } = countedPeriods(asked, q.compare, vietnamToday(clock));
    const scope = await scopeOf(p, q);
    // One statement over the monthly and daily sums (reports.queries.ts): totals, breakdown, hot spots,
    // trend, and for the small-cell rule the restricted and secret cases this viewer may not open.
    const facts = await loadSituationFacts(db, [period, comparePeriod, samePeriodLastYear(period), samePeriodLastYear(samePeriodLastYear(period))], scope, q.groupBy, p);
    const totalRow = facts.find((r) => r.part === 'total');
    const bRows = facts.filter((r) => r.part === 'breakdown').map((r) => ({ ...r, key: r.key ?? '' }));
    const monthRows = new Map(facts.filter((r) => r.part === 'month').map((r) => [r.key!, r]));
    const cmpMonths = monthsOf(comparePeriod);
    const trendCells = monthsOf(period).map((m, i) => ({ period: monthRows.get(m), compare: cmpMonths[i] ? monthRows.get(cmpMonths[i]!) : undefined }));
    // The small-cell rule (reports.suppress.ts): amounts of the totals and of the breakdown rows.
    const cellRule = hiddenCells(totalRow, bRows, smallCellThreshold);
    const { hotSpots, trend } = await detectedCounts(facts, period, q.locale, trendCells);
    const figures = toFigures(totalRow ?? {}, cellRule.total);

    let breakdown: SituationReport['breakdown'] = null;
    if (q.groupBy) {
      const names = await labels(q.groupBy, bRows.map((r) => r.key), q.locale);
      breakdown = {
        by: q.groupBy,
        rows: bRows
          .map((r, j) => ({ key: r.key, label: names.get(r.key) ?? r.key, figures: toFigures(r, cellRule.rows[j]!) }))
          .filter((r) => FIGURE_KEYS.some((k) => r.figures[k].value || r.figures[k].compareValue || r.figures[k].suppressed))
          .sort((a, b) => b.figures.cases.value - a.figures.cases.value || a.label.localeCompare(b.label)),
        note: q.groupBy === 'category' ? (q.locale === 'vi' ? 'Vụ việc có nhiều nhóm hàng được tính ở mỗi nhóm; tổng các dòng có thể lớn hơn tổng số vụ.' : 'A case with several goods categories counts under each; rows can add up to more than the total.') : null,
      };
    }

    const directives = compliance ? await compliance(scope, period) : null;
    const tips = await tipFigures(db, scope, [period, comparePeriod], clock.now());

    const provinceName = scope.province ? (q.locale === 'vi' ? findProvince(scope.province)?.fullName : findProvince(scope.province)?.nameEn) : null;
    const forceName = scope.force ? (q.locale === 'vi' ? FORCES.find((f) => f.code === scope.force)?.nameVi : FORCES.find((f) => f.code === scope.force)?.nameEn) : null;
    const scopeName = scope.kind === 'nation' ? null : [provinceName, forceName].filter(Boolean).join(' — ');
    const periodName = describeCountedPeriod(asked, countedTo, q.locale);
    // The comparison named by its whole period and the day it is counted to ("năm 2025 (đến ngày 01/12/2025)").
    const comparePeriodName = countedTo ? describeCountedPeriod(q.compare === 'same-period' ? samePeriodLastYear(asked) : previousPeriod(asked), comparePeriod.to, q.locale) : describePeriod(comparePeriod, q.locale);
    const compareName = q.compare === 'same-period'
      ? (q.locale === 'vi' ? `cùng kỳ năm ${comparePeriod.from.slice(0, 4)}` : `the same period of ${comparePeriod.from.slice(0, 4)}`)
      : (q.locale === 'vi' ? `kỳ trước (${comparePeriodName})` : `the previous period (${comparePeriodName})`);
    const report: SituationReport = {
      // The period as asked (the web matches it with its query), with the last day counted when not over.
      period: { ...asked, name: periodName, ...(countedTo ? { countedTo } : {}) },
      comparePeriod: { ...comparePeriod, name: comparePeriodName },
      compare: q.compare,
      scope: { ...scope, name: scopeName || (q.locale === 'vi' ? 'Toàn quốc' : 'Nationwide') },
      figures,
      countedBy: Object.fromEntries(FIGURE_KEYS.map((k) => [k, FIGURE_DEFINITIONS[k].date])) as SituationReport['countedBy'],
      breakdown,
      trend,
      hotSpots,
      tips,
      narrative: [
        // The place is the province; a force is who acted ("Hải quan đã phát hiện …", not "trên địa bàn Hải quan").
        situationNarrative(figures, { periodName, comparePeriodName: compareName, scopeName: provinceName || null, forceName: forceName || null, withheld: WITHHELD_IN_NARRATIVE.filter((k) => figures[k].suppressed?.includes('value')) }, q.locale),
        tipNarrative(tips, compareName, q.locale),
      ].filter(Boolean).join(' '),
      directives,
      smallCellThreshold,
      generatedAt: clock.now().toISOString(),
    };
    // Viewing figures is not audited (aggregates reveal no case); exports are, where they are made.
    void requestId;
    return report;
  }

  return { situation, scopeOf };
}

export type ReportsService = ReturnType<typeof createReportsService>;

/** The amounts the small-cell rule may withhold; the narrative names them as withheld. */
const WITHHELD_IN_NARRATIVE = ['finesVnd', 'confiscatedVnd', 'collectedVnd', 'defendants'] as const;
