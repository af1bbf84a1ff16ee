/*
 * Dates as people here type them: dd/mm/yyyy (the order of Vietnamese documents, used in both
 * languages), while forms and the API carry yyyy-MM-dd. Pure functions, tested in dates.test.ts.
 */

/** Today in Vietnam (UTC+7 all year), as yyyy-MM-dd. */
export function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function realDate(y: number, m: number, d: number): string | null {
  if (y < 1000 || m < 1 || m > 12 || d < 1) return null;
  // Date.UTC rolls 31/02 over into March: compare back to refuse days that do not exist.
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * What a person typed → yyyy-MM-dd, or null when it is not a real day. Accepts 30/11/2026, 1/2/2026,
 * 30-11-2026, 30.11.2026, 30112026 (digits only, as a phone's number pad allows) and a pasted
 * 2026-11-30. Two-digit years are refused: "26" could be 1926 or 2026.
 */
export function parseDayMonthYear(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return realDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (m) return realDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** yyyy-MM-dd → dd/mm/yyyy; anything else (a half-typed date) is shown as it is. */
export function dayMonthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * Slashes added while typing digits ("30" → "30/", "30/11" → "30/11/"), so a phone's number pad,
 * which has no "/", is enough. Only when the text grew: deleting a slash must not put it back.
 */
export function withTypedSlashes(previous: string, next: string): string {
  if (next.length <= previous.length) return next;
  if (/^\d{2}$/.test(next) || /^\d{1,2}\/\d{2}$/.test(next)) return `${next}/`;
  return next;
}

/**
 * A moment typed as a day (yyyy-MM-dd, from DateField) and a time of day (10:30, 10h30, 1030, 9),
 * read in Vietnam's time (UTC+7, no daylight saving) whatever the browser's time zone → ISO instant.
 * A time alone means today (in Vietnam). Returns a reason instead when the time is missing or not a
 * real time, or the day is not a real day. Both empty is for the caller to decide ("now").
 */
export function vietnamMoment(day: string, time: string, today = todayInVietnam()): { iso: string } | { reason: 'required' | 'invalid_format' } {
  const t = time.replace(/\s+/g, '');
  if (!t) return { reason: 'required' };
  const m = /^(\d{1,2})(?:[:h.]?(\d{2}))?$/.exec(t);
  if (!m || Number(m[1]) > 23 || Number(m[2] ?? '0') > 59) return { reason: 'invalid_format' };
  const date = day || today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { reason: 'invalid_format' };
  const hhmm = `${m[1]!.padStart(2, '0')}:${m[2] ?? '00'}`;
  return { iso: new Date(`${date}T${hhmm}:00+07:00`).toISOString() };
}
