import type { DecideProposalBody, ProposalDecision, ProposalList, ProposalQuery, ProposalRecord, SubjectProposal } from '@cordon/contracts';
import { sql, type Database, type Db, type Kysely } from '@cordon/db';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { fullCaseCondition, SUBJECT_DECIDER_ROLES, type SubjectsService } from './subjects.service.js';

type Tx = Kysely<Database>;

const isDecider = (p: Principal) => p.roles.some((r) => (SUBJECT_DECIDER_ROLES as readonly string[]).includes(r));

/**
 * The review queue of fuzzy matches (issue 7): the resolver proposes, an analyst confirms (an ordinary
 * merge: reversible, provenance kept) or rejects (the pair is never proposed again). An analyst sees a
 * proposal only when both records are in cases they see in full: a proposal is itself a fact about both.
 */
export function createSubjectProposalsService({ db, clock, audit, subjects }: { db: Db; clock: Clock; audit: AuditService; subjects: SubjectsService }) {
  /** Pending proposals whose two records `p` sees in full and that still join two different subjects. */
  function visiblePending(p: Principal, trx: Tx = db.kysely) {
    return trx
      .selectFrom('subject_proposals as sp')
      .innerJoin('subject_members as lm', 'lm.case_subject_id', 'sp.left_record_id')
      .innerJoin('subject_members as rm', 'rm.case_subject_id', 'sp.right_record_id')
      .innerJoin('cases as lc', 'lc.id', 'lm.case_id')
      .innerJoin('cases as rc', 'rc.id', 'rm.case_id')
      .where('sp.status', '=', 'pending')
      .whereRef('lm.subject_id', '<>', 'rm.subject_id')
      .where(fullCaseCondition(p, 'lc'))
      .where(fullCaseCondition(p, 'rc'));
  }

  async function countPending(p: Principal): Promise<number> {
    if (!isDecider(p)) return 0;
    const r = await visiblePending(p).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return r.n;
  }

  /** The two records of each proposal side by side, with the agency (lead unit) that recorded each. */
  async function records(ids: string[]): Promise<Map<string, ProposalRecord>> {
    if (!ids.length) return new Map();
    const rows = await db.kysely
      .selectFrom('case_subjects as s')
      .innerJoin('subject_members as m', 'm.case_subject_id', 's.id')
      .innerJoin('cases as c', 'c.id', 's.case_id')
      .innerJoin('org_units as u', 'u.id', 'c.lead_unit_id')
      .select(['s.id', 'm.subject_id', 's.case_id', 'c.code', 'c.title', 'c.detected_on', 'u.code as unit_code', 'u.name_vi', 'u.name_en', 's.role', 's.name', 's.id_number', 's.tax_code', 's.plate', 's.phone', 's.date_of_birth', 's.address'])
      .where('s.id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, {
      caseSubjectId: r.id,
      subjectId: r.subject_id,
      caseId: r.case_id,
      caseCode: r.code,
      caseTitle: r.title,
      detectedOn: r.detected_on,
      unitCode: r.unit_code,
      unitNameVi: r.name_vi,
      unitNameEn: r.name_en,
      role: r.role,
      name: r.name,
      idNumber: r.id_number,
      taxCode: r.tax_code,
      plate: r.plate,
      phone: r.phone,
      dateOfBirth: r.date_of_birth,
      address: r.address,
    }]));
  }

  /** The queue: strongest first. Only analysts (and admins) decide, so only they read it. */
  async function pending(p: Principal, q: ProposalQuery): Promise<ProposalList> {
    if (!isDecider(p)) throw forbidden('Only analysts review merge proposals');
    const rows = await visiblePending(p)
      .select(['sp.id', 'sp.kind', 'sp.status', 'sp.score', 'sp.weight_bits', 'sp.explanation', 'sp.left_record_id', 'sp.right_record_id', 'sp.version', 'sp.created_at'])
      .orderBy('sp.score', 'desc')
      .orderBy('sp.id')
      .limit(q.limit)
      .execute();
    const recs = await records(rows.flatMap((r) => [r.left_record_id, r.right_record_id]));
    const items: SubjectProposal[] = rows.map((r) => ({
      id: r.id,
      kind: r.kind as SubjectProposal['kind'],
      status: r.status as SubjectProposal['status'],
      score: r.score,
      weightBits: r.weight_bits,
      reasons: Array.isArray(r.explanation) ? (r.explanation as SubjectProposal['reasons']) : [],
      left: recs.get(r.left_record_id)!,
      right: recs.get(r.right_record_id)!,
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
    }));
    return { items, total: await countPending(p) };
  }

  /**
   * Confirms (merges the two records' subjects; the larger one is kept) or rejects a proposal. NOT_FOUND
   * when `p` does not see both records in full (no hint that it exists); CONFLICT when it was decided
   * already, its version moved, or the two records are one subject already.
   */
  async function decide(p: Principal, id: string, body: DecideProposalBody, requestId?: string): Promise<ProposalDecision> {
    if (!isDecider(p)) throw forbidden('Only analysts review merge proposals');
    return db.kysely.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('subject_proposals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      const seen = row
        ? await trx
            .selectFrom('subject_members as m')
            .innerJoin('cases as c', 'c.id', 'm.case_id')
            .select(['m.case_subject_id', 'm.subject_id'])
            .where('m.case_subject_id', 'in', [row.left_record_id, row.right_record_id])
            .where(fullCaseCondition(p, 'c'))
            .execute()
        : [];
      if (!row || seen.length < 2) throw notFound('Proposal');
      if (row.status !== 'pending') throw new AppError('CONFLICT', `This proposal was already ${row.status}`);
      if (row.version !== body.version) throw new AppError('CONFLICT', 'Someone changed this proposal; reload it');
      const subjectOf = (rec: string) => seen.find((s) => s.case_subject_id === rec)!.subject_id;
      const [leftSubject, rightSubject] = [subjectOf(row.left_record_id), subjectOf(row.right_record_id)];
      const now = clock.now();
      const close = (status: string, decisionId: string | null) =>
        trx.updateTable('subject_proposals').set({ status, reason: body.reason, decided_by: p.userId, decided_at: now, decision_id: decisionId, version: row.version + 1 }).where('id', '=', id).execute();
      // the next sync marks it superseded; a throw here would roll back any update anyway
      if (leftSubject === rightSubject) throw new AppError('CONFLICT', 'The two records are already one subject');
      const detail = { proposalId: id, leftRecord: row.left_record_id, rightRecord: row.right_record_id, score: row.score, reason: body.reason };
      if (body.decision === 'reject') {
        await close('rejected', null);
        await audit.record({ action: 'subject.proposal.reject', actor: actorOf(p), entityType: 'subject', entityId: leftSubject, detail, requestId }, trx);
        return { status: 'rejected' as const, subjectId: leftSubject };
      }
      const sizes = await trx.selectFrom('subjects').select(['id', 'member_count']).where('id', 'in', [leftSubject, rightSubject]).execute();
      const size = (s: string) => sizes.find((x) => x.id === s)?.member_count ?? 0;
      const [kept, merged] = size(rightSubject) > size(leftSubject) ? [rightSubject, leftSubject] : [leftSubject, rightSubject];
      const decisionId = await subjects.mergeIn(trx, p, kept, { otherId: merged, reason: body.reason }, requestId);
      await close('confirmed', decisionId);
      await audit.record({ action: 'subject.proposal.confirm', actor: actorOf(p), entityType: 'subject', entityId: kept, detail: { ...detail, decisionId }, requestId }, trx);
      return { status: 'confirmed' as const, subjectId: kept };
    });
  }

  return { pending, decide, countPending };
}

export type SubjectProposalsService = ReturnType<typeof createSubjectProposalsService>;
