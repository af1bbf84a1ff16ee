import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDate, formatDateTime, type ConvertTipBody, type OrgUnitView, type TipDetail } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { todayInVietnam } from '../../components/dates.js';
import { ClientIssues, ErrorSummary, Field, errorText, ErrorAlert } from '../../components/form.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { Loading, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { CASE_WRITER_ROLES, named, useCaseReference, useNames } from '../cases/reference.js';
import { TIP_CLOSE_REASON_LIST, TipMarkers, TipStatusBadge, isTipTriage } from './tip-bits.js';
import { ViolationTypeOptions } from '../cases/case-bits.js';
import '../cases/cases.css';
import './tips.css';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const OPEN = ['new', 'acknowledged', 'in_progress'];

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function TipPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [tip, setTip] = useState<TipDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);

  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    api.get<TipDetail>(`/api/tips/${id}`).then(
      (r) => !cancelled && setTip(r),
      (e: unknown) => !cancelled && setLoadError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [id, tick]);
  const reload = useCallback(() => {
    setError(null);
    setFlash(null);
    setTick((n) => n + 1);
  }, []);

  /** One action on the tip: the answer is the tip as it now is. */
  const act = useCallback(
    async (path: string, body: unknown, done: string): Promise<boolean> => {
      setBusy(true);
      setError(null);
      setFlash(null);
      try {
        setTip(await api.post<TipDetail>(`/api/tips/${id}/${path}`, body));
        setFlash(done);
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [id],
  );

  if (loadError && !tip) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {t('section.tips')}
        </h1>
        <ErrorAlert error={loadError} />
        <Link to="/tips">← {t('tip.back')}</Link>
      </>
    );
  }
  if (!tip) return <Loading />;

  const open = OPEN.includes(tip.status);
  const mine = tip.claimedBy === me.username;
  const heldByOther = !!tip.claimedBy && !mine;
  const stale = error instanceof ApiError && error.code === 'CONFLICT';

  return (
    <>
      <Link to="/tips" className="case-back">
        ← {t('tip.back')}
      </Link>
      <div className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {t('tip.title', { receipt: tip.receipt })}
        </h1>
      </div>
      <div className="case-header tip-header">
        <TipStatusBadge status={tip.status} />
        <span className="muted small">{t(`tipChannel.${tip.channel}`)}</span>
        <TipMarkers tip={tip} />
      </div>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {error != null &&
        (stale ? (
          <div className="alert alert-warning" role="alert">
            <p>{errorText(t, error)}</p>
            {error instanceof ApiError && error.issues.some((i) => i.reason === 'claimed') && <p>{t('tip.heldConflict')}</p>}
            <button type="button" className="btn" onClick={reload}>
              {t('common.reload')}
            </button>
          </div>
        ) : (
          <ErrorSummary error={error} formId="tip-action" labels={{}} />
        ))}
      {tip.caseId && (
        <p className="alert alert-info" role="note">
          {t('tip.convertedNote')} <Link to={`/cases/${tip.caseId}`}>{t('tip.openCase')}</Link>
        </p>
      )}
      {tip.status === 'closed' && tip.closeReason && (
        <p className="alert alert-info" role="note">
          {t('tip.closedNote', { reason: t(`tipCloseReason.${tip.closeReason}`) })}
          {tip.closeNote && <> — {tip.closeNote}</>}
        </p>
      )}

      <div className="case-columns">
        <div>
          <section className="card" aria-labelledby="tip-facts">
            <h2 id="tip-facts">{t('tip.facts')}</h2>
            <p className="tip-description">{tip.description}</p>
            <dl className="case-facts">
              <Fact label={t('tips.category')}>{tip.category ? names.goods(tip.category) : null}</Fact>
              <Fact label={t('tips.province')}>{tip.provinceCode ? names.province(tip.provinceCode) : t('tip.unknown')}</Fact>
              <Fact label={t('tip.ward')}>{tip.wardCode}</Fact>
              <Fact label={t('tip.place')}>{tip.place}</Fact>
              <Fact label={t('tip.coordinates')}>
                {tip.latitude != null && tip.longitude != null ? (
                  <a href={`https://www.openstreetmap.org/?mlat=${tip.latitude}&mlon=${tip.longitude}#map=16/${tip.latitude}/${tip.longitude}`} target="_blank" rel="noreferrer noopener">
                    {tip.latitude}, {tip.longitude}
                  </a>
                ) : null}
              </Fact>
              <Fact label={t('tip.occurredOn')}>{tip.occurredOn ? formatDate(tip.occurredOn, locale) : null}</Fact>
              <Fact label={t('tip.receivedAt')}>{formatDateTime(tip.receivedAt, locale)}</Fact>
              <Fact label={t('tip.contact')}>{tip.contact ?? <span className="muted">{t('tip.noContact')}</span>}</Fact>
              <Fact label={t('tip.recordedBy')}>{tip.recordedBy}</Fact>
              <Fact label={t('tip.reporterLanguage')}>{tip.locale === 'en' ? 'English' : 'Tiếng Việt'}</Fact>
            </dl>
          </section>

          <section className="card" aria-labelledby="tip-files">
            <h2 id="tip-files">{t('tip.attachments')}</h2>
            {tip.attachmentList.length === 0 ? (
              <p className="muted">{t('tip.noAttachments')}</p>
            ) : (
              <ul className="tip-attachments">
                {tip.attachmentList.map((a) => (
                  <li key={a.id}>
                    <a href={`/api/tips/${tip.id}/attachments/${a.id}`} download={a.fileName}>
                      {a.fileName}
                    </a>{' '}
                    <span className="muted small">
                      {a.mimeType} · {sizeText(a.sizeBytes)}
                      {a.metadataRemoved && ` · ${t('tip.metadataRemoved')}`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {tip.refusedFiles.length > 0 && (
              <>
                <h3>{t('tip.refusedFiles')}</h3>
                <ul className="small">
                  {tip.refusedFiles.map((f, i) => (
                    <li key={i}>
                      {f.fileName}: <span className="muted">{f.message}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          {tip.duplicateTips.length > 0 && (
            <section className="card" aria-labelledby="tip-dups">
              <h2 id="tip-dups">{t('tip.duplicates')}</h2>
              <p className="muted small">{t('tip.duplicatesHint')}</p>
              <ul>
                {tip.duplicateTips.map((d) => (
                  <li key={d.id}>
                    <Link to={`/tips/${d.id}`}>{d.receipt}</Link> · <TipStatusBadge status={d.status} /> <span className="muted small">{formatDateTime(d.receivedAt, locale)}</span>
                  </li>
                ))}
              </ul>
              <Link to={`/tips?duplicateGroup=${tip.duplicateGroupId}`}>{t('tips.showGroup')}</Link>
            </section>
          )}

          <Messages tip={tip} onDone={(next, msg) => { setTip(next); setFlash(msg); }} />
        </div>

        <div>
          <section className="card" aria-labelledby="tip-handling">
            <h2 id="tip-handling">{t('tip.handling')}</h2>
            <p>
              {tip.claimedBy ? (mine ? t('tip.claimedByMe') : t('tips.claimedBy', { user: tip.claimedByName ?? tip.claimedBy })) : t('tip.notClaimed')}
              {tip.claimedAt && <span className="muted small"> · {formatDateTime(tip.claimedAt, locale)}</span>}
            </p>
            {open && (
              <div className="workflow-buttons">
                {!tip.claimedBy && (
                  <button type="button" className="btn btn-primary" disabled={busy} onClick={() => act('claim', { version: tip.version }, t('tip.claimedDone'))}>
                    {t('tip.claim')}
                  </button>
                )}
                {mine && (
                  <button type="button" className="btn" disabled={busy} onClick={() => act('release', { version: tip.version }, t('tip.releasedDone'))}>
                    {t('tip.release')}
                  </button>
                )}
                {heldByOther && me.roles.some((r) => r === 'provincial_coordinator' || r === 'admin') && (
                  <button type="button" className="btn" disabled={busy} onClick={() => act('claim', { version: tip.version, takeOver: true }, t('tip.claimedDone'))}>
                    {t('tip.takeOver')}
                  </button>
                )}
                {tip.status === 'new' && (
                  <button type="button" className="btn" disabled={busy || heldByOther} onClick={() => act('status', { version: tip.version, to: 'acknowledged' }, t('tip.statusDone'))}>
                    {t('tip.acknowledge')}
                  </button>
                )}
                {(tip.status === 'new' || tip.status === 'acknowledged') && (
                  <button type="button" className="btn" disabled={busy || heldByOther} onClick={() => act('status', { version: tip.version, to: 'in_progress' }, t('tip.statusDone'))}>
                    {t('tip.inProgress')}
                  </button>
                )}
              </div>
            )}
            {heldByOther && open && <p className="hint">{t('tip.heldHint')}</p>}

            <h3>{t('tip.deadlines')}</h3>
            <dl className="case-facts tip-deadlines">
              <Fact label={t('tip.acknowledgeBy')}>
                <span className={tip.status === 'new' && tip.overdue ? 'tip-late' : undefined}>{formatDateTime(tip.acknowledgeBy, locale)}</span>
                {tip.acknowledgedAt && <span className="muted small"> · {t('tip.doneAt', { time: formatDateTime(tip.acknowledgedAt, locale) })}</span>}
              </Fact>
              <Fact label={t('tip.concludeBy')}>
                <span className={open && tip.overdue ? 'tip-late' : undefined}>{formatDateTime(tip.concludeBy, locale)}</span>
                {tip.concludedAt && <span className="muted small"> · {t('tip.doneAt', { time: formatDateTime(tip.concludedAt, locale) })}</span>}
              </Fact>
            </dl>
            <p className="muted small">{t('tip.timeZone')}</p>
          </section>

          <section className="card" aria-labelledby="tip-routing">
            <h2 id="tip-routing">{t('tip.routing')}</h2>
            <dl className="case-facts">
              <Fact label={t('tip.proposedUnit')}>{tip.proposedUnit ? unitName(tip.proposedUnit, locale) : <span className="muted">{t('tip.noProposal')}</span>}</Fact>
              <Fact label={t('tip.assignedUnit')}>{tip.assignedUnit ? unitName(tip.assignedUnit, locale) : <span className="muted">{t('tip.notAssigned')}</span>}</Fact>
            </dl>
            {/* Re-routing is triage's; the unit it is routed to works it (the server refuses the rest). */}
            {open && isTipTriage(me.roles) && (
              <AssignForm
                tip={tip}
                units={ref?.units ?? []}
                busy={busy}
                onAssign={(unitId) => act('assign', { version: tip.version, unitId }, t('tip.assignedDone'))}
              />
            )}
          </section>

          {open && !heldByOther && (
            <>
              {/* Converting records a case: case writers only (the server enforces it too). */}
              {me.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r)) ? (
                <ConvertForm tip={tip} onConverted={(caseId) => navigate(`/cases/${caseId}`, { state: { flash: t('tip.convertedDone', { receipt: tip.receipt }) } })} />
              ) : (
                <section className="card" aria-labelledby="tip-convert">
                  <h2 id="tip-convert">{t('tip.convert')}</h2>
                  <p className="muted small">{t('tip.convertNeedsWriter')}</p>
                </section>
              )}
              <CloseForm tip={tip} onClosed={(next) => { setTip(next); setFlash(t('tip.closedDone')); }} />
            </>
          )}
          {/* Walk-through finding: a case writer saw no way to convert while another officer held the tip. */}
          {open && heldByOther && me.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r)) && (
            <section className="card" aria-labelledby="tip-convert">
              <h2 id="tip-convert">{t('tip.convert')}</h2>
              <p className="muted small">{t('tip.convertHeldByOther', { user: tip.claimedByName ?? tip.claimedBy ?? '', takeOver: t('tip.takeOver') })}</p>
            </section>
          )}
        </div>
      </div>
    </>
  );
}

function AssignForm({ tip, units, busy, onAssign }: { tip: TipDetail; units: readonly OrgUnitView[]; busy: boolean; onAssign: (unitId: string | null) => Promise<boolean> }) {
  const t = useT();
  const locale = useLocale();
  const [other, setOther] = useState('');
  const proposal = tip.proposedUnit;
  return (
    <div className="tip-assign">
      {proposal && proposal.id !== tip.assignedUnit?.id && (
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void onAssign(proposal.id)}>
          {t('tip.assignProposed', { unit: unitName(proposal, locale) })}
        </button>
      )}
      <div className="inline-form">
        <div className="field">
          <label htmlFor="tip-assign-unit">{t('tip.assignOther')}</label>
          <UnitPicker id="tip-assign-unit" units={units} value={other} onChange={setOther} exclude={tip.assignedUnit ? [tip.assignedUnit.id] : undefined} />
        </div>
        <button type="button" className="btn" disabled={busy || !other} onClick={() => void onAssign(other).then((ok) => ok && setOther(''))}>
          {t('tip.assign')}
        </button>
      </div>
    </div>
  );
}

function Messages({ tip, onDone }: { tip: TipDetail; onDone: (next: TipDetail, message: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const [kind, setKind] = useState<'public_reply' | 'internal_note'>('internal_note');
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heldByOther = !!tip.claimedBy && tip.claimedBy !== me.username;
  // Public replies are the holder's; notes anyone in scope may add. Closed tips take notes only.
  const mayReply = tip.status !== 'closed' && !heldByOther;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!body.trim()) return setError(new ClientIssues([{ field: 'body', reason: 'required', message: '' }]));
    setBusy(true);
    try {
      const next = await api.post<TipDetail>(`/api/tips/${tip.id}/messages`, { kind, body: body.trim() });
      setBody('');
      onDone(next, kind === 'public_reply' ? t('tip.replySent') : t('tip.noteSaved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const effectiveKind = mayReply ? kind : 'internal_note';
  return (
    <section className="card" aria-labelledby="tip-messages">
      <h2 id="tip-messages">{t('tip.messages')}</h2>
      {tip.messages.length === 0 ? (
        <p className="muted">{t('tip.noMessages')}</p>
      ) : (
        <ol className="tip-thread">
          {tip.messages.map((m) => (
            <li key={m.id} className={`tip-msg tip-msg-${m.kind}`}>
              <p className="tip-msg-head">
                <span className={`tip-kind tip-kind-${m.kind}`}>{t(`tipMessageKind.${m.kind}`)}</span>{' '}
                {m.author && <strong className="small">{m.authorName ?? m.author}</strong>}{' '}
                <time className="muted small" dateTime={m.at}>
                  {formatDateTime(m.at, locale)}
                </time>
              </p>
              <p className="tip-msg-body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={submit} noValidate className="tip-composer">
        <ErrorSummary error={error} formId="tip-message" labels={{ body: t('tip.messageBody') }} />
        <fieldset className="field">
          <legend>{t('tip.messageKind')}</legend>
          <div className="tip-kind-choice">
            <label className={`check tip-kind-option ${effectiveKind === 'internal_note' ? 'selected' : ''}`}>
              <input type="radio" name="kind" value="internal_note" checked={effectiveKind === 'internal_note'} onChange={() => setKind('internal_note')} />
              <span>
                <strong>{t('tipMessageKind.internal_note')}</strong>
                <span className="hint">{t('tip.internalHint')}</span>
              </span>
            </label>
            <label className={`check tip-kind-option tip-kind-option-public ${effectiveKind === 'public_reply' ? 'selected' : ''}`}>
              <input type="radio" name="kind" value="public_reply" checked={effectiveKind === 'public_reply'} disabled={!mayReply} onChange={() => setKind('public_reply')} />
              <span>
                <strong>{t('tipMessageKind.public_reply')}</strong>
                <span className="hint">{t('tip.publicHint')}</span>
              </span>
            </label>
          </div>
        </fieldset>
        <Field formId="tip-message" name="body" label={t('tip.messageBody')} error={error}>
          {(p) => <textarea {...p} rows={4} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <button type="submit" className={effectiveKind === 'public_reply' ? 'btn btn-primary' : 'btn'} disabled={busy}>
          {effectiveKind === 'public_reply' ? t('tip.sendReply') : t('tip.saveNote')}
        </button>
      </form>
    </section>
  );
}

function ConvertForm({ tip, onConverted }: { tip: TipDetail; onConverted: (caseId: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const { ref } = useCaseReference();
  const firstLine = (tip.subject ?? tip.description).split('\n')[0]!.trim();
  const [openForm, setOpenForm] = useState(false);
  const [title, setTitle] = useState(() => `${t('tip.caseTitlePrefix', { receipt: tip.receipt })}: ${firstLine}`.slice(0, 200));
  const [violationType, setViolationType] = useState('');
  const [detectedOn, setDetectedOn] = useState(() => tip.occurredOn ?? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(tip.receivedAt)));
  const [provinceCode, setProvinceCode] = useState(tip.provinceCode ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'tip-convert';
  const labels = { 'case.title': t('caseForm.title'), 'case.violationType': t('caseForm.violationType'), 'case.detectedOn': t('caseForm.detectedOn'), 'case.provinceCode': t('caseForm.province') };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const issues = [];
    if (!violationType) issues.push({ field: 'case.violationType', reason: 'required', message: '' });
    if (!provinceCode) issues.push({ field: 'case.provinceCode', reason: 'required', message: '' });
    if (!detectedOn) issues.push({ field: 'case.detectedOn', reason: 'required', message: '' });
    if (issues.length) return setError(new ClientIssues(issues));
    const goodsName = tip.category ? named(ref?.goods.find((g) => g.code === tip.category), locale, tip.category) : '';
    const body: ConvertTipBody = {
      version: tip.version,
      case: {
        title: title.trim(),
        violationType,
        detectedOn,
        provinceCode,
        summary: tip.description,
        coordinatingUnitIds: [],
        sensitivity: 'internal',
        namedUserIds: [],
        goods: tip.category && goodsName.length >= 2 ? [{ category: tip.category, description: goodsName }] : [],
        subjects: [],
      },
    };
    setBusy(true);
    try {
      const r = await api.post<{ caseId: string }>(`/api/tips/${tip.id}/convert`, body);
      onConverted(r.caseId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="tip-convert">
      <h2 id="tip-convert">{t('tip.convert')}</h2>
      <p className="muted small">{t('tip.convertHint')}</p>
      {!openForm ? (
        <button type="button" className="btn" onClick={() => setOpenForm(true)}>
          {t('tip.convertStart')}
        </button>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t('tip.convert')}>
          <ErrorSummary error={error} formId={formId} labels={labels} reasons={{ 'case.detectedOn': DATE_REASONS }} />
          <Field formId={formId} name="case.title" label={labels['case.title']} error={error}>
            {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} />}
          </Field>
          <Field formId={formId} name="case.violationType" label={labels['case.violationType']} error={error}>
            {(p) => (
              <select {...p} value={violationType} onChange={(e) => setViolationType(e.target.value)}>
                <option value="">—</option>
                {ref && <ViolationTypeOptions ref={ref} locale={locale} />}
              </select>
            )}
          </Field>
          <Field formId={formId} name="case.detectedOn" label={labels['case.detectedOn']} error={error} reasons={DATE_REASONS}>
            {(p) => <DateField {...p} value={detectedOn} max={todayInVietnam()} onChange={setDetectedOn} />}
          </Field>
          <Field formId={formId} name="case.provinceCode" label={labels['case.provinceCode']} error={error}>
            {(p) => (
              <select {...p} value={provinceCode} onChange={(e) => setProvinceCode(e.target.value)}>
                <option value="">—</option>
                {[...(ref?.provinces ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((pr) => (
                  <option key={pr.code} value={pr.code}>
                    {pr.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('caseForm.saving') : t('tip.convertSubmit')}
            </button>
            <button type="button" className="btn" onClick={() => setOpenForm(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function CloseForm({ tip, onClosed }: { tip: TipDetail; onClosed: (next: TipDetail) => void }) {
  const t = useT();
  const [openForm, setOpenForm] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'tip-close';
  const labels = { reason: t('tip.closeReason'), note: t('tip.closeNote') };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const issues = [];
    if (!reason) issues.push({ field: 'reason', reason: 'required', message: '' });
    if (reason === 'other' && !note.trim()) issues.push({ field: 'note', reason: 'required', message: '' });
    if (issues.length) return setError(new ClientIssues(issues));
    setBusy(true);
    try {
      onClosed(await api.post<TipDetail>(`/api/tips/${tip.id}/close`, { version: tip.version, reason, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="tip-close">
      <h2 id="tip-close">{t('tip.close')}</h2>
      {!openForm ? (
        <button type="button" className="btn btn-danger" onClick={() => setOpenForm(true)}>
          {t('tip.closeStart')}
        </button>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t('tip.close')}>
          <ErrorSummary error={error} formId={formId} labels={labels} />
          <Field formId={formId} name="reason" label={labels.reason} error={error}>
            {(p) => (
              <select {...p} value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">—</option>
                {TIP_CLOSE_REASON_LIST.map((r) => (
                  <option key={r} value={r}>
                    {t(`tipCloseReason.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field formId={formId} name="note" label={labels.note} hint={t('tip.closeNoteHint')} error={error}>
            {(p) => <textarea {...p} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" disabled={busy}>
              {t('tip.closeSubmit')}
            </button>
            <button type="button" className="btn" onClick={() => setOpenForm(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
