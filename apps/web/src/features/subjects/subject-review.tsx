import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { ErrorSummary, ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader, unitName } from '../../components/ui.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { formatDate, formatNumber, type ProposalDecision, type ProposalList, type ProposalRecord, type SubjectProposal } from '../../contracts.js';
import { roleText, SubjectsTabs } from './subjects-home.js';
import './subjects.css';

const FIELDS = ['fullName', 'familyName', 'middleName', 'givenName', 'name', 'dob', 'phone', 'address', 'idNumber', 'taxCode', 'plate'] as const;
function fieldName(t: Translate, field: string) {
  return (FIELDS as readonly string[]).includes(field) ? t(`subjects.field.${field as (typeof FIELDS)[number]}`) : field;
}

/** /subjects/review: fuzzy matches waiting for an analyst, strongest first, one card each. */
export function ReviewQueuePage() {
  const t = useT();
  const [data, setData] = useState<ProposalList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ text: string; subjectId: string | null } | null>(null);
  const load = useCallback(() => {
    setError(null);
    api.get<ProposalList>('/api/subjects/proposals', { limit: 20 }).then(setData, setError);
  }, []);
  useEffect(load, [load]);
  return (
    <>
      <PageHeader title={t('subjects.title')} />
      <SubjectsTabs />
      <p className="muted">{t('subjects.review.intro')}</p>
      {done && (
        <p className="alert alert-success" role="status">
          {done.text} {done.subjectId && <Link to={`/subjects/${done.subjectId}`}>{t('subjects.review.openMerged')}</Link>}
        </p>
      )}
      <ErrorAlert error={error} />
      {!data && error === null && <Loading />}
      {data && (data.items.length ? <p><strong>{t('subjects.review.total', { n: data.total })}</strong></p> : <p className="muted">{t('subjects.review.none')}</p>)}
      {data?.items.map((p) => (
        <ProposalCard key={p.id} p={p} onDecided={(msg) => {
          setDone(msg);
          // the decided card goes at once; the reload brings the next ones and the new total
          setData((d) => d && { items: d.items.filter((x) => x.id !== p.id), total: d.total - 1 });
          load();
        }} />
      ))}
    </>
  );
}

function RecordColumn({ r, title }: { r: ProposalRecord; title: string }) {
  const t = useT();
  const locale = useLocale();
  const rows: [string, string | null][] = [
    [t('subjects.identifier.ID'), r.idNumber],
    [t('subjects.identifier.TAX'), r.taxCode],
    [t('subjects.identifier.PLATE'), r.plate],
    [t('subjects.identifier.PHONE'), r.phone],
    [t('subjects.review.dob'), r.dateOfBirth && formatDate(r.dateOfBirth)],
    [t('subjects.review.address'), r.address],
  ];
  return (
    <div className="proposal-record">
      <h3>{title}</h3>
      <p className="proposal-name">{r.name}</p>
      <p className="muted small">
        {t('subjects.review.recordedBy', { unit: unitName({ nameVi: r.unitNameVi, nameEn: r.unitNameEn }, locale) })} · <Link to={`/cases/${r.caseId}`}>{r.caseCode}</Link> · {formatDate(r.detectedOn)} · {roleText(t, r.role)}
      </p>
      <dl className="proposal-fields">
        {rows.filter(([, v]) => v).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <Link className="small" to={`/subjects/${r.subjectId}`}>{t('subjects.watch.subject')} →</Link>
    </div>
  );
}

function ProposalCard({ p, onDecided }: { p: SubjectProposal; onDecided: (message: { text: string; subjectId: string | null }) => void }) {
  const t = useT();
  const locale = useLocale();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = `proposal-${p.id}`;
  const decide = (decision: 'confirm' | 'reject') => (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    setBusy(true);
    api.post<ProposalDecision>(`/api/subjects/proposals/${p.id}/decide`, { decision, reason, version: p.version }).then(
      (r) => onDecided(r.status === 'confirmed' ? { text: t('subjects.review.confirmed', { name: p.left.name }), subjectId: r.subjectId } : { text: t('subjects.review.rejected'), subjectId: null }),
      (err) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return (
    <section className="card proposal" aria-label={`${p.left.name} / ${p.right.name}`} data-testid="proposal">
      <p className="proposal-score">
        <span className="chip">{t(`subjectKind.${p.kind}`)}</span> <strong>{t('subjects.review.score', { score: Math.round(p.score * 100) })}</strong>{' '}
        <span className="muted">({t('subjects.bits', { bits: formatNumber(p.weightBits, locale, 1) })})</span>
      </p>
      <div className="proposal-pair">
        <RecordColumn r={p.left} title={t('subjects.review.left')} />
        <RecordColumn r={p.right} title={t('subjects.review.right')} />
      </div>
      <h3>{t('subjects.review.fields')}</h3>
      <div className="table-wrap">
        <table className="table proposal-reasons">
          <thead>
            <tr>
              <th>{t('subjects.review.field')}</th>
              <th>{t('subjects.review.left')}</th>
              <th>{t('subjects.review.right')}</th>
              <th>{t('subjects.review.outcome')}</th>
              <th>{t('subjects.review.weight')}</th>
            </tr>
          </thead>
          <tbody>
            {p.reasons.map((r) => (
              <tr key={r.field} className={`reason-${r.outcome.replace(' ', '-')}`}>
                <td data-label={t('subjects.review.field')}>{fieldName(t, r.field)}</td>
                <td data-label={t('subjects.review.left')}>{r.left ?? '—'}</td>
                <td data-label={t('subjects.review.right')}>{r.right ?? '—'}</td>
                <td data-label={t('subjects.review.outcome')}>{t(`subjects.outcome.${r.outcome}`)}</td>
                <td data-label={t('subjects.review.weight')} className="num">{t('subjects.bits', { bits: (r.weight > 0 ? '+' : '') + formatNumber(r.weight, locale, 1) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form id={formId} onSubmit={decide('confirm')}>
        <ErrorSummary error={error} formId={formId} labels={{ reason: t('subjects.review.reason') }} />
        <label htmlFor={`${formId}-reason`}>{t('subjects.review.reason')}</label>
        <input id={`${formId}-reason`} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="proposal-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>{t('subjects.review.confirm')}</button>
          <button className="btn" type="button" disabled={busy} onClick={() => decide('reject')()}>{t('subjects.review.reject')}</button>
        </div>
      </form>
    </section>
  );
}
