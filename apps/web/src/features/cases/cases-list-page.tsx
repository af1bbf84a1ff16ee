import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CASE_STATUSES, formatDate, formatVnd, type CaseSummary } from '../../contracts.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { withQuery } from '../../api/client.js';
import { ErrorAlert, ErrorSummary } from '../../components/form.js';
import { Loading, PageHeader, unitName, LoadMore } from '../../components/ui.js';
import { DateField } from '../../components/date-field.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { useLocale, useT, type MessageKey } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { CASE_WRITER_ROLES, named, statusName, useCaseReference, useNames } from './reference.js';
import { AccessMarker, StatusBadge } from './case-bits.js';
import './cases.css';

/** The search as it appears in the address bar, so a search can be shared and reloaded. */
const FILTER_KEYS = ['q', 'from', 'to', 'province', 'force', 'category', 'hs', 'route', 'status', 'type', 'minValue', 'maxValue', 'subject', 'unit'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;
/** Shown without opening "more filters". */
const BASIC: readonly FilterKey[] = ['q', 'from', 'to', 'province', 'status'];
const PAGE = 50;

/** Whether the server offers CSV/XLSX export of a search (GET /api/cases/export). */
export const EXPORT_AVAILABLE = true;

function filtersFrom(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

function queryOf(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    let v = f[k].trim();
    // Amounts are typed with thousands separators ("90.000.000"); the API wants digits.
    if (k === 'minValue' || k === 'maxValue') v = v.replace(/[.,\s₫]/g, '');
    if (v) out[k] = v;
  }
  return out;
}

const isPhone = () => typeof window !== 'undefined' && window.matchMedia?.('(max-width: 640px)').matches;

export function CasesListPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const applied = filtersFrom(params);
  const appliedKey = withQuery('', queryOf(applied));
  const [draft, setDraft] = useState<Filters>(applied);
  const hasAdvanced = FILTER_KEYS.some((k) => !BASIC.includes(k) && applied[k]);
  const [moreOpen, setMoreOpen] = useState(() => hasAdvanced || !isPhone());
  const { ref, error: refError } = useCaseReference();
  const names = useNames(ref, locale);
  const canWrite = me.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r));

  // Back/forward and shared links change the address: the form follows it.
  useEffect(() => {
    setDraft(filtersFrom(new URLSearchParams(appliedKey)));
  }, [appliedKey]);

  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<CaseSummary>('/api/cases', { ...Object.fromEntries(new URLSearchParams(appliedKey)), limit: PAGE });

  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(queryOf(draft));
  }

  const set = (k: FilterKey, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const labels: Record<FilterKey, string> = {
    q: t('cases.searchLabel'),
    from: t('cases.from'),
    to: t('cases.to'),
    province: t('cases.province'),
    force: t('cases.force'),
    category: t('cases.category'),
    hs: t('cases.hs'),
    route: t('cases.route'),
    status: t('cases.col.status'),
    type: t('cases.type'),
    minValue: t('cases.minValue'),
    maxValue: t('cases.maxValue'),
    subject: t('cases.subject'),
    unit: t('cases.unit'),
  };
  const input = (k: FilterKey, extra: object = {}) => (
    <div className="field" key={k}>
      <label htmlFor={`cases-${k}`}>{labels[k]}</label>
      <input id={`cases-${k}`} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)} spellCheck={false} {...extra} />
    </div>
  );
  const date = (k: 'from' | 'to') => (
    <div className="field" key={k}>
      <label htmlFor={`cases-${k}`}>{labels[k]}</label>
      <DateField id={`cases-${k}`} name={k} value={draft[k]} onChange={(v) => set(k, v)} />
    </div>
  );
  const select = (k: FilterKey, options: { value: string; label: string }[]) => (
    <div className="field" key={k}>
      <label htmlFor={`cases-${k}`}>{labels[k]}</label>
      <select id={`cases-${k}`} name={k} value={draft[k]} onChange={(e) => set(k, e.target.value)}>
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  const byName = <T extends { code: string; nameVi: string; nameEn: string }>(list: readonly T[] | undefined) => (list ?? []).map((x) => ({ value: x.code, label: named(x, locale) }));
  const appliedQuery = queryOf(applied);
  const activeCount = Object.keys(appliedQuery).length;

  return (
    <>
      <PageHeader title={t('section.cases')}>
        <div className="form-actions">
          {canWrite && (
            <>
              <Link className="btn" to="/cases/import">
                {t('cases.import')}
              </Link>
              <Link className="btn btn-primary" to="/cases/new">
                {t('cases.record')}
              </Link>
            </>
          )}
        </div>
      </PageHeader>
      <form className="card case-search" role="search" aria-label={t('cases.filters')} onSubmit={submit}>
        <div className="case-search-main">
          <div className="field case-q">
            <label htmlFor="cases-q">{labels.q}</label>
            <input id="cases-q" name="q" type="search" value={draft.q} onChange={(e) => set('q', e.target.value)} placeholder={t('cases.searchPlaceholder')} spellCheck={false} />
          </div>
          <button type="submit" className="btn btn-primary">
            {t('common.search')}
          </button>
        </div>
        <div className="case-filters">
          {date('from')}
          {date('to')}
          {select('province', (ref?.provinces ?? []).map((p) => ({ value: p.code, label: p.name })))}
          {select('status', CASE_STATUSES.map((s) => ({ value: s, label: statusName(t, s) })))}
        </div>
        <button type="button" className="link-button" aria-expanded={moreOpen} aria-controls="cases-more" onClick={() => setMoreOpen((o) => !o)}>
          {moreOpen ? t('cases.fewerFilters') : t('cases.moreFilters')}
        </button>
        <div className="case-filters" id="cases-more" hidden={!moreOpen}>
          {select('type', byName(ref?.violationTypes))}
          {select('force', byName(ref?.forces))}
          {select('category', byName(ref?.goods))}
          {select('route', byName(ref?.routes))}
          <div className="field">
            <label htmlFor="cases-unit">{labels.unit}</label>
            <UnitPicker id="cases-unit" units={ref?.units ?? []} value={draft.unit} onChange={(v) => set('unit', v)} emptyLabel={t('common.all')} />
          </div>
          {input('hs', { inputMode: 'numeric' })}
          {input('minValue', { inputMode: 'numeric' })}
          {input('maxValue', { inputMode: 'numeric' })}
          <div className="field">
            <label htmlFor="cases-subject">{labels.subject}</label>
            <input id="cases-subject" name="subject" value={draft.subject} onChange={(e) => set('subject', e.target.value)} spellCheck={false} aria-describedby="cases-subject-hint" />
            <p className="hint" id="cases-subject-hint">
              {t('cases.subjectHint')}
            </p>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t('common.apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(filtersFrom(new URLSearchParams()));
              setParams({});
            }}
          >
            {t('common.reset')}
          </button>
          {activeCount > 0 && <span className="muted small">{t('cases.activeFilters', { n: activeCount })}</span>}
        </div>
      </form>
      <ErrorAlert error={refError} />
      <ErrorSummary error={error} formId="cases" labels={labels} />
      {EXPORT_AVAILABLE && (
        <div className="case-export">
          <a className="btn btn-small" href={withQuery('/api/cases/export', { ...appliedQuery, format: 'csv', locale })} download>
            {t('cases.exportCsv')}
          </a>
          <a className="btn btn-small" href={withQuery('/api/cases/export', { ...appliedQuery, format: 'xlsx', locale })} download>
            {t('cases.exportXlsx')}
          </a>
          <span className="muted small">{t('cases.exportHint')}</span>
        </div>
      )}
      {!items ? (
        <Loading />
      ) : (
        <>
          <p className="muted small" role="status">
            {t('common.shown', { n: items.length })}
          </p>
          <div className="table-wrap case-table-wrap">
            <table className="table case-table">
              <caption className="visually-hidden">{t('cases.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.col.code')}</th>
                  <th scope="col">{t('cases.col.detectedOn')}</th>
                  <th scope="col">{t('cases.col.title')}</th>
                  <th scope="col">{t('cases.col.province')}</th>
                  <th scope="col">{t('cases.col.leadUnit')}</th>
                  <th scope="col" className="num">
                    {t('cases.col.value')}
                  </th>
                  <th scope="col">{t('cases.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t('cases.none')}
                    </td>
                  </tr>
                )}
                {items.map((c) => (
                  <CaseRow key={c.id} c={c} names={names} cell={(k) => t(k)} />
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore nextCursor={nextCursor} loadingMore={loadingMore} loadMore={loadMore} />
        </>
      )}
    </>
  );
}

function CaseRow({ c, names, cell }: { c: CaseSummary; names: ReturnType<typeof useNames>; cell: (k: MessageKey) => string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <tr className={c.access === 'summary' ? 'case-summary-only' : undefined}>
      <td className="nowrap case-code" data-label={cell('cases.col.code')}>
        <Link to={`/cases/${c.id}`}>{c.code}</Link>
        <AccessMarker access={c.access} sensitivity={c.sensitivity} />
      </td>
      <td className="nowrap" data-label={cell('cases.col.detectedOn')}>
        {formatDate(c.detectedOn, locale)}
      </td>
      <td className="case-title" data-label={cell('cases.col.title')}>
        <Link to={`/cases/${c.id}`}>{c.title}</Link>
        <span className="muted small case-type">{names.violationType(c.violationType)}</span>
      </td>
      <td data-label={cell('cases.col.province')}>
        {names.province(c.provinceCode)}
        {c.recordedProvinceCode !== c.provinceCode && (
          <span className="muted small case-recorded-as"> {t('cases.recordedAs', { name: names.province(c.recordedProvinceCode) })}</span>
        )}
      </td>
      <td data-label={cell('cases.col.leadUnit')}>{unitName(c.leadUnit, locale)}</td>
      <td className="num nowrap" data-label={cell('cases.col.value')}>
        {formatVnd(c.goodsValueVnd)}
      </td>
      <td data-label={cell('cases.col.status')}>
        <StatusBadge status={c.status} />
      </td>
    </tr>
  );
}
