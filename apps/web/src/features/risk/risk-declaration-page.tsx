import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, request } from '../../api/client.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { dayMonthYear, todayInVietnam } from '../../components/dates.js';
import { ClientIssues, ErrorSummary, Field, ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { useT } from '../../i18n/i18n.js';
import { groupVnd } from '../cases/reference.js';
import { ChannelBadge, ReasonList, type RiskDeclarationView, type RiskMappingView, columnValue, scoreText, typedRevenue, valueClass } from './risk-bits.js';
import './risk.css';

/** One declaration: its fields, latest channel with the explanation, and the inspection outcome form. */
export function RiskDeclarationPage() {
  const t = useT();
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const [d, setD] = useState<RiskDeclarationView | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The mapping says which columns are numbers: those are shown as numbers (1.234,5), codes as typed.
  const [numeric, setNumeric] = useState<ReadonlySet<string>>(new Set());
  // …and which one is the date: shown as the day it was read as (dd/mm/yyyy), not the file's text.
  const [dateColumn, setDateColumn] = useState<string | null>(null);
  const load = useCallback(() => {
    api.get<RiskDeclarationView>(`/api/risk/declarations/${id}`).then(setD, setError);
  }, [id]);
  useEffect(load, [load]);
  const mappingId = d?.mappingId;
  useEffect(() => {
    if (!mappingId) return;
    api.get<{ items: RiskMappingView[] }>('/api/risk/mappings').then((r) => {
      const m = r.items.find((x) => x.id === mappingId)?.mapping;
      setNumeric(new Set(m?.numeric ?? []));
      setDateColumn(m?.date ?? null);
    }, () => undefined);
  }, [mappingId]);
  if (error && !d) {
    return (
      <>
        <PageHeader title={t('risk.declaration')} />
        <ErrorAlert error={error} />
      </>
    );
  }
  if (!d) return <Loading />;
  const s = d.latestScore;
  return (
    <>
      <PageHeader title={t('risk.declarationRef', { ref: d.ref })}>
        {/* Back to the list as it was (mapping, filters, scroll), not to the first mapping's dashboard. */}
        {location.key !== 'default' ? (
          <button type="button" className="btn" onClick={() => void navigate(-1)}>{t('risk.back')}</button>
        ) : (
          <Link className="btn" to="/risk?tab=scored">{t('risk.back')}</Link>
        )}
      </PageHeader>
      <div className="grid-2">
        <div className="card">
          <h2>{t('risk.detail.channel')}</h2>
          {s ? (
            <>
              <p>
                <ChannelBadge channel={s.channel} t={t} /> <span className="muted">{t('risk.detail.score', { score: scoreText(s.score), by: t(`risk.selectedBy.${s.selectedBy}`) })}</span>
              </p>
              <h3>{t('risk.why')}</h3>
              <ReasonList reasons={s.reasons} selectedBy={s.selectedBy} t={t} numeric={numeric} />
              <p className="hint">{t('risk.detail.reasonsHint')}</p>
            </>
          ) : (
            <p className="muted">{t('risk.notScored')}</p>
          )}
        </div>
        <OutcomeForm d={d} onSaved={load} />
      </div>
      <div className="card">
        <h2>{t('risk.detail.fields')}</h2>
        <dl className="risk-fields">
          {Object.entries(d.fields).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className={valueClass(v)}>{k === dateColumn && d.declaredOn ? dayMonthYear(d.declaredOn) : columnValue(k, v, numeric)}</dd>
            </div>
          ))}
        </dl>
      </div>
    </>
  );
}

function OutcomeForm({ d, onSaved }: { d: RiskDeclarationView; onSaved: () => void }) {
  const t = useT();
  const o = d.outcome;
  const [found, setFound] = useState(o ? (o.found ? '1' : '0') : '');
  const [violationType, setViolationType] = useState(o?.violationType ?? '');
  // Typed the Vietnamese way (25.000.000) and regrouped when left; a number input read "25.000.000" as 25.
  const [revenue, setRevenue] = useState(o?.revenueVnd ? groupVnd(String(o.revenueVnd)) : '');
  const [inspectedOn, setInspectedOn] = useState(o?.inspectedOn ?? '');
  const [note, setNote] = useState(o?.note ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const revenueVnd = typedRevenue(revenue);
    if (revenueVnd === null) {
      setError(new ClientIssues([{ field: 'revenueVnd', reason: 'invalid_format', message: 'not a whole number of dong' }]));
      return;
    }
    try {
      await request('PUT', `/api/risk/declarations/${d.id}/outcome`, {
        found: found === '1', violationType: violationType || null, revenueVnd, inspectedOn: inspectedOn || null, note: note || null, ...(o ? { version: o.version } : {}),
      });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  const f = 'risk-outcome';
  return (
    <form className="card" id={f} onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('risk.outcome')}</h2>
      <ErrorSummary error={error} formId={f} labels={{ found: t('risk.outcome.result'), revenueVnd: t('risk.outcome.revenue'), inspectedOn: t('risk.outcome.inspectedOn') }} reasons={{ inspectedOn: DATE_REASONS }} />
      {saved && <p className="alert alert-success" role="status">{t('common.saved')}</p>}
      <Field formId={f} name="found" label={t('risk.outcome.result')} error={error}>
        {(p) => (
          <select {...p} value={found} onChange={(e) => setFound(e.target.value)} required>
            <option value="" disabled>—</option>
            <option value="1">{t('risk.outcome.found')}</option>
            <option value="0">{t('risk.outcome.notFound')}</option>
          </select>
        )}
      </Field>
      <Field formId={f} name="violationType" label={t('risk.outcome.violationType')} error={error}>
        {(p) => <input {...p} value={violationType} onChange={(e) => setViolationType(e.target.value)} maxLength={100} />}
      </Field>
      <Field formId={f} name="revenueVnd" label={t('risk.outcome.revenue')} error={error}>
        {(p) => <input {...p} inputMode="numeric" value={revenue} placeholder="0" onChange={(e) => setRevenue(e.target.value)} onBlur={() => setRevenue(groupVnd(revenue))} />}
      </Field>
      <Field formId={f} name="inspectedOn" label={t('risk.outcome.inspectedOn')} error={error} reasons={DATE_REASONS}>
        {(p) => <DateField {...p} value={inspectedOn} max={todayInVietnam()} onChange={setInspectedOn} />}
      </Field>
      <Field formId={f} name="note" label={t('risk.outcome.note')} error={error}>
        {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={found === ''}>{t('risk.outcome.save')}</button>
      </div>
    </form>
  );
}
