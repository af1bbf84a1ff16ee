import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { formatDateTime, type TipReminder, type TipReminders } from '../../contracts.js';
import { api } from '../../api/client.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { useCaseReference, useNames } from '../cases/reference.js';
import { TIP_WORKER_ROLES } from './tip-bits.js';
import './tips.css';

/** How often the shell asks again while a page stays open, in ms (deadlines are in days; minutes are plenty). */
const REFRESH_MS = 5 * 60_000;

/**
 * The deadline reminders of the user's scope, read again on every navigation and every few minutes.
 * Null until the first answer, and for users who do not work the tip queue (no request is made).
 */
export function useTipReminders(): TipReminders | null {
  const me = useMe();
  const { pathname } = useLocation();
  const works = me.roles.some((r) => (TIP_WORKER_ROLES as readonly string[]).includes(r));
  const [data, setData] = useState<TipReminders | null>(null);
  useEffect(() => {
    if (!works) return;
    let cancelled = false;
    const read = () =>
      api.get<TipReminders>('/api/tips/reminders').then(
        (r) => !cancelled && setData(r),
        () => undefined, // a reminder badge that fails stays as it was; the queue shows errors
      );
    void read();
    const timer = setInterval(() => void read(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [works, pathname]);
  return works ? data : null;
}

/** The count beside "Tips" in the navigation: overdue plus due within a day; red when any is overdue. */
export function TipRemindersBadge() {
  const t = useT();
  const r = useTipReminders();
  if (!r) return null;
  const n = r.overdue.count + r.dueSoon.count;
  if (!n) return null;
  const label = t('reminders.badge', { overdue: r.overdue.count, soon: r.dueSoon.count });
  return (
    <span className={r.overdue.count ? 'nav-badge nav-badge-alert' : 'nav-badge'} title={label} data-testid="tip-reminders-badge">
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

function ReminderList({ items, count }: { items: TipReminder[]; count: number }) {
  const t = useT();
  const locale = useLocale();
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);
  return (
    <>
      <ul className="reminder-list">
        {items.map((x) => (
          <li key={x.id}>
            <Link to={`/tips/${x.id}`} className="tip-receipt-link">
              {x.receipt}
            </Link>{' '}
            <span>{t(x.deadline === 'acknowledge' ? 'reminders.acknowledgeBy' : 'reminders.concludeBy', { time: formatDateTime(x.due, locale) })}</span>
            {x.provinceCode && <span className="muted small"> · {names.province(x.provinceCode)}</span>}
            {x.claimedBy && <span className="muted small"> · {t('tips.claimedBy', { user: x.claimedByName ?? x.claimedBy })}</span>}
          </li>
        ))}
      </ul>
      {count > items.length && <p className="muted small">{t('reminders.more', { n: count - items.length })}</p>}
    </>
  );
}

/** On the queue page: what is overdue and what falls due within a day, most urgent first. */
export function TipRemindersPanel() {
  const t = useT();
  const r = useTipReminders();
  if (!r || r.overdue.count + r.dueSoon.count === 0) return null;
  return (
    <section className={r.overdue.count ? 'alert alert-warning reminders' : 'alert alert-info reminders'} aria-labelledby="reminders-title" id="reminders">
      <h2 id="reminders-title" className="alert-title">
        {t('reminders.title')}
      </h2>
      {r.overdue.count > 0 && (
        <>
          <h3>{t('reminders.overdue', { n: r.overdue.count })}</h3>
          <ReminderList items={r.overdue.items} count={r.overdue.count} />
        </>
      )}
      {r.dueSoon.count > 0 && (
        <>
          <h3>{t('reminders.dueSoon', { n: r.dueSoon.count, hours: r.withinHours })}</h3>
          <ReminderList items={r.dueSoon.items} count={r.dueSoon.count} />
        </>
      )}
    </section>
  );
}
