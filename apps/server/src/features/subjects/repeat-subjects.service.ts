import type { EarlierCase, RepeatSubject, RepeatSubjectList, SubjectScope } from '@cordon/contracts';
import { RECORD_READER_ROLES, subjectKeys } from '@cordon/engine';
import { sql, type Db } from '@cordon/db';
import { notFound } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { fullCaseCondition, SUBJECT_DECIDER_ROLES, type SubjectsService } from './subjects.service.js';
import type { SubjectProposalsService } from './subject-proposals.service.js';

/** Earlier cases listed per subject on a case page; the count covers them all. */
const EARLIER_SHOWN = 20;

const keysOf = (r: { id_number: string | null; tax_code: string | null; plate: string | null; imo: string | null; phone: string | null }) =>
  subjectKeys({ idNumber: r.id_number, taxCode: r.tax_code, plate: r.plate, imo: r.imo, phone: r.phone });

/**
 * Repeat offenders (issue 7): for a case, which of its subjects already appear in earlier cases, by a
 * shared identifier or through the resolved subject. Only cases the user sees in full are counted or
 * linked, and no number of hidden ones is given: "named in 2 restricted cases you cannot open" is itself
 * a restricted fact, and anyone who records a case could learn it for any CCCD.
 */
export function createRepeatSubjectsService({ db, subjects, proposals }: { db: Db; subjects: SubjectsService; proposals: SubjectProposalsService }) {
  async function forCase(p: Principal, caseId: string): Promise<RepeatSubjectList> {
    const c = await db.kysely.selectFrom('cases as c').select(['c.id', 'c.detected_on', 'c.created_at']).where('c.id', '=', caseId).where(fullCaseCondition(p, 'c')).executeTakeFirst();
    if (!c) throw notFound('Case');
    const mine = await db.kysely
      .selectFrom('case_subjects as s')
      .leftJoin('subject_members as m', 'm.case_subject_id', 's.id')
      .select(['s.id', 's.kind', 's.name', 's.id_number', 's.tax_code', 's.plate', 's.imo', 's.phone', 'm.subject_id'])
      .where('s.case_id', '=', caseId)
      .orderBy('s.position')
      .execute();
    const keys = [...new Set(mine.flatMap(keysOf))];
    // a record the resolver has not placed yet (a case just recorded) belongs with the subjects whose
    // records the user sees carrying the same identifier; hidden records never lend an identifier
    const carriers = keys.length ? await subjects.visibleMembers(p).select(['m.subject_id', 'm.keys']).where(sql<boolean>`m.keys && ${sql.val(keys)}::text[]`).execute() : [];
    const subjectsOf = (r: (typeof mine)[number]) => {
      const own = new Set(keysOf(r));
      return new Set([...(r.subject_id ? [r.subject_id] : []), ...carriers.filter((c) => c.keys.some((k) => own.has(k))).map((c) => c.subject_id)]);
    };
    const subjectIds = [...new Set(mine.flatMap((r) => [...subjectsOf(r)]))];
    if (!keys.length && !subjectIds.length) return { items: [] };
    // earlier: detected before this case, or the same day and recorded before it
    const others = await db.kysely
      .selectFrom('case_subjects as s')
      .innerJoin('cases as c', 'c.id', 's.case_id')
      .leftJoin('subject_members as m', 'm.case_subject_id', 's.id')
      .select(['c.id as case_id', 'c.code', 'c.title', 'c.detected_on', 'c.created_at', 's.role', 's.id_number', 's.tax_code', 's.plate', 's.imo', 's.phone', 'm.subject_id'])
      .where('c.id', '<>', caseId)
      .where(sql<boolean>`(c.detected_on < ${c.detected_on} OR (c.detected_on = ${c.detected_on} AND c.created_at < ${c.created_at}))`)
      .where(sql<boolean>`(c.subject_keys && ${sql.val(keys)}::text[] OR m.subject_id = ANY(${sql.val(subjectIds)}::uuid[]))`)
      .where(fullCaseCondition(p, 'c'))
      .orderBy('c.detected_on', 'desc')
      .orderBy('c.code')
      .execute();
    const items: RepeatSubject[] = mine.flatMap((r) => {
      const own = new Set(keysOf(r));
      const same = subjectsOf(r);
      const byCase = new Map<string, EarlierCase>();
      for (const o of others) {
        const via = keysOf(o).filter((k) => own.has(k));
        if (o.subject_id && same.has(o.subject_id)) via.push('SUBJECT');
        if (!via.length) continue;
        const seen = byCase.get(o.case_id);
        if (seen) seen.via = [...new Set([...seen.via, ...via])];
        else byCase.set(o.case_id, { caseId: o.case_id, caseCode: o.code, caseTitle: o.title, detectedOn: o.detected_on, role: o.role, via });
      }
      if (!byCase.size) return [];
      const earlier = [...byCase.values()];
      return [{ caseSubjectId: r.id, name: r.name, kind: r.kind as RepeatSubject['kind'], subjectId: r.subject_id, earlierCases: earlier.slice(0, EARLIER_SHOWN), earlierCount: earlier.length }];
    });
    return { items };
  }

  /**
   * What the subjects page needs to explain itself: whether the user sees any case in full (the national
   * office handles no cases, so its users see no subjects unless a case is shared with them).
   */
  async function scope(p: Principal): Promise<SubjectScope> {
    return {
      seesCasesInFull: await seesAnyCaseInFull(p),
      canDecide: p.roles.some((r) => (SUBJECT_DECIDER_ROLES as readonly string[]).includes(r)),
      pendingProposals: await proposals.countPending(p),
    };
  }

  /** `fullCaseCondition` asked once, as three indexed questions rather than the rule over every case. */
  async function seesAnyCaseInFull(p: Principal): Promise<boolean> {
    if (!p.roles.some((r) => RECORD_READER_ROLES.includes(r))) return false;
    const units = sql`${sql.val(p.unitIds)}::uuid[]`;
    const r = await sql<{ any: boolean }>`SELECT
        EXISTS (SELECT 1 FROM cases WHERE handling_unit_ids && ${units} AND sensitivity <> 'secret')
        OR EXISTS (SELECT 1 FROM record_shares s JOIN cases c ON c.id = s.record_id WHERE s.record_type = 'case' AND s.revoked_at IS NULL
                   AND (s.user_id = ${p.userId} OR (s.unit_id = ANY(${units}) AND c.sensitivity <> 'secret')))
        OR EXISTS (SELECT 1 FROM cases WHERE sensitivity = 'secret' AND ${p.userId}::uuid = ANY(named_user_ids)) AS any`.execute(db.kysely);
    return r.rows[0]!.any;
  }

  return { forCase, scope };
}

export type RepeatSubjectsService = ReturnType<typeof createRepeatSubjectsService>;
