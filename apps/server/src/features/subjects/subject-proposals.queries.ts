import { randomUUID } from 'node:crypto';
import type { HeldLink } from '@cordon/engine';
import { sql, type Database, type Kysely } from '@cordon/db';

type Tx = Kysely<Database>;
const BATCH = 500;

/** A held (fuzzy) link between two case subject records, ready to store. */
export interface ProposalInput extends HeldLink {
  left: string;
  right: string;
  kind: string;
}

/**
 * Stores the resolver's held links as pending proposals. A pair already stored keeps its row whatever
 * its status, which is what makes a rejection stick. Pending proposals whose two records now belong to
 * one subject (an identifier appeared, an analyst merged) are closed as superseded. Returns how many
 * proposals are new.
 */
export async function proposeHeldLinks(trx: Tx, links: ProposalInput[], now: Date): Promise<number> {
  let created = 0;
  for (let k = 0; k < links.length; k += BATCH) {
    const values = links.slice(k, k + BATCH).map((l) => {
      // one row per unordered pair: the smaller id on the left (the table checks it)
      const [left, right] = l.left < l.right ? [l.left, l.right] : [l.right, l.left];
      return { id: randomUUID(), kind: l.kind, left_record_id: left, right_record_id: right, score: l.score, weight_bits: l.weightBits, explanation: JSON.stringify(l.reasons), created_at: now };
    });
    const res = await trx.insertInto('subject_proposals').values(values).onConflict((oc) => oc.columns(['left_record_id', 'right_record_id']).doNothing()).returning('id').execute();
    created += res.length;
  }
  await sql`UPDATE subject_proposals p SET status = 'superseded', version = p.version + 1
    FROM subject_members l, subject_members r
    WHERE p.status = 'pending' AND l.case_subject_id = p.left_record_id AND r.case_subject_id = p.right_record_id AND l.subject_id = r.subject_id`.execute(trx);
  return created;
}

/** A reverted merge that confirmed a proposal puts the proposal back in the queue. */
export async function reopenProposals(trx: Tx, decisionId: string) {
  await trx
    .updateTable('subject_proposals')
    .set((eb) => ({ status: 'pending', decision_id: null, decided_at: null, decided_by: null, reason: null, version: eb('version', '+', 1) }))
    .where('decision_id', '=', decisionId)
    .execute();
}

/**
 * Pending proposals about records edited since they were proposed, which the resolver no longer
 * proposes (`kept`: the pairs it holds now), are withdrawn: their score and reasons described the old
 * values. Decided proposals (confirmed, rejected) stay. Returns how many went.
 */
export async function withdrawStaleProposals(trx: Tx, edited: readonly string[], kept: readonly { left: string; right: string }[]): Promise<number> {
  if (!edited.length) return 0;
  const pairs = kept.map((l) => (l.left < l.right ? [l.left, l.right] : [l.right, l.left]));
  const res = await sql`DELETE FROM subject_proposals p WHERE p.status = 'pending'
    AND (p.left_record_id = ANY(${sql.val(edited)}::uuid[]) OR p.right_record_id = ANY(${sql.val(edited)}::uuid[]))
    AND NOT EXISTS (SELECT 1 FROM unnest(${sql.val(pairs.map((x) => x[0]!))}::uuid[], ${sql.val(pairs.map((x) => x[1]!))}::uuid[]) AS h(l, r)
      WHERE h.l = p.left_record_id AND h.r = p.right_record_id)`.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}
