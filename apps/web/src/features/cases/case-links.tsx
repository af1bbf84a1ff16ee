import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatDate, formatDateTime, formatPercent, type CaseLinkView } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ErrorSummary, Field } from '../../components/form.js';
import { unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { defaultLeadUnitId } from './joint-lead.js';

/** Tells the navigation's proposals badge to count again (a decision on the queue page or a case page). */
export const JOINT_QUEUE_CHANGED = 'cordon:joint-queue-changed';
export function jointQueueChanged() {
  window.dispatchEvent(new Event(JOINT_QUEUE_CHANGED));
}

/**
 * Joint-case proposals: the same seizure recorded by two forces. Hidden when the server has no links
 * route (404) or nothing to propose.
 */
export function CaseLinks({ caseId, onDecided }: { caseId: string; /** A link was confirmed or rejected: the case's own facts changed (counted, coordinating units). */ onDecided?: () => void }) {
  const t = useT();
  const [items, setItems] = useState<CaseLinkView[] | null>(null);
  const [tick, setTick] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.get<{ items: CaseLinkView[] }>(`/api/cases/${caseId}/links`).then(
      (r) => !cancelled && setItems(r.items),
      (e: unknown) => {
        // 404: no such route on this server, or a summary-only reader; either way nothing to show.
        if (!cancelled) setItems(e instanceof ApiError && (e.status === 404 || e.status === 403) ? [] : []);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [caseId, tick]);
  if (!items || items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="case-links">
      <h2 id="case-links">{t('links.title')}</h2>
      <p className="muted small">{t('links.intro')}</p>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {items.map((l) => (
        <LinkItem
          key={l.id}
          link={l}
          onChanged={(message, decided) => {
            setFlash(message);
            setTick((n) => n + 1);
            jointQueueChanged();
            if (decided) onDecided?.();
          }}
        />
      ))}
    </section>
  );
}

/**
 * One proposal or decision. On a case page the page's case comes first and the item names the other; in
 * the proposals queue (`both`) it names both cases (the user's own side first). `mayDecide: false` hides
 * the actions (the queue knows it; on a case page the server refuses instead). When the server says the
 * user confirms alone (`confirmsAlone`: the province's coordinator), the hints say so instead of asking
 * for both sides.
 */
export function LinkItem({
  link,
  onChanged,
  both = false,
  mayDecide = true,
}: {
  link: CaseLinkView;
  onChanged: (message: string, decided: boolean, next: CaseLinkView) => void;
  both?: boolean;
  mayDecide?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const [, other] = link.cases;
  const leads = [...new Map(link.cases.map((c) => [c.leadUnit.id, c.leadUnit])).values()];
  // The same preselected lead here and on the proposals queue (joint-lead.ts): one a side agreed to, else the first detector's.
  const [lead, setLead] = useState(() => defaultLeadUnitId(link));
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = `link-${link.id}`;
  const waiting = link.status === 'proposed' && link.agreements.length > 0;
  // The page's own case is the first; when only the other side has agreed, it is this side's turn.
  const ourTurn = waiting && !link.agreements.some((a) => a.caseId === link.cases[0].id);
  // The province's coordinator confirms at once, no side's turn (the server decides: `confirmsAlone`).
  const confirmsAlone = mayDecide && link.confirmsAlone;
  const counted = link.status === 'confirmed' ? link.cases.find((c) => c.countsInStatistics) : undefined;

  async function act(path: string, body: unknown) {
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<CaseLinkView>(path, body);
      // Agreeing leaves the proposal waiting for the other side: say so, or the click looks lost.
      onChanged(t(next.status === 'confirmed' ? 'links.confirmedDone' : next.status === 'rejected' ? 'links.rejectedDone' : 'links.agreedDone'), next.status !== 'proposed', next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={both ? 'repeat-row link-card' : 'repeat-row'} data-testid={both ? 'link-card' : undefined}>
      <div className="repeat-row-head">
        {both ? (
          <h2 className="link-card-title">
            <Link to={`/cases/${link.cases[0].id}`}>{link.cases[0].code}</Link> ↔ <Link to={`/cases/${other.id}`}>{other.code}</Link>
          </h2>
        ) : (
          <h3>
            {t('links.other')}: <Link to={`/cases/${other.id}`}>{other.code}</Link>
          </h3>
        )}
        <span className={`case-status ${link.status === 'confirmed' ? 'case-status-final' : link.status === 'rejected' ? 'case-status-dropped' : 'case-status-open'}`}>
          {confirmsAlone && waiting ? t('links.status.oneAgreed') : ourTurn ? t('links.status.yourTurn') : waiting ? t('links.status.waiting') : t(`links.status.${link.status}`)}
        </span>
      </div>
      {both ? (
        <>
          <ul className="link-card-cases">
            {link.cases.map((c) => (
              <li key={c.id}>
                <Link to={`/cases/${c.id}`}>{c.title}</Link>
                <br />
                <span className="muted small">
                  {c.code} · {formatDate(c.detectedOn, locale)} · {unitName(c.sourceUnit, locale)}
                  {c.leadUnit.id !== c.sourceUnit.id && <> · {t('links.leadOf', { unit: unitName(c.leadUnit, locale) })}</>}
                </span>
              </li>
            ))}
          </ul>
          <p className="muted small">{t('links.score', { pct: formatPercent(link.score, locale, 0) })}</p>
        </>
      ) : (
        <p>
          {other.title}
          <br />
          <span className="muted small">
            {formatDate(other.detectedOn, locale)} · {unitName(other.sourceUnit, locale)} · {t('links.score', { pct: formatPercent(link.score, locale, 0) })}
          </span>
        </p>
      )}
      <ul className="small">
        {link.reasons.map((r) => (
          <li key={r.field}>
            {t(`links.reason.${r.field}`)}: {r.agreed ? t('links.agreed') : t('links.differs')}
          </li>
        ))}
      </ul>
      {link.status === 'proposed' && link.agreements.length > 0 && (
        <div className="alert alert-info small" role="status">
          <ul>
            {link.agreements.map((a) => (
              <li key={a.caseId}>
                {t('links.agreement', {
                  case: link.cases.find((c) => c.id === a.caseId)?.code ?? '—',
                  lead: unitName(leads.find((u) => u.id === a.leadUnitId) ?? { nameVi: '—', nameEn: '—' }, locale),
                  user: a.byUsername ?? '—',
                  time: formatDateTime(a.at, locale),
                })}
              </li>
            ))}
          </ul>
          <p>{confirmsAlone ? t('links.coordinatorConfirms') : ourTurn ? t('links.yourTurn') : t('links.waiting')}</p>
        </div>
      )}
      {counted && <p className="small">{t('links.countedOnce', { case: counted.code, lead: unitName(counted.leadUnit, locale) })}</p>}
      {link.decidedBy && link.decidedAt && <p className="muted small">{t('links.decided', { user: link.decidedBy, time: formatDateTime(link.decidedAt, locale) })}</p>}
      <ErrorSummary error={error} formId={formId} labels={{ leadUnitId: t('links.lead'), reason: t('links.rejectReason') }} />
      {link.status === 'proposed' && mayDecide && (
        <>
          <fieldset className="field">
            <legend>{t('links.lead')}</legend>
            <div className="radio-list">
              {leads.map((u) => (
                <label key={u.id} className="check">
                  <input type="radio" name={`${formId}-lead`} value={u.id} checked={lead === u.id} onChange={() => setLead(u.id)} />
                  {unitName(u, locale)}
                </label>
              ))}
            </div>
          </fieldset>
          {rejecting && (
            <Field formId={formId} name="reason" label={t('links.rejectReason')} error={error}>
              {(p) => <textarea {...p} value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />}
            </Field>
          )}
          {!waiting && <p className="hint link-decide-hint">{t(confirmsAlone ? 'links.coordinatorConfirms' : 'links.needsBoth')}</p>}
          <div className="form-actions link-decide-actions">
            <button type="button" className="btn btn-primary" disabled={busy || !lead} onClick={() => void act(`/api/case-links/${link.id}/confirm`, { leadUnitId: lead })}>
              {t('links.confirm')}
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => (rejecting ? void act(`/api/case-links/${link.id}/reject`, { reason }) : setRejecting(true))}
            >
              {t('links.reject')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
