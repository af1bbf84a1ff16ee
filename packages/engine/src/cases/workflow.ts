/**
 * The case workflow as data: which status may follow which, and what each step must carry.
 *   detected → verifying → handling → penalized (administrative penalty) → closed
 *                                   ↘ transferred (for prosecution) → prosecuted → closed
 *   any open status → dropped (with a reason)
 * A transferred case the investigators send back can still be penalized administratively.
 */
export type CaseStatus = 'detected' | 'verifying' | 'handling' | 'penalized' | 'transferred' | 'prosecuted' | 'closed' | 'dropped';

export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  detected: ['verifying', 'handling', 'dropped'],
  verifying: ['handling', 'dropped'],
  handling: ['penalized', 'transferred', 'dropped'],
  penalized: ['transferred', 'closed'],
  transferred: ['prosecuted', 'penalized', 'dropped'],
  prosecuted: ['closed'],
  closed: [],
  dropped: [],
};

export const FINAL_STATUSES: readonly CaseStatus[] = ['closed', 'dropped'];

export interface TransitionPayload {
  penalty?: { decisionNo: string; decidedOn: string; fineVnd: number; confiscatedValueVnd: number; collectedVnd: number };
  transferredOn?: string;
  prosecution?: { prosecutedOn: string; defendants: number };
  reason?: string;
}

export type TransitionProblem = { field: string; reason: 'invalid_transition' | 'required' | 'invalid_value'; message: string };

/** Checks one step; returns the problems (empty when the step is allowed and complete). */
export function checkTransition(from: CaseStatus, to: CaseStatus, payload: TransitionPayload, detectedOn: string): TransitionProblem[] {
  if (!TRANSITIONS[from].includes(to)) {
    const next = TRANSITIONS[from];
    return [{
      field: 'to',
      reason: 'invalid_transition',
      message: next.length ? `a case that is "${from}" can move to ${next.map((s) => `"${s}"`).join(', ')}, not "${to}"` : `a case that is "${from}" is final and cannot change status`,
    }];
  }
  const problems: TransitionProblem[] = [];
  const notBefore = (field: string, date: string | undefined) => {
    if (date && date < detectedOn) problems.push({ field, reason: 'invalid_value', message: `cannot be before the detection date ${detectedOn}` });
  };
  if (to === 'penalized') {
    if (!payload.penalty) problems.push({ field: 'penalty', reason: 'required', message: 'an administrative penalty needs the decision number, date and fine' });
    else {
      notBefore('penalty.decidedOn', payload.penalty.decidedOn);
      if (payload.penalty.collectedVnd > payload.penalty.fineVnd + payload.penalty.confiscatedValueVnd) {
        problems.push({ field: 'penalty.collectedVnd', reason: 'invalid_value', message: 'cannot exceed the fine plus the confiscated value' });
      }
    }
  }
  if (to === 'transferred') {
    if (!payload.transferredOn) problems.push({ field: 'transferredOn', reason: 'required', message: 'say when the case was transferred for prosecution' });
    notBefore('transferredOn', payload.transferredOn);
  }
  if (to === 'prosecuted') {
    if (!payload.prosecution) problems.push({ field: 'prosecution', reason: 'required', message: 'a prosecution needs its date and the number of defendants' });
    else notBefore('prosecution.prosecutedOn', payload.prosecution.prosecutedOn);
  }
  if (to === 'dropped' && !payload.reason?.trim()) problems.push({ field: 'reason', reason: 'required', message: 'say why the case is dropped' });
  return problems;
}
