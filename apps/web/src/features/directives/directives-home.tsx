import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate, type ComplianceReport, type DirectiveSummary, type TaskList, type TaskReminders } from '../../contracts.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { withQuery } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader, LoadMore } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { DirectiveTabs, TaskCards, useIsOffice, useResource } from './directives-bits.js';
import './directives.css';
import { DateField } from '../../components/date-field.js';

function Header() {
  const t = useT();
  const office = useIsOffice();
  return (
    <>
      <PageHeader title={t('section.directives')}>
        {office && (
          <Link className="btn btn-primary" to="/directives/new">
            {t('dir.new')}
          </Link>
        )}
      </PageHeader>
      <p className="muted">{t('dir.intro')}</p>
      <DirectiveTabs />
    </>
  );
}

/** Reminders: due soon and overdue tasks of the user's units, escalations to them, then every open task. */
export function MyTasksPage() {
  const t = useT();
  const reminders = useResource<TaskReminders>('/api/tasks/reminders');
  const all = useResource<TaskList>('/api/tasks?status=active');
  const error = reminders.error ?? all.error;
  return (
    <>
      <Header />
      <ErrorAlert error={error} />
      {!reminders.data ? (
        !error && <Loading />
      ) : (
        <>
          <section aria-labelledby="r-overdue">
            <h2 id="r-overdue">{t('mine.overdue')}</h2>
            <TaskCards tasks={reminders.data.overdue} />
          </section>
          <section aria-labelledby="r-soon">
            <h2 id="r-soon">{t('mine.dueSoon', { days: reminders.data.soonWorkingDays })}</h2>
            <TaskCards tasks={reminders.data.dueSoon} />
          </section>
          {reminders.data.escalated.length > 0 && (
            <section aria-labelledby="r-esc">
              <h2 id="r-esc">{t('mine.escalated')}</h2>
              <TaskCards tasks={reminders.data.escalated} />
            </section>
          )}
          <section aria-labelledby="r-all">
            <h2 id="r-all">{t('mine.all')}</h2>
            {all.data ? <TaskCards tasks={all.data.items} /> : <Loading />}
          </section>
        </>
      )}
    </>
  );
}

export function DirectiveListPage() {
  const t = useT();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<DirectiveSummary>('/api/directives', { q, limit: 50 });
  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(draft ? { q: draft } : {});
  }
  return (
    <>
      <Header />
      <form className="filters" role="search" onSubmit={submit}>
        <div className="field">
          <label htmlFor="dir-q">{t('dir.search')}</label>
          <input id="dir-q" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <div className="form-actions field">
          <button type="submit" className="btn btn-primary">
            {t('common.search')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {items === null ? (
        <Loading />
      ) : (
        <>
          <ul className="task-list">
            {items.length === 0 && <li className="muted">{t('common.none')}</li>}
            {items.map((d) => (
              <li key={d.id} className="task-item">
                <div className="task-item-head">
                  <Link className="task-item-title" to={`/directives/${d.id}`}>
                    {d.number}
                  </Link>
                  <span>{d.title}</span>
                </div>
                <div className="task-meta">
                  <span>
                    {d.issuer}, {formatDate(d.issuedOn, locale)}
                  </span>
                  <span>{t('dir.counts', { onTime: d.counts.onTime, late: d.counts.late, outstanding: d.counts.outstanding })}</span>
                  {d.counts.overdue > 0 && <span className="tip-late">{t('dir.overdueCount', { n: d.counts.overdue })}</span>}
                  {d.nextDeadline && (
                    <span>
                      {t('dir.nextDeadline')}: {formatDate(d.nextDeadline, locale)}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <LoadMore nextCursor={nextCursor} loadingMore={loadingMore} loadMore={loadMore} />
        </>
      )}
    </>
  );
}

export function CompliancePage() {
  const t = useT();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const by = params.get('by') === 'directive' ? 'directive' : 'unit';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState({ by, from, to });
  const { data, error } = useResource<ComplianceReport>(withQuery('/api/directives/compliance', { by, from, to }));
  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
  }
  const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
  return (
    <>
      <Header />
      <form className="filters" onSubmit={submit}>
        <div className="field">
          <label htmlFor="comp-by">{t('comp.by')}</label>
          <select id="comp-by" value={draft.by} onChange={(e) => setDraft({ ...draft, by: e.target.value as 'unit' | 'directive' })}>
            <option value="unit">{t('comp.byUnit')}</option>
            <option value="directive">{t('comp.byDirective')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="comp-from">{t('comp.from')}</label>
          <DateField id="comp-from" value={draft.from} max={draft.to || undefined} onChange={(from) => setDraft({ ...draft, from })} />
        </div>
        <div className="field">
          <label htmlFor="comp-to">{t('comp.to')}</label>
          <DateField id="comp-to" value={draft.to} min={draft.from || undefined} onChange={(to) => setDraft({ ...draft, to })} />
        </div>
        <div className="form-actions field">
          <button type="submit" className="btn btn-primary">
            {t('common.apply')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {!data ? (
        !error && <Loading />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table comp-table">
              <caption className="visually-hidden">{t('comp.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{by === 'unit' ? t('comp.byUnit') : t('comp.byDirective')}</th>
                  <th scope="col" className="num">{t('comp.total')}</th>
                  <th scope="col" className="num">{t('comp.onTime')}</th>
                  <th scope="col" className="num">{t('comp.late')}</th>
                  <th scope="col" className="num">{t('comp.outstanding')}</th>
                  <th scope="col" className="num">{t('comp.overdue')}</th>
                  <th scope="col" className="num">{t('comp.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t('common.none')}
                    </td>
                  </tr>
                )}
                {data.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{by === 'directive' ? <Link to={`/directives/${r.key}`}>{r.label}</Link> : locale === 'vi' ? r.label : r.labelEn}</th>
                    <td className="num">{r.total}</td>
                    <td className="num">{r.onTime}</td>
                    <td className="num">{r.late}</td>
                    <td className="num">{r.outstanding}</td>
                    <td className="num">{r.overdue}</td>
                    <td className="num">{pct(r.onTimeRate)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td>{t('comp.totals')}</td>
                  <td className="num">{data.totals.total}</td>
                  <td className="num">{data.totals.onTime}</td>
                  <td className="num">{data.totals.late}</td>
                  <td className="num">{data.totals.outstanding}</td>
                  <td className="num">{data.totals.overdue}</td>
                  <td className="num">{pct(data.totals.onTime + data.totals.late ? data.totals.onTime / (data.totals.onTime + data.totals.late) : null)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="muted small">{t('comp.note')}</p>
        </>
      )}
    </>
  );
}
