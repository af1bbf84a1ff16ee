import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatDateTime, type TipSummary } from '../../contracts.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { withQuery } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader, unitName, LoadMore } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { named, useCaseReference, useNames } from '../cases/reference.js';
import { TIP_CHANNEL_LIST, TIP_STATUS_LIST, TipMarkers, TipStatusBadge, isTipTriage } from './tip-bits.js';
import { useMe } from '../../session/session.js';
import { TipRemindersPanel } from './tip-reminders.js';
import '../cases/cases.css';
import './tips.css';

const FILTER_KEYS = ['channel', 'province', 'category', 'status', 'overdue', 'mine', 'duplicateGroup'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;
const PAGE = 50;

function filtersFrom(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

/** "open" is a pseudo-status in the picker: new, acknowledged or in progress. */
function apiQuery(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k]) out[k] = f[k];
  if (out.status === 'open') {
    delete out.status;
    out.open = 'true';
  }
  return out;
}

export function TipsQueuePage() {
  const t = useT();
  const locale = useLocale();
  const triage = isTipTriage(useMe().roles);
  const [params, setParams] = useSearchParams();
  const applied = filtersFrom(params);
  const appliedKey = withQuery('', apiQuery(applied));
  const [draft, setDraft] = useState<Filters>(applied);
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);

  const paramsKey = params.toString();
  useEffect(() => {
    setDraft(filtersFrom(new URLSearchParams(paramsKey)));
  }, [paramsKey]);

  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<TipSummary>('/api/tips', { ...Object.fromEntries(new URLSearchParams(appliedKey)), limit: PAGE });

  const clean = (f: Filters) => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Record<string, string>;
  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(clean(draft));
  }
  const set = (k: FilterKey, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const provinces = [...(ref?.provinces ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'));

  return (
    <>
      <PageHeader title={t('section.tips')}>
        {/* An officer of the unit a tip is routed to works it; routing and hotline calls are triage's. */}
        {triage && (
          <div className="form-actions">
            <Link className="btn" to="/tips/routing">
              {t('routing.title')}
            </Link>
            <Link className="btn btn-primary" to="/tips/hotline">
              {t('tips.recordHotline')}
            </Link>
          </div>
        )}
      </PageHeader>
      <p className="muted">{triage ? t('tips.intro') : t('tips.introAssignee')}</p>
      <TipRemindersPanel />

      <form className="filters tips-filters" onSubmit={submit} role="search" aria-label={t('tips.filters')}>
        <div className="field">
          <label htmlFor="tf-channel">{t('tips.channel')}</label>
          <select id="tf-channel" value={draft.channel} onChange={(e) => set('channel', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {TIP_CHANNEL_LIST.map((c) => (
              <option key={c} value={c}>
                {t(`tipChannel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tf-province">{t('tips.province')}</label>
          <select id="tf-province" value={draft.province} onChange={(e) => set('province', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tf-category">{t('tips.category')}</label>
          <select id="tf-category" value={draft.category} onChange={(e) => set('category', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(ref?.goods ?? []).map((g) => (
              <option key={g.code} value={g.code}>
                {named(g, locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tf-status">{t('common.status')}</label>
          <select id="tf-status" value={draft.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('common.all')}</option>
            <option value="open">{t('tips.openOnly')}</option>
            {TIP_STATUS_LIST.map((s) => (
              <option key={s} value={s}>
                {t(`tipStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field tips-checks">
          <label className="check">
            <input type="checkbox" checked={draft.overdue === 'true'} onChange={(e) => set('overdue', e.target.checked ? 'true' : '')} />
            {t('tips.overdueOnly')}
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.mine === 'true'} onChange={(e) => set('mine', e.target.checked ? 'true' : '')} />
            {t('tips.mineOnly')}
          </label>
        </div>
        <div className="form-actions field">
          <button type="submit" className="btn btn-primary">
            {t('common.apply')}
          </button>
          <button type="button" className="btn" onClick={() => setParams({})}>
            {t('common.reset')}
          </button>
        </div>
      </form>
      {applied.duplicateGroup && (
        <p className="alert alert-info" role="status">
          {t('tips.groupShown')}{' '}
          <button type="button" className="btn btn-small" onClick={() => setParams(clean({ ...applied, duplicateGroup: '' }))}>
            {t('tips.groupClear')}
          </button>
        </p>
      )}
      <ErrorAlert error={error} />
      {items === null ? (
        <Loading />
      ) : (
        <>
          <p className="muted small" role="status">
            {t('common.shown', { n: items.length })}
          </p>
          <div className="table-wrap">
            <table className="table tips-table">
              <caption className="visually-hidden">{t('tips.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tips.col.receipt')}</th>
                  <th scope="col">{t('tips.col.received')}</th>
                  <th scope="col">{t('tips.col.what')}</th>
                  <th scope="col">{t('tips.col.where')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('tips.col.handling')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={6} className="empty">
                      {t('common.none')}
                    </td>
                  </tr>
                )}
                {items.map((tip) => (
                  <tr key={tip.id} className={tip.overdue ? 'tip-row-overdue' : undefined}>
                    <td data-label={t('tips.col.receipt')}>
                      <Link to={`/tips/${tip.id}`} className="tip-receipt-link">
                        {tip.receipt}
                      </Link>
                      <div className="muted small">{t(`tipChannel.${tip.channel}`)}</div>
                    </td>
                    <td className="nowrap" data-label={t('tips.col.received')}>
                      {formatDateTime(tip.receivedAt, locale)}
                      {tip.occurredOn && <div className="muted small">{t('tips.seenOn', { date: formatDate(tip.occurredOn, locale) })}</div>}
                    </td>
                    <td data-label={t('tips.col.what')}>
                      {tip.category && <strong className="small">{names.goods(tip.category)} · </strong>}
                      <span className="tip-excerpt">{tip.subject ?? tip.excerpt}</span>
                      {tip.attachments > 0 && <span className="muted small"> · {t('tips.attachmentsCount', { n: tip.attachments })}</span>}
                    </td>
                    <td data-label={t('tips.col.where')}>{tip.provinceCode ? names.province(tip.provinceCode) : <span className="muted">—</span>}</td>
                    <td data-label={t('common.status')}>
                      <TipStatusBadge status={tip.status} />
                      <TipMarkers tip={tip} onDuplicates={() => setParams({ duplicateGroup: tip.duplicateGroupId })} />
                    </td>
                    <td data-label={t('tips.col.handling')}>
                      {tip.assignedUnit ? unitName(tip.assignedUnit, locale) : tip.proposedUnit ? <span className="muted">{t('tips.proposed', { unit: unitName(tip.proposedUnit, locale) })}</span> : <span className="muted">—</span>}
                      {tip.status === 'new' && <div className="muted small">{t('tips.ackBy', { time: formatDateTime(tip.acknowledgeBy, locale) })}</div>}
                    </td>
                  </tr>
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
