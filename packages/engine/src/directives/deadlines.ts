/**
 * Deadlines of directive tasks, in Vietnam's calendar. A deadline is a date: the task is due by the end
 * of that day in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving), i.e. overdue from 00:00 the next
 * day there (17:00 UTC on the deadline date). "Due soon" counts working days (Monday to Friday; public
 * holidays are not known here) between today in Vietnam and the deadline. Pure: dates in, dates out.
 */

/** Vietnam is UTC+7 all year (no daylight saving since 1975). */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar date ('yyyy-MM-dd') in Vietnam at an instant. */
export function vietnamDateOf(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

function toUtcMidnight(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a yyyy-MM-dd date: "${date}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** date + n calendar days (n may be negative). */
export function addCalendarDays(date: string, n: number): string {
  return new Date(toUtcMidnight(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant at which a task with this deadline is overdue: 00:00 in Vietnam the next day. */
export function dueInstant(deadline: string): Date {
  return new Date(toUtcMidnight(deadline) + DAY_MS - VIETNAM_OFFSET_MS);
}

/** Overdue from the first instant after the deadline day ends in Vietnam. */
export function isPastDeadline(deadline: string, at: Date): boolean {
  return at.getTime() >= dueInstant(deadline).getTime();
}

/** Monday to Friday. 0 = Sunday in getUTCDay. */
export function isWorkingDay(date: string): boolean {
  const d = new Date(toUtcMidnight(date)).getUTCDay();
  return d !== 0 && d !== 6;
}

/** A Saturday or Sunday moves to the following Monday; a working day stays. */
export function nextWorkingDay(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addCalendarDays(d, 1);
  return d;
}

/** The date n working days after `date` (n ≥ 0; 0 gives `date` itself even on a weekend). */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a whole number ≥ 0, got ${n}`);
  let d = date;
  for (let left = n; left > 0; ) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/**
 * Working days left before a deadline: the working days after `today` up to and including the
 * deadline. Friday → next Monday is 1; Thursday → Saturday is 1 (only Friday is left to work);
 * today → today is 0; a past deadline gives a negative count of working days since.
 */
export function workingDaysLeft(today: string, deadline: string): number {
  if (deadline === today) return 0;
  const forward = deadline > today;
  const [from, to] = forward ? [today, deadline] : [deadline, today];
  let n = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) n++;
  return forward ? n : -n;
}

export type DeadlineState = 'overdue' | 'due_soon' | 'later';

/**
 * Where a deadline stands at an instant: overdue once the deadline day has ended in Vietnam; due soon
 * when at most `soonWorkingDays` working days are left (the deadline day itself counts as 0 left).
 */
export function deadlineState(deadline: string, at: Date, soonWorkingDays: number): DeadlineState {
  if (isPastDeadline(deadline, at)) return 'overdue';
  return workingDaysLeft(vietnamDateOf(at), deadline) <= soonWorkingDays ? 'due_soon' : 'later';
}

/**
 * A template step's deadline: the anchor date (e.g. the first day of Lunar New Year) plus the step's
 * offset in calendar days (negative before it), moved to the next working day when it lands on a weekend.
 */
export function templateDeadline(anchor: string, offsetDays: number): string {
  return nextWorkingDay(addCalendarDays(anchor, offsetDays));
}
