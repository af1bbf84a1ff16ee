import type { ComplianceCounts, ComplianceReport, ComplianceRow, SituationCompliance } from '@cordon/contracts';
import { sql, type Db, type RawBuilder } from '@cordon/db';
import { forbidden, invalidField } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Principal } from '../auth/principal.js';
import { directiveAccessOf, visibleTasksSql } from './directives.access.js';
import { countTask, emptyCounts } from './tasks.rows.js';

interface Row {
  status: string;
  deadline: string;
  submitted_at: Date | null;
  unit_id: string;
  unit_vi: string;
  unit_en: string;
  directive_id: string;
  directive_label: string;
}

/** The report's scope (the same shape as the situation report's). */
export interface ComplianceScope {
  kind: 'nation' | 'province' | 'force';
  province: string | null;
  force: string | null;
}

const rate = (c: ComplianceCounts) => (c.onTime + c.late ? Math.round((c.onTime / (c.onTime + c.late)) * 1000) / 1000 : null);

/**
 * Compliance with directives: per unit or per directive, how many tasks were done on time, late, and
 * how many are outstanding (and of those, overdue). A task counts by its deadline's date; "on time"
 * is the engine's rule (the accepted submission came before the deadline day ended in Vietnam).
 * Counting happens in TypeScript over the matching tasks (at national volume a few thousand a year),
 * so the rule lives in one place.
 */
export function createComplianceService({ db, clock }: { db: Db; clock: Clock }) {
  async function rowsWhere(where: RawBuilder<boolean>): Promise<Row[]> {
    const { rows } = await sql<Row>`SELECT t.status, to_char(t.deadline, 'YYYY-MM-DD') AS deadline, t.submitted_at, t.assigned_unit_id AS unit_id,
        u.name_vi AS unit_vi, u.name_en AS unit_en, t.directive_id, d.number || ' — ' || d.title AS directive_label
      FROM directive_tasks t JOIN org_units u ON u.id = t.assigned_unit_id JOIN directives d ON d.id = t.directive_id
      WHERE ${where}`.execute(db.kysely);
    return rows;
  }

  function group(rows: Row[], by: 'unit' | 'directive'): { rows: ComplianceRow[]; totals: ComplianceCounts } {
    const now = clock.now();
    const groups = new Map<string, { label: string; labelEn: string; counts: ComplianceCounts }>();
    const totals = emptyCounts();
    for (const r of rows) {
      const key = by === 'unit' ? r.unit_id : r.directive_id;
      const g = groups.get(key) ?? { label: by === 'unit' ? r.unit_vi : r.directive_label, labelEn: by === 'unit' ? r.unit_en : r.directive_label, counts: emptyCounts() };
      countTask(g.counts, r, now);
      countTask(totals, r, now);
      groups.set(key, g);
    }
    const out = [...groups.entries()]
      .filter(([, g]) => g.counts.total > 0)
      .map(([key, g]) => ({ key, label: g.label, labelEn: g.labelEn, ...g.counts, onTimeRate: rate(g.counts) }))
      .sort((a, b) => b.overdue - a.overdue || b.outstanding - a.outstanding || a.label.localeCompare(b.label, 'vi'));
    return { rows: out, totals };
  }

  /** For the compliance screen: the office sees every unit; others the tasks of their own units. */
  async function compliance(p: Principal, q: { by: 'unit' | 'directive'; from?: string; to?: string; directiveId?: string }): Promise<ComplianceReport> {
    const access = await directiveAccessOf(p, db.kysely);
    if (!access.readsAll && !access.readsOwn) throw forbidden('Compliance needs a staff role');
    if (q.from && q.to && q.to < q.from) throw invalidField('to', 'invalid_value', 'the period ends before it starts');
    const conds: RawBuilder<boolean>[] = [visibleTasksSql(p, access)];
    if (q.from) conds.push(sql<boolean>`t.deadline >= ${q.from}::date`);
    if (q.to) conds.push(sql<boolean>`t.deadline <= ${q.to}::date`);
    if (q.directiveId) conds.push(sql<boolean>`t.directive_id = ${q.directiveId}`);
    const { rows, totals } = group(await rowsWhere(sql.join(conds, sql` AND `) as RawBuilder<boolean>), q.by);
    return { by: q.by, from: q.from ?? null, to: q.to ?? null, rows, totals, generatedAt: clock.now().toISOString() };
  }

  /**
   * The situation report's directives section: tasks due in the period assigned to units in the
   * report's scope (a province: units working in it; a force: its units), and commendations decided in
   * the period for units in scope. Aggregates only: no task text leaves here.
   */
  async function situationSection(scope: ComplianceScope, period: { from: string; to: string }): Promise<SituationCompliance> {
    const inScope = (alias: string) => sql<boolean>`${scope.province ? sql`${sql.ref(`${alias}.province_code`)} = ${scope.province}` : sql`true`} AND ${scope.force ? sql`${sql.ref(`${alias}.force_code`)} = ${scope.force}` : sql`true`}`;
    const rows = await rowsWhere(sql<boolean>`t.deadline BETWEEN ${period.from}::date AND ${period.to}::date AND ${inScope('u')}`);
    const { rows: perUnit, totals } = group(rows, 'unit');
    const { rows: c } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM commendations c JOIN org_units u ON u.id = c.unit_id
      WHERE c.decided_on BETWEEN ${period.from}::date AND ${period.to}::date AND ${inScope('u')}`.execute(db.kysely);
    return { totals, rows: perUnit.slice(0, 20), commendations: c[0]?.n ?? 0 };
  }

  return { compliance, situationSection };
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
