import { describe, expect, it } from 'vitest';
import { addWorkingDays, deadlineState, dueInstant, isPastDeadline, nextWorkingDay, templateDeadline, vietnamDateOf, workingDaysLeft } from './deadlines.js';

// 2026-11-20 is a Friday; 21 Saturday, 22 Sunday, 23 Monday.
describe('task deadlines in Asia/Ho_Chi_Minh', () => {
  it('reads the calendar date in Vietnam, which starts at 17:00 UTC the day before', () => {
    expect(vietnamDateOf(new Date('2026-11-20T16:59:59.999Z'))).toBe('2026-11-20');
    expect(vietnamDateOf(new Date('2026-11-20T17:00:00.000Z'))).toBe('2026-11-21');
    expect(vietnamDateOf(new Date('2026-12-31T17:30:00.000Z'))).toBe('2027-01-01');
  });

  it('is due at the end of the deadline day in Vietnam, not at the end of the UTC day', () => {
    expect(dueInstant('2026-11-20').toISOString()).toBe('2026-11-20T17:00:00.000Z');
    // 23:59 in Hà Nội on the deadline day: still on time.
    expect(isPastDeadline('2026-11-20', new Date('2026-11-20T16:59:00.000Z'))).toBe(false);
    // 00:00 the next day in Hà Nội (still the 20th in UTC): overdue.
    expect(isPastDeadline('2026-11-20', new Date('2026-11-20T17:00:00.000Z'))).toBe(true);
    // Early morning of the deadline day in Vietnam is the previous UTC day: not overdue.
    expect(isPastDeadline('2026-11-20', new Date('2026-11-19T18:00:00.000Z'))).toBe(false);
  });

  it('skips weekends when counting working days', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday + 1 → Monday
    expect(addWorkingDays('2026-11-19', 3)).toBe('2026-11-24'); // Thursday + 3 → Fri, Mon, Tue
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23'); // Saturday + 1 → Monday
    expect(addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
    expect(workingDaysLeft('2026-11-20', '2026-11-23')).toBe(1); // Friday → Monday
    expect(workingDaysLeft('2026-11-19', '2026-11-21')).toBe(1); // Thursday → Saturday: only Friday is left
    expect(workingDaysLeft('2026-11-21', '2026-11-22')).toBe(0); // Saturday → Sunday: no working day left
    expect(workingDaysLeft('2026-11-16', '2026-11-27')).toBe(9); // Monday → Friday next week
    expect(workingDaysLeft('2026-11-23', '2026-11-20')).toBe(-1); // one working day late (Monday after a Friday deadline)
  });

  it('moves a weekend to the next Monday', () => {
    expect(nextWorkingDay('2026-11-21')).toBe('2026-11-23');
    expect(nextWorkingDay('2026-11-22')).toBe('2026-11-23');
    expect(nextWorkingDay('2026-11-20')).toBe('2026-11-20');
  });

  it('calls a task due soon within N working days, overdue after the deadline day', () => {
    // Friday 10:00 in Hà Nội, deadline Monday: 1 working day left.
    const fridayMorning = new Date('2026-11-20T03:00:00.000Z');
    expect(deadlineState('2026-11-23', fridayMorning, 1)).toBe('due_soon');
    expect(deadlineState('2026-11-24', fridayMorning, 1)).toBe('later');
    expect(deadlineState('2026-11-24', fridayMorning, 2)).toBe('due_soon');
    // A weekend in between does not use up the warning: Friday → Wednesday is 3 working days.
    expect(deadlineState('2026-11-25', fridayMorning, 2)).toBe('later');
    expect(deadlineState('2026-11-20', fridayMorning, 0)).toBe('due_soon');
    // Friday 23:30 in Hà Nội is 16:30 UTC: the Friday deadline is still due, not overdue.
    expect(deadlineState('2026-11-20', new Date('2026-11-20T16:30:00.000Z'), 3)).toBe('due_soon');
    // Saturday 00:30 in Hà Nội is still Friday in UTC: overdue.
    expect(deadlineState('2026-11-20', new Date('2026-11-20T17:30:00.000Z'), 3)).toBe('overdue');
  });

  it('places template steps relative to a chosen date, on working days', () => {
    // Lunar New Year 2027 falls on Saturday 6 February.
    expect(templateDeadline('2027-02-06', -14)).toBe('2027-01-25'); // Saturday 23 January → Monday 25
    expect(templateDeadline('2027-02-06', 0)).toBe('2027-02-08');
    expect(templateDeadline('2027-02-06', 17)).toBe('2027-02-23'); // a Tuesday stays
  });
});
