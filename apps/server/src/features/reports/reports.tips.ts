import { TIP_REPORT_FIGURES, type TipReportFigureKey, type TipReportFigures } from '@cordon/contracts';
import { compare } from '@cordon/engine';
import { sql, type Db, type RawBuilder } from '@cordon/db';
import type { Period } from './reports.queries.js';

/** Vietnam is UTC+7 all year (no daylight saving): a calendar day there starts at 17:00 UTC the day before. */
const VN_OFFSET = '+07:00';
const startOf = (day: string) => new Date(`${day}T00:00:00${VN_OFFSET}`);
const nextDayStart = (day: string) => new Date(startOf(day).getTime() + 86_400_000);

/**
 * Tip figures for the situation report, for the report's period and its comparison period, in one scan
 * of `tips` (received_at is indexed). The province of a report is the tip's own province; a force's
 * report counts the tips assigned to a unit of that force (tips have no force of their own).
 */
export async function tipFigures(db: Db, scope: { province: string | null; force: string | null }, periods: [Period, Period], now: Date): Promise<TipReportFigures> {
  const windows = periods.map((p) => ({ lo: startOf(p.from), hi: nextDayStart(p.to) }));
  const received = (w: { lo: Date; hi: Date }) => sql`t.received_at >= ${w.lo} AND t.received_at < ${w.hi}`;
  const convertedIn = (w: { lo: Date; hi: Date }) => sql`t.status = 'converted' AND t.concluded_at >= ${w.lo} AND t.concluded_at < ${w.hi}`;
  const cols: RawBuilder<unknown>[] = [];
  windows.forEach((w, i) => {
    const col = (key: TipReportFigureKey, filter: RawBuilder<unknown>) => cols.push(sql`count(*) FILTER (WHERE ${filter})::int AS ${sql.ref(`${key}__${i}`)}`);
    col('received', received(w));
    for (const channel of ['web', 'email', 'hotline'] as const) col(channel, sql`${received(w)} AND t.channel = ${channel}`);
    col('acknowledgedInTime', sql`${received(w)} AND t.acknowledged_at IS NOT NULL AND t.acknowledged_at <= t.acknowledge_by`);
    col('awaitingAcknowledgement', sql`${received(w)} AND t.acknowledged_at IS NULL AND t.acknowledge_by >= ${now}`);
    col('converted', convertedIn(w));
  });
  const where: RawBuilder<unknown>[] = [sql`(${sql.join(windows.map((w) => sql`(${received(w)}) OR (${convertedIn(w)})`), sql` OR `)})`];
  if (scope.province) where.push(sql`t.province_code = ${scope.province}`);
  if (scope.force) where.push(sql`t.assigned_unit_id IN (SELECT id FROM org_units WHERE force_code = ${scope.force})`);
  const { rows } = await sql<Record<string, number>>`SELECT ${sql.join(cols)} FROM tips t WHERE ${sql.join(where, sql` AND `)}`.execute(db.kysely);
  const row = rows[0] ?? {};
  const n = (key: TipReportFigureKey, i: number) => Number(row[`${key}__${i}`] ?? 0);
  const figures = Object.fromEntries(TIP_REPORT_FIGURES.map((k) => [k, compare(n(k, 0), n(k, 1))])) as TipReportFigures['figures'];
  const share = (i: number) => {
    const decided = n('received', i) - n('awaitingAcknowledgement', i);
    return decided > 0 ? n('acknowledgedInTime', i) / decided : null;
  };
  return { figures, acknowledgedInTimeShare: { value: share(0), compareValue: share(1) } };
}

const num = (n: number, locale: 'vi' | 'en') => new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
const pct = (x: number, locale: 'vi' | 'en') => new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x * 100) + '%';

/**
 * The narrative's sentence about tips, in the report's style ("Tiếp nhận 5 tin báo …, bằng 250,00% so
 * với cùng kỳ năm 2024; …"). Empty when the period and its comparison have none.
 */
