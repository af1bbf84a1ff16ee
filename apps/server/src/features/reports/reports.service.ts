import type { ReportFigureKey, SituationQuery, SituationReport } from '@cordon/contracts';
import { compare, describePeriod, findHotSpots, monthsOf, previousPeriod, samePeriodLastYear, situationNarrative, type Comparison } from '@cordon/engine';
import { FORCES, findGoodsCategory, findProvince, findTransportRoute, REPORT_GROUPS } from '@cordon/reference';
import { sql, type Db, type RawBuilder } from '@cordon/db';
import { AppError, forbidden, invalidField } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Principal } from '../auth/principal.js';
import { anyDateIn, FIGURE_DEFINITIONS, FIGURE_KEYS, figureColumns, groupKey, type Period } from './reports.queries.js';

/** Roles that read statistics. Auditors and tip triage do not need them. */
export const REPORT_READER_ROLES = ['admin', 'analyst', 'officer', 'provincial_coordinator', 'viewer', 'risk_analyst'] as const;

interface Scope {
  kind: 'nation' | 'province' | 'force';
  province: string | null;
  force: string | null;
}

export function createReportsService({ db, clock }: { db: Db; clock: Clock }) {
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

  function scopeWhere(s: Scope): RawBuilder<boolean> {
    return sql<boolean>`counts_in_statistics${s.province ? sql` AND province_code = ${s.province}` : sql``}${s.force ? sql` AND force_code = ${s.force}` : sql``}`;
  }

  function toFigures(row: Record<string, unknown>): Record<ReportFigureKey, Comparison> {
    const out = {} as Record<ReportFigureKey, Comparison>;
    for (const k of FIGURE_KEYS) out[k] = compare(Number(row[`${k}__0`] ?? 0), Number(row[`${k}__1`] ?? 0));
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
          case 'force': return [k, name(FORCES.find((f) => f.code === k), k)];
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
   * Hot spots and the monthly trend from two scans of the covering stats index: one with GROUPING SETS
   * (province, route, month) and one over goods categories (unnested). Counts by detection date for
   * the period, the same period one and two years earlier (the baseline) and the comparison period.
   */
  async function detectedCounts(s: Scope, period: Period, comparePeriod: Period, locale: 'vi' | 'en') {
    const history = [samePeriodLastYear(period), samePeriodLastYear(samePeriodLastYear(period))];
    const windows = [period, ...history, comparePeriod];
    const lo = windows.map((w) => w.from).sort()[0]!;
    const hi = windows.map((w) => w.to).sort().at(-1)!;
    const cols = windows.map((w, i) => sql`count(*) FILTER (WHERE detected_on BETWEEN ${w.from}::date AND ${w.to}::date)::int AS ${sql.ref(`n${i}`)}`);
    type Row = { province: string | null; route: string | null; month: string | null; g: number; n0: number; n1: number; n2: number; n3: number };
    const { rows } = await sql<Row>`SELECT province_code AS province, route, to_char(detected_on, 'YYYY-MM') AS month,
        grouping(province_code, route, to_char(detected_on, 'YYYY-MM')) AS g, ${sql.join(cols)}
      FROM cases WHERE ${scopeWhere(s)} AND detected_on BETWEEN ${lo}::date AND ${hi}::date
      GROUP BY GROUPING SETS ((province_code), (route), (to_char(detected_on, 'YYYY-MM')))`.execute(db.kysely);
    const cat = groupKey('category');
    const { rows: catRows } = await sql<{ key: string; n0: number; n1: number; n2: number }>`SELECT ${cat.select} AS key, ${sql.join(cols.slice(0, 3))}
      FROM ${cat.from} WHERE ${scopeWhere(s)} AND detected_on BETWEEN ${history[1]!.from}::date AND ${period.to}::date GROUP BY 1`.execute(db.kysely);

    // grouping() bits: province is the highest (4), route 2, month 1; a set's own column is 0.
    const provinceRows = rows.filter((r) => r.g === 3);
    const routeRows = rows.filter((r) => r.g === 5);
    const monthRows = new Map(rows.filter((r) => r.g === 6).map((r) => [r.month!, r]));

    const spots: SituationReport['hotSpots'] = [];
    const dims: [ 'province' | 'category' | 'route', { key: string | null; n0: number; n1: number; n2: number }[]][] = [
      ['province', provinceRows.map((r) => ({ ...r, key: r.province }))],
      ['category', catRows],
      ['route', routeRows.map((r) => ({ ...r, key: r.route }))],
    ];
    for (const [dimension, list] of dims) {
      const found = findHotSpots(list.filter((r) => r.key).map((r) => ({ key: r.key!, observed: r.n0, baseline: [r.n1, r.n2] })));
      const names = await labels(dimension, found.map((x) => x.key), locale);
      for (const x of found.slice(0, 5)) spots.push({ dimension, ...x, label: names.get(x.key) ?? x.key });
    }
    const months = monthsOf(period);
    const cmpMonths = monthsOf(comparePeriod);
    const trend = months.map((m, i) => ({ month: m, cases: monthRows.get(m)?.n0 ?? 0, compareCases: cmpMonths[i] ? monthRows.get(cmpMonths[i]!)?.n3 ?? 0 : 0 }));
    return { hotSpots: spots.sort((x, y) => x.pValue - y.pValue).slice(0, 10), trend };
  }

  async function situation(p: Principal, q: SituationQuery, requestId?: string): Promise<SituationReport> {
    if (!p.roles.some((r) => (REPORT_READER_ROLES as readonly string[]).includes(r))) throw forbidden('Reports need a staff role');
    if (q.to < q.from) throw invalidField('to', 'invalid_value', 'the period ends before it starts');
    const period: Period = { from: q.from, to: q.to };
    const comparePeriod = q.compare === 'same-period' ? samePeriodLastYear(period) : previousPeriod(period);
    if (monthsOf(period).length > 120) throw new AppError('INVALID_INPUT', 'A report covers at most ten years', [{ field: 'from', reason: 'invalid_value', message: 'at most ten years before "to"' }]);
    const scope = await scopeOf(p, q);
    const periods = [period, comparePeriod];

    // Totals and the breakdown in one scan (GROUP BY ROLLUP: the row with a null key is the total),
    // except goods categories, whose unnest would count a case once per category in the total.
    const rollup = q.groupBy && q.groupBy !== 'category';
    const g = q.groupBy ? groupKey(q.groupBy) : null;
    const main = await sql<Record<string, unknown> & { key: string | null; total: boolean }>`SELECT ${rollup && g ? sql`${g.select}` : sql`NULL::text`} AS key,
        ${rollup && g ? sql`grouping(${g.select}) = 1` : sql`true`} AS total, ${sql.join(figureColumns(periods))}
      FROM cases WHERE ${scopeWhere(scope)} AND ${anyDateIn(periods)}
      ${rollup && g ? sql`GROUP BY ROLLUP (${g.select})` : sql``}`.execute(db.kysely);
    const figures = toFigures(main.rows.find((r) => r.total) ?? {});

    let breakdown: SituationReport['breakdown'] = null;
    if (q.groupBy && g) {
      const rows = rollup
        ? main.rows.filter((r) => !r.total).map((r) => ({ ...r, key: r.key ?? '' }))
        : (await sql<Record<string, unknown> & { key: string }>`SELECT ${g.select} AS key, ${sql.join(figureColumns(periods))} FROM ${g.from}
            WHERE ${scopeWhere(scope)} AND ${anyDateIn(periods)} GROUP BY 1`.execute(db.kysely)).rows;
      const names = await labels(q.groupBy, rows.map((r) => r.key), q.locale);
      breakdown = {
        by: q.groupBy,
        rows: rows
          .map((r) => ({ key: r.key, label: names.get(r.key) ?? r.key, figures: toFigures(r) }))
          .filter((r) => FIGURE_KEYS.some((k) => r.figures[k].value || r.figures[k].compareValue))
          .sort((a, b) => b.figures.cases.value - a.figures.cases.value || a.label.localeCompare(b.label)),
        note: q.groupBy === 'category' ? (q.locale === 'vi' ? 'Vụ việc có nhiều nhóm hàng được tính ở mỗi nhóm; tổng các dòng có thể lớn hơn tổng số vụ.' : 'A case with several goods categories counts under each; rows can add up to more than the total.') : null,
      };
    }

    const { hotSpots, trend } = await detectedCounts(scope, period, comparePeriod, q.locale);

    const scopeName = scope.kind === 'nation' ? null : [scope.province ? (q.locale === 'vi' ? findProvince(scope.province)?.fullName : findProvince(scope.province)?.nameEn) : null, scope.force ? (q.locale === 'vi' ? FORCES.find((f) => f.code === scope.force)?.nameVi : FORCES.find((f) => f.code === scope.force)?.nameEn) : null].filter(Boolean).join(' — ');
    const periodName = describePeriod(period, q.locale);
    const compareName = q.compare === 'same-period'
      ? (q.locale === 'vi' ? `cùng kỳ năm ${comparePeriod.from.slice(0, 4)}` : `the same period of ${comparePeriod.from.slice(0, 4)}`)
      : (q.locale === 'vi' ? `kỳ trước (${describePeriod(comparePeriod, 'vi')})` : `the previous period (${describePeriod(comparePeriod, 'en')})`);
    const report: SituationReport = {
      period: { ...period, name: periodName },
      comparePeriod: { ...comparePeriod, name: describePeriod(comparePeriod, q.locale) },
      compare: q.compare,
      scope: { ...scope, name: scopeName || (q.locale === 'vi' ? 'Toàn quốc' : 'Nationwide') },
      figures,
      countedBy: Object.fromEntries(FIGURE_KEYS.map((k) => [k, FIGURE_DEFINITIONS[k].date])) as SituationReport['countedBy'],
      breakdown,
      trend,
      hotSpots,
      narrative: situationNarrative(
        figures,
        { periodName, comparePeriodName: compareName, scopeName: scopeName || null },
        q.locale,
      ),
      generatedAt: clock.now().toISOString(),
    };
    // Viewing figures is not audited (aggregates reveal no case); exports are, where they are made.
    void requestId;
    return report;
  }

  return { situation, scopeOf };
}

export type ReportsService = ReturnType<typeof createReportsService>;
