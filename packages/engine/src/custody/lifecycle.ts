/**
 * The legal sequence of custody events for one seized item, as data. Pure: the server loads the item's
 * state and the proposed event, this says whether the event may follow and what the item becomes.
 *
 *   seized ──received──▶ held ──stored (warehouse, shelf)──▶ held
 *                        held ──transferred (to a unit)──▶ in_transit ──received (by that unit)──▶ held
 *                        held ──sampled (sent for testing)──▶ at_testing ──returned──▶ held
 *                        held ──auctioned (decision, auction value)──▶ auctioned   (final)
 *                        held ──destroyed (decision)──▶ destroyed                   (final)
 *                        held ──released (decision; back to its owner)──▶ released  (final)
 *
 * Nothing follows a final state; a transfer, a disposal or sampling needs the item in hand ("held").
 */
export const CUSTODY_EVENT_KINDS = ['received', 'stored', 'transferred', 'sampled', 'returned', 'auctioned', 'destroyed', 'released'] as const;
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number];

export const CUSTODY_STATES = ['seized', 'held', 'in_transit', 'at_testing', 'auctioned', 'destroyed', 'released'] as const;
export type CustodyState = (typeof CUSTODY_STATES)[number];

export const FINAL_CUSTODY_STATES: readonly CustodyState[] = ['auctioned', 'destroyed', 'released'];
/** Disposal events: each needs the number of the decision that approved it. */
export const DISPOSAL_KINDS: readonly CustodyEventKind[] = ['auctioned', 'destroyed', 'released'];

/** Which event may happen in which state, and the state it leads to. */
export const CUSTODY_TRANSITIONS: Readonly<Record<CustodyState, Readonly<Partial<Record<CustodyEventKind, CustodyState>>>>> = {
  seized: { received: 'held' },
  held: { stored: 'held', transferred: 'in_transit', sampled: 'at_testing', auctioned: 'auctioned', destroyed: 'destroyed', released: 'released' },
  in_transit: { received: 'held' },
  at_testing: { returned: 'held' },
  auctioned: {},
  destroyed: {},
  released: {},
};

export function allowedCustodyEvents(state: CustodyState): CustodyEventKind[] {
  return CUSTODY_EVENT_KINDS.filter((k) => CUSTODY_TRANSITIONS[state][k] !== undefined);
}

export function isFinalCustodyState(state: CustodyState): boolean {
  return FINAL_CUSTODY_STATES.includes(state);
}

/** What an event carries (the fields that decide whether it is complete). */
export interface CustodyEventInput {
  kind: CustodyEventKind;
  /** ISO instant when it happened. */
  at: string;
  documentNo?: string | null;
  decisionNo?: string | null;
  warehouseId?: string | null;
  shelf?: string | null;
  toUnitId?: string | null;
  auctionValueVnd?: number | null;
  place?: string | null;
}

/** Where the item is and who holds it, after the events so far. */
export interface CustodyPosition {
  state: CustodyState;
  holderUnitId: string;
  warehouseId: string | null;
  shelf: string | null;
}

export type CustodyProblem = { field: string; reason: 'invalid_transition' | 'required' | 'invalid_value'; message: string };

const blank = (s: string | null | undefined) => !s || !s.trim();

/**
 * Checks one proposed event against the item's position and the time of its last event (ISO instant,
 * or null before the first) and `now`. Returns every problem; empty means the event may be recorded.
 */
export function checkCustodyEvent(pos: CustodyPosition, e: CustodyEventInput, ctx: { lastAt: string | null; now: string }): CustodyProblem[] {
  if (CUSTODY_TRANSITIONS[pos.state][e.kind] === undefined) {
    const next = allowedCustodyEvents(pos.state);
    return [{
      field: 'kind',
      reason: 'invalid_transition',
      message: next.length
        ? `an item that is "${pos.state}" can next be ${next.map((k) => `"${k}"`).join(', ')}, not "${e.kind}"`
        : `an item that is "${pos.state}" is final: nothing can follow`,
    }];
  }
  const problems: CustodyProblem[] = [];
  const at = Date.parse(e.at);
  if (Number.isNaN(at)) problems.push({ field: 'at', reason: 'invalid_value', message: 'is not a valid instant' });
  else {
    if (at > Date.parse(ctx.now)) problems.push({ field: 'at', reason: 'invalid_value', message: 'is in the future' });
    if (ctx.lastAt && at < Date.parse(ctx.lastAt)) problems.push({ field: 'at', reason: 'invalid_value', message: `cannot be before the previous event (${ctx.lastAt})` });
  }
  if (e.kind === 'stored' && blank(e.warehouseId)) problems.push({ field: 'warehouseId', reason: 'required', message: 'say which warehouse the item is stored in' });
  if (e.kind === 'transferred') {
    if (blank(e.toUnitId)) problems.push({ field: 'toUnitId', reason: 'required', message: 'say which unit receives the item' });
    else if (e.toUnitId === pos.holderUnitId) problems.push({ field: 'toUnitId', reason: 'invalid_value', message: 'is the unit that already holds the item' });
  }
  if ((e.kind === 'transferred' || e.kind === 'sampled' || DISPOSAL_KINDS.includes(e.kind)) && blank(e.documentNo)) {
    problems.push({ field: 'documentNo', reason: 'required', message: `a ${e.kind} event needs the number of its record (biên bản)` });
  }
  if (DISPOSAL_KINDS.includes(e.kind) && blank(e.decisionNo)) {
    problems.push({ field: 'decisionNo', reason: 'required', message: 'a disposal needs the number of the decision that approved it' });
  }
  if (e.kind === 'auctioned') {
    if (e.auctionValueVnd === undefined || e.auctionValueVnd === null) problems.push({ field: 'auctionValueVnd', reason: 'required', message: 'an auction needs the value it fetched (VND)' });
    else if (!Number.isSafeInteger(e.auctionValueVnd) || e.auctionValueVnd < 0) problems.push({ field: 'auctionValueVnd', reason: 'invalid_value', message: 'must be a whole, non-negative number of VND' });
  } else if (e.auctionValueVnd !== undefined && e.auctionValueVnd !== null) {
    problems.push({ field: 'auctionValueVnd', reason: 'invalid_value', message: 'only an auction carries an auction value' });
  }
  return problems;
}

/** The position after one (already checked) event. A transfer hands the item to the receiving unit. */
export function applyCustodyEvent(pos: CustodyPosition, e: CustodyEventInput): CustodyPosition {
  const state = CUSTODY_TRANSITIONS[pos.state][e.kind];
  if (state === undefined) throw new Error(`custody: "${e.kind}" cannot follow "${pos.state}"`);
  switch (e.kind) {
    case 'stored':
      return { state, holderUnitId: pos.holderUnitId, warehouseId: e.warehouseId ?? null, shelf: e.shelf?.trim() || null };
    case 'transferred':
      return { state, holderUnitId: e.toUnitId!, warehouseId: null, shelf: null };
    case 'sampled':
      return { ...pos, state };
    default:
      // received, returned keep the location until it is stored; disposals end custody
      return FINAL_CUSTODY_STATES.includes(state) ? { state, holderUnitId: pos.holderUnitId, warehouseId: null, shelf: null } : { ...pos, state };
  }
}

/** Replays a whole chain from the item's first holder; throws on an illegal sequence. */
export function replayCustody(firstHolderUnitId: string, events: readonly CustodyEventInput[]): CustodyPosition {
  return events.reduce<CustodyPosition>((pos, e) => applyCustodyEvent(pos, e), { state: 'seized', holderUnitId: firstHolderUnitId, warehouseId: null, shelf: null });
}