export function tipNarrative(t: TipReportFigures, comparePeriodName: string, locale: 'vi' | 'en'): string {
  const f = t.figures;
  if (!f.received.value && !f.received.compareValue && !f.converted.value) return '';
  const n = (x: number) => num(x, locale);
  const ratio = f.received.ratio === null ? null : pct(f.received.ratio, locale);
  const share = t.acknowledgedInTimeShare.value === null ? '' : ` (${pct(t.acknowledgedInTimeShare.value, locale)})`;
  const awaiting = f.awaitingAcknowledgement.value;
  if (locale === 'vi') {
    const vs = ratio ? `bằng ${ratio} so với ${comparePeriodName}` : `${comparePeriodName} không có tin báo để so sánh`;
    return [
      `Tiếp nhận ${n(f.received.value)} tin báo của người dân (qua cổng trực tuyến ${n(f.web.value)}, thư điện tử ${n(f.email.value)}, đường dây nóng ${n(f.hotline.value)}), ${vs};`,
      `${n(f.acknowledgedInTime.value)} tin được phản hồi, tiếp nhận xử lý đúng hạn${share}${awaiting ? `, ${n(awaiting)} tin còn trong hạn` : ''};`,
      `${n(f.converted.value)} tin báo đã chuyển thành vụ việc.`,
    ].join(' ');
  }
  const vs = ratio ? `${ratio} of ${comparePeriodName}` : `none to compare with in ${comparePeriodName}`;
  return [
    `${n(f.received.value)} tips from the public were received (${n(f.web.value)} through the web form, ${n(f.email.value)} by e-mail, ${n(f.hotline.value)} by the hotline; ${vs});`,
    `${n(f.acknowledgedInTime.value)} ${f.acknowledgedInTime.value === 1 ? 'was' : 'were'} acknowledged within the deadline${share}${awaiting ? `, ${n(awaiting)} ${awaiting === 1 ? 'is' : 'are'} still within it` : ''};`,
    `${n(f.converted.value)} ${f.converted.value === 1 ? 'was' : 'were'} converted into cases.`,
  ].join(' ');
}

export const TIP_FIGURE_LABELS: Record<TipReportFigureKey, { vi: string; en: string }> = {
  received: { vi: 'Tin báo của người dân đã tiếp nhận', en: 'Tips from the public received' },
  web: { vi: '— Qua cổng trực tuyến', en: '— Through the web form' },
  email: { vi: '— Qua thư điện tử', en: '— By e-mail' },
  hotline: { vi: '— Qua đường dây nóng', en: '— By the hotline' },
  acknowledgedInTime: { vi: 'Tin báo được phản hồi đúng hạn', en: 'Tips acknowledged within the deadline' },
  awaitingAcknowledgement: { vi: 'Tin báo chưa phản hồi, còn trong hạn', en: 'Tips not yet acknowledged, still within the deadline' },
  converted: { vi: 'Tin báo đã chuyển thành vụ việc', en: 'Tips converted into cases' },
};

export const TIP_EXPORT_TEXT = {
  title: { vi: 'Tin báo của người dân', en: 'Tips from the public' },
  share: { vi: 'Tỷ lệ phản hồi đúng hạn', en: 'Share acknowledged within the deadline' },
  note: {
    vi: 'Tin báo tính theo ngày tiếp nhận (giờ Việt Nam); tin chuyển thành vụ việc tính theo ngày chuyển. Tỷ lệ đúng hạn tính trên các tin đã phản hồi hoặc đã quá hạn phản hồi.',
    en: 'Tips count by the day they were received (Vietnam time); conversions by the day of conversion. The on-time share is of the tips acknowledged or past their deadline.',
  },
} as const;

/** The rows an export shows: label, this period, comparison, ratio (or null), change; then the on-time share. */
export function tipExportRows(t: TipReportFigures, locale: 'vi' | 'en') {
  return {
    figures: TIP_REPORT_FIGURES.map((k) => ({ label: TIP_FIGURE_LABELS[k][locale], ...t.figures[k] })),
    share: { label: TIP_EXPORT_TEXT.share[locale], ...t.acknowledgedInTimeShare },
  };
}
