import { createHash } from 'node:crypto';
import type { CustodyEventsTable } from '@cordon/db';
import { canonicalJson } from '../audit/audit.service.js';

/**
 * The hash chain of one custody item, like the audit trail's (audit.service.ts): each event's hash
 * covers its fields and the previous event's hash. The first event links to a genesis hash derived
 * from the item's id, so an event cannot be moved from one item's chain to another's.
 */
/** An event as its hash reads it: the table's columns but the hash itself and created_at, instants as ISO text. */
export type CustodyChainRow = Omit<CustodyEventsTable, 'hash' | 'created_at' | 'at' | 'recorded_at'> & {
  /** ISO instants with milliseconds, as read back from timestamptz. */
  at: string;
  recorded_at: string;
};

export function custodyGenesisHash(itemId: string): string {
  return createHash('sha256').update(`cordon-custody:${itemId}`).digest('hex');
}

/** What an event's hash covers: every column but the hash itself and created_at. */
export function custodyEventHash(r: CustodyChainRow): string {
  const material = canonicalJson([
    r.item_id, r.seq, r.id, r.kind, r.at, r.recorded_at, r.actor_user_id, r.actor_username, r.actor_unit_id,
    r.from_unit_id, r.to_unit_id, r.warehouse_id, r.shelf, r.place, r.document_no, r.decision_no, r.auction_value_vnd,
    r.note, r.prev_hash,
  ]);
  return createHash('sha256').update(material).digest('hex');
}
