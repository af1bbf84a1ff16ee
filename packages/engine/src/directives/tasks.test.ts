import { describe, expect, it } from 'vitest';
import { allowedTaskActions, checkTaskAction, complianceOutcome, escalationUnit, TASK_STATUS_LIST, type TaskAction } from './tasks.js';

const assignee = { isAssignee: true, isOffice: false, reportCount: 1 };
const office = { isAssignee: false, isOffice: true, reportCount: 1 };

describe('the directive task state machine', () => {
  it('goes open → in progress → submitted → accepted through the assigned unit and the office', () => {
    expect(checkTaskAction('open', 'report', { ...assignee, reportCount: 0 })).toEqual({ ok: true, to: 'in_progress' });
    expect(checkTaskAction('in_progress', 'report', assignee)).toEqual({ ok: true, to: 'in_progress' });
    expect(checkTaskAction('in_progress', 'submit', assignee)).toEqual({ ok: true, to: 'submitted' });
    expect(checkTaskAction('submitted', 'accept', office)).toEqual({ ok: true, to: 'accepted' });
  });

  it('sends a task back with a comment, and the unit can report and submit again', () => {
    expect(checkTaskAction('submitted', 'return', { ...office, comment: 'Thiếu số liệu tháng 12' })).toEqual({ ok: true, to: 'returned' });
    expect(checkTaskAction('returned', 'report', assignee)).toEqual({ ok: true, to: 'in_progress' });
    expect(checkTaskAction('returned', 'submit', assignee)).toEqual({ ok: true, to: 'submitted' });
  });

  it('lets only the standing office accept, return and cancel', () => {
    for (const a of ['accept', 'return', 'cancel'] as TaskAction[]) {
      const r = checkTaskAction('submitted', a, { ...assignee, comment: 'x' });
      expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: 'not_office' });
    }
  });

  it('lets only the assigned unit report and mark done', () => {
    expect(checkTaskAction('open', 'report', office)).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: 'not_assignee' });
    expect(checkTaskAction('in_progress', 'submit', { isAssignee: false, isOffice: false, reportCount: 3 })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('refuses illegal transitions with the reason', () => {
    expect(checkTaskAction('in_progress', 'accept', office)).toMatchObject({ ok: false, code: 'CONFLICT', reason: 'invalid_transition' });
    expect(checkTaskAction('submitted', 'report', assignee)).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringMatching(/waits for the standing office/) });
    expect(checkTaskAction('accepted', 'report', assignee)).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringMatching(/final/) });
    expect(checkTaskAction('cancelled', 'cancel', { ...office, comment: 'x' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(checkTaskAction('accepted', 'return', { ...office, comment: 'x' })).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('needs a report before marking done, and a comment to return or cancel', () => {
    expect(checkTaskAction('open', 'submit', { ...assignee, reportCount: 0 })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'reports' });
    expect(checkTaskAction('submitted', 'return', { ...office, comment: '  ' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'comment' });
    expect(checkTaskAction('open', 'cancel', office)).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'comment' });
  });

  it('offers each side only its own actions', () => {
    expect(allowedTaskActions('in_progress', assignee)).toEqual(['report', 'submit']);
    expect(allowedTaskActions('in_progress', office)).toEqual(['cancel']);
    expect(allowedTaskActions('submitted', office)).toEqual(['accept', 'return', 'cancel']);
    expect(allowedTaskActions('submitted', assignee)).toEqual([]);
    for (const s of TASK_STATUS_LIST) expect(allowedTaskActions(s, { isAssignee: false, isOffice: false, reportCount: 5 })).toEqual([]);
  });

  it('counts an accepted task on time when it was submitted before the deadline day ended in Vietnam', () => {
    const deadline = '2026-11-20';
    expect(complianceOutcome({ status: 'accepted', deadline, submittedAt: new Date('2026-11-20T16:59:00Z') })).toBe('on_time');
    expect(complianceOutcome({ status: 'accepted', deadline, submittedAt: new Date('2026-11-20T17:01:00Z') })).toBe('late');
    expect(complianceOutcome({ status: 'submitted', deadline, submittedAt: new Date('2026-11-19T00:00:00Z') })).toBe('outstanding');
    expect(complianceOutcome({ status: 'cancelled', deadline, submittedAt: null })).toBe('cancelled');
  });

  it('escalates to the parent unit, or to a root unit itself', () => {
    expect(escalationUnit({ id: 'customs-ls', parentId: 'customs' })).toBe('customs');
    expect(escalationUnit({ id: 'bcd389-20', parentId: null })).toBe('bcd389-20');
  });
});
