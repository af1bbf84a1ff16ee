import { useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, formatDateTime, formatNumber, type AuditEntryView, type AuditVerifyResult } from '../../contracts.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { api } from '../../api/client.js';
import { DateField } from '../../components/date-field.js';
import { ErrorSummary, errorText } from '../../components/form.js';
import { Loading, PageHeader, LoadMore } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { AUDIT_ACTION_LABELS, auditActionLabel, auditDetailLines } from './audit-labels.js';
import './audit.css';

interface Filters {
  from: string;
  to: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  outcome: string;
}
const EMPTY: Filters = { from: '', to: '', actor: '', action: '', entityType: '', entityId: '', outcome: '' };
const PAGE = 100;

/** Date inputs give calendar days; the API wants instants. Days are Vietnam days (UTC+7). */
function toQuery(f: Filters) {
  return {
    from: f.from ? `${f.from}T00:00:00+07:00` : undefined,
    to: f.to ? `${f.to}T23:59:59.999+07:00` : undefined,
    actor: f.actor.trim(),
    action: f.action.trim(),
    entityType: f.entityType.trim(),
    entityId: f.entityId.trim(),
    outcome: f.outcome,
    limit: PAGE,
  };
}

function VerifyPanel() {
  const t = useT();
  const locale = useLocale();
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<AuditVerifyResult>('/api/audit/verify'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card verify" aria-labelledby="verify-title">
      <div>
        <h2 id="verify-title">{t('audit.verifyTitle')}</h2>
        <p className="muted small">{t('audit.verifyText')}</p>
      </div>
      <button type="button" className="btn btn-primary" onClick={() => void verify()} disabled={busy}>
        {busy ? t('audit.verifying') : t('audit.verify')}
      </button>
      <div role="status" className="verify-result">
        {result?.ok && (
          <p className="alert alert-success">
            {t('audit.verifyOk', { n: formatNumber(result.checked, locale) })}
            {result.headHash && (
              <>
                {' '}
                <span className="small">
                  {t('audit.head')}: <code>{result.headHash.slice(0, 16)}…</code>
                </span>
              </>
            )}
          </p>
        )}
        {result && !result.ok && (
          <p className="alert alert-error">
            {result.firstBroken
              ? t('audit.verifyBroken', { seq: result.firstBroken.seq, reason: t(`audit.broken.${result.firstBroken.reason}`), n: formatNumber(result.checked, locale) })
              : t('audit.verifyFailed')}
          </p>
        )}
        {error ? <p className="alert alert-error">{errorText(t, error)}</p> : null}
      </div>
    </section>
  );
}

export function AuditPage() {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<AuditEntryView>('/api/audit', toQuery(applied));

  function submit(e: FormEvent) {
    e.preventDefault();
    setApplied({ ...draft });
  }

  const labels = {
    from: t('audit.from'),
    to: t('audit.to'),
    actor: t('audit.actor'),
    action: t('audit.action'),
    entityType: t('audit.entityType'),
    entityId: t('audit.entityId'),
    outcome: t('audit.outcome'),
  };
  const text = (k: keyof Filters, extra: object = {}) => (
    <div className="field">
      <label htmlFor={`audit-${k}`}>{labels[k]}</label>
      <input id={`audit-${k}`} value={draft[k]} onChange={(e) => set(k, e.target.value)} spellCheck={false} {...extra} />
    </div>
  );

  return (
    <>
      <PageHeader title={t('section.audit')} />
      <VerifyPanel />
      <form className="card filters audit-filters" role="search" onSubmit={submit} aria-label={t('audit.filters')}>
        {(['from', 'to'] as const).map((k) => (
          // dd/mm/yyyy as everywhere else (a native date input follows the browser's language, not the page's)
          <div className="field" key={k}>
            <label htmlFor={`audit-${k}`}>{labels[k]}</label>
            <DateField id={`audit-${k}`} value={draft[k]} onChange={(v) => set(k, v)} />
          </div>
        ))}
        {text('actor', { autoCapitalize: 'none' })}
        {text('action', { placeholder: 'auth.', list: 'audit-action-codes' })}
        {/* The filter takes a code or its start (`tip.`); the list offers each code with its label. */}
        <datalist id="audit-action-codes">
          {Object.entries(AUDIT_ACTION_LABELS).map(([code, l]) => (
            <option key={code} value={code} label={l[locale]} />
          ))}
        </datalist>
        {text('entityType')}
        {text('entityId')}
        <div className="field">
          <label htmlFor="audit-outcome">{labels.outcome}</label>
          <select id="audit-outcome" value={draft.outcome} onChange={(e) => set('outcome', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t('common.apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            {t('common.reset')}
          </button>
        </div>
      </form>
      <ErrorSummary error={error} formId="audit" labels={labels} />
      {!items ? (
        <Loading />
      ) : (
        <>
          <p className="muted small" role="status">
            {t('common.shown', { n: items.length })} · {t('audit.timeZone')}
          </p>
          <div className="table-wrap">
            <table className="table audit-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('audit.time')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.entity')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                  <th scope="col">{t('audit.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t('common.none')}
                    </td>
                  </tr>
                )}
                {items.map((a) => (
                  <tr key={a.seq}>
                    <td className="num">{a.seq}</td>
                    <td className="nowrap">{formatDateTime(a.at, locale)}</td>
                    <td>{a.actorUsername ? <code>{a.actorUsername}</code> : <span className="muted">{t('audit.system')}</span>}</td>
                    <td>
                      {auditActionLabel(a.action, locale)}
                      <br />
                      <code className="muted small">{a.action}</code>
                    </td>
                    <td>
                      {a.entityType ? (
                        <>
                          {a.entityType}
                          {a.entityId && <code className="entity-id"> {a.entityId}</code>}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <span className={`outcome outcome-${a.outcome}`}>{t(`outcome.${a.outcome}`)}</span>
                    </td>
                    <td>
                      {Object.keys(a.detail).length > 0 && (
                        <ul className="audit-detail">
                          {auditDetailLines(a.detail, locale).map((d) => (
                            <li key={d.key}>
                              <span className="muted">{d.key}:</span> {d.value}
                            </li>
                          ))}
                        </ul>
                      )}
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
