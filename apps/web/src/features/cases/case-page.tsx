import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { formatDate, formatDateTime, formatNumber, formatVnd, type CaseDetail, type CaseStatus, type CollectionBody, type TransitionBody } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ErrorAlert, ClientIssues, ErrorSummary, Field } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { CollectionsTable, EyeIcon, SensitivityBadge, StatusBadge, timelineOf } from './case-bits.js';
import { formatHsCode, groupVnd, statusName, todayInVietnam, typedVnd, useCaseReference, useNames } from './reference.js';
import { CaseAttachments } from './case-attachments.js';
import { CaseLinks } from './case-links.js';
import { CaseCustody } from '../custody/case-custody.js';
import { CaseRepeatSubjects } from '../subjects/case-repeat-subjects.js';
import './cases.css';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function CasePage() {
  const t = useT();
  const locale = useLocale();
  const { id = '' } = useParams();
  const location = useLocation();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>((location.state as { flash?: string } | null)?.flash ?? null);
  const [tick, setTick] = useState(0);
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.get<CaseDetail>(`/api/cases/${id}`).then(
      (r) => !cancelled && setC(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [id, tick]);
  const reload = useCallback(() => {
    setFlash(null);
    setTick((n) => n + 1);
  }, []);

  if (error && !c) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {t('section.cases')}
        </h1>
        <ErrorAlert error={error} />
        <Link to="/cases">← {t('case.back')}</Link>
      </>
    );
  }
  if (!c) return <Loading />;

  const full = c.access === 'full';
  const goods = c.goods ?? [];
  // No line with a value: the total is unknown (—), not 0 ₫ (walk-through finding: a tip converted without a value).
  const valued = goods.filter((g) => g.valueVnd != null);
  const totalValue = valued.length ? valued.reduce((sum, g) => sum + (g.valueVnd ?? 0), 0) : null;
  // The server offers steps only to the handling units' writers: the same people may edit.
  const canEdit = full && c.mayEdit;
  const o = c.outcome;

  return (
    <>
      <Link to="/cases" className="case-back">
        ← {t('case.back')}
      </Link>
      <div className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {c.title}
        </h1>
        {canEdit && (
          <Link className="btn" to={`/cases/${c.id}/edit`}>
            {t('case.edit')}
          </Link>
        )}
      </div>
      <div className="case-header">
        <code>{c.code}</code>
        <StatusBadge status={c.status} />
        <SensitivityBadge sensitivity={c.sensitivity} />
        <span className="muted small">
          {t('case.reportGroup')}: {names.group(c.reportGroup)}
        </span>
      </div>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {!full && (
        <p className="alert alert-info" role="note">
          <EyeIcon />{' '}
          {t('case.summaryNote')}
        </p>
      )}

      <div className="case-columns">
        <div className="case-main">
          <section className="card" aria-labelledby="case-facts">
            <h2 id="case-facts">{t('case.facts')}</h2>
            {c.summary ? <p className="case-summary-text">{c.summary}</p> : null}
            <dl className="case-facts">
              <Fact label={t('case.detectedOn')}>{formatDate(c.detectedOn, locale)}</Fact>
              <Fact label={t('caseForm.violationType')}>{names.violationType(c.violationType)}</Fact>
              <Fact label={t('case.province')}>
                {names.province(c.provinceCode)}
                {c.recordedProvinceCode !== c.provinceCode && <span className="muted small"> ({t('cases.recordedAs', { name: names.province(c.recordedProvinceCode) })})</span>}
              </Fact>
              <Fact label={t('case.ward')}>{c.wardCode ? (c.wardName ? `${c.wardName} (${c.wardCode})` : c.wardCode) : null}</Fact>
              <Fact label={t('case.borderGate')}>{c.borderGate}</Fact>
              <Fact label={t('case.place')}>{c.place}</Fact>
              <Fact label={t('case.coordinates')}>{c.latitude != null && c.longitude != null ? `${c.latitude}, ${c.longitude}` : null}</Fact>
              <Fact label={t('case.route')}>{names.route(c.route)}</Fact>
              <Fact label={t('case.goodsCategories')}>{c.goodsCategories.map((g) => names.goods(g)).join(', ')}</Fact>
              <Fact label={t('case.goodsValue')}>{c.goodsValueVnd === 0 && totalValue === null ? null : formatVnd(c.goodsValueVnd)}</Fact>
              <Fact label={t('case.sourceUnit')}>{unitName(c.sourceUnit, locale)}</Fact>
              <Fact label={t('case.sourceRef')}>{c.sourceRef}</Fact>
              <Fact label={t('case.leadUnit')}>{unitName(c.leadUnit, locale)}</Fact>
              <Fact label={t('case.coordinatingUnits')}>{c.coordinatingUnits.length ? c.coordinatingUnits.map((u) => unitName(u, locale)).join('; ') : null}</Fact>
            </dl>
            {!c.countsInStatistics && <p className="hint">{t('case.notCounted')}</p>}
          </section>

          {full && (
            <section className="card" aria-labelledby="case-goods">
              <h2 id="case-goods">{t('case.goods')}</h2>
              {goods.length === 0 ? (
                <p className="muted">{t('case.noGoods')}</p>
              ) : (
                <div className="table-wrap">
                  <table className="table case-goods-table">
                    <caption className="visually-hidden">{t('case.goodsCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">{t('caseForm.category')}</th>
                        <th scope="col">{t('caseForm.hsCode')}</th>
                        <th scope="col">{t('caseForm.description')}</th>
                        <th scope="col" className="num">
                          {t('caseForm.quantity')}
                        </th>
                        <th scope="col" className="num">
                          {t('caseForm.valueVnd')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {goods.map((g) => (
                        <tr key={g.lineNo}>
                          <td className="num">{g.lineNo}</td>
                          <td data-label={t('caseForm.category')}>{names.goods(g.category)}</td>
                          <td data-label={t('caseForm.hsCode')}>{g.hsCode ? <code>{formatHsCode(g.hsCode)}</code> : '—'}</td>
                          <td data-label={t('caseForm.description')}>
                            {g.description}
                            {g.brand && <span className="muted small"> · {g.brand}</span>}
                          </td>
                          <td className="num nowrap" data-label={t('caseForm.quantity')}>{g.quantity != null ? `${formatNumber(g.quantity, locale)} ${g.unit ?? ''}` : '—'}</td>
                          <td className="num nowrap" data-label={t('caseForm.valueVnd')}>{g.valueVnd != null ? formatVnd(g.valueVnd) : '—'}</td>
                        </tr>
                      ))}
                      <tr className="case-table-total">
                        <td colSpan={5}>{t('case.total')}</td>
                        <td className="num nowrap">{totalValue === null ? '—' : formatVnd(totalValue)}</td>
                      </tr>
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          )}

          {full && <CaseRepeatSubjects caseId={c.id} />}
          {full && (
            <section className="card" aria-labelledby="case-subjects">
              <h2 id="case-subjects">{t('case.subjects')}</h2>
              {(c.subjects ?? []).length === 0 ? (
                <p className="muted">{t('case.noSubjects')}</p>
              ) : (
                <ul className="case-subjects">
                  {(c.subjects ?? []).map((x) => (
                    <li key={x.id}>
                      <strong>{x.name}</strong>
                      <div className="muted small">
                        {t(`subjectKind.${x.kind}`)} · {t(`subjectRole.${x.role}`)}
                        {x.subjectId && (
                          <>
                            {' · '}
                            <Link to={`/subjects/${x.subjectId}#network`}>{t('case.subjectNetwork')}</Link>
                          </>
                        )}
                      </div>
                      <dl>
                        {x.idNumber && (
                          <>
                            <dt>{t('caseForm.idNumber')}</dt>
                            <dd>{x.idNumber}</dd>
                          </>
                        )}
                        {x.taxCode && (
                          <>
                            <dt>{t('caseForm.taxCode')}</dt>
                            <dd>{x.taxCode}</dd>
                          </>
                        )}
                        {x.plate && (
                          <>
                            <dt>{t('caseForm.plate')}</dt>
                            <dd>{x.plate}</dd>
                          </>
                        )}
                        {x.imo && (
                          <>
                            <dt>{t('caseForm.imo')}</dt>
                            <dd>{x.imo}</dd>
                          </>
                        )}
                        {x.phone && (
                          <>
                            <dt>{t('caseForm.phone')}</dt>
                            <dd>{x.phone}</dd>
                          </>
                        )}
                        {x.dateOfBirth && (
                          <>
                            <dt>{t('caseForm.dateOfBirth')}</dt>
                            <dd>{formatDate(x.dateOfBirth, locale)}</dd>
                          </>
                        )}
                        {x.nationality && (
                          <>
                            <dt>{t('caseForm.nationality')}</dt>
                            <dd>{x.nationality}</dd>
                          </>
                        )}
                        {x.address && (
                          <>
                            <dt>{t('caseForm.address')}</dt>
                            <dd>{x.address}</dd>
                          </>
                        )}
                      </dl>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}

          {full && o && (o.fineVnd > 0 || o.confiscatedValueVnd > 0 || o.collectedVnd > 0 || o.penaltyDecisionNo || o.transferredOn || o.prosecutedOn || o.droppedReason) && (
            <section className="card" aria-labelledby="case-outcome">
              <h2 id="case-outcome">{t('case.outcome')}</h2>
              <dl className="case-facts">
                <Fact label={t('case.decision')}>{o.penaltyDecisionNo ? t('case.decisionOn', { no: o.penaltyDecisionNo, date: o.penaltyDecidedOn ? formatDate(o.penaltyDecidedOn, locale) : '' }) : null}</Fact>
                <Fact label={t('case.fine')}>{formatVnd(o.fineVnd)}</Fact>
                <Fact label={t('case.confiscated')}>{formatVnd(o.confiscatedValueVnd)}</Fact>
                <Fact label={t('case.collected')}>{o.collectedVnd > 0 ? formatVnd(o.collectedVnd) : <span className="muted">{t('case.collected.none')}</span>}</Fact>
                <Fact label={t('case.transferredOn')}>{o.transferredOn ? formatDate(o.transferredOn, locale) : null}</Fact>
                <Fact label={t('case.prosecutedOn')}>{o.prosecutedOn ? formatDate(o.prosecutedOn, locale) : null}</Fact>
                <Fact label={t('case.defendants')}>{o.defendants > 0 ? formatNumber(o.defendants, locale) : null}</Fact>
                <Fact label={t('case.droppedReason')}>{o.droppedReason}</Fact>
              </dl>
              <CollectionsTable collections={o.collections ?? []} />
              {c.mayEdit && o.penaltyDecisionNo && c.status !== 'dropped' && (
                <CollectionForm
                  c={c}
                  onDone={(next, msg) => {
                    setC(next);
                    setFlash(msg);
                  }}
                  onReload={reload}
                />
              )}
            </section>
          )}

          {full && <CaseAttachments caseId={c.id} canUpload={c.mayEdit} />}
          {full && <CaseCustody caseId={c.id} canCreate={c.mayEdit} goodsCount={c.goods?.length ?? 0} />}
          <CaseLinks caseId={c.id} onDecided={() => setTick((n) => n + 1)} />
        </div>

        <div className="case-side">
          {full && <Workflow c={c} onDone={(next, msg) => {
            setC(next);
            setFlash(msg);
          }} onReload={reload} />}
          {full && c.history && (
            <section className="card" aria-labelledby="case-history">
              <h2 id="case-history">{t('case.history')}</h2>
              <p className="muted small">{t('case.timeZone')}</p>
              <ol className="timeline">
                {timelineOf(c.history, o?.collections ?? []).map((e, i) => {
                  if (e.kind === 'collection') {
                    const m = e.collection;
                    return (
                      <li key={i} className="timeline-collection">
                        <time dateTime={m.collectedOn}>{formatDate(m.collectedOn, locale)}</time>
                        <p>
                          <strong>{t('case.historyCollected', { amount: formatVnd(m.amountVnd) })}</strong>
                          <span className="muted small"> ({t(`case.collections.source.${m.source}`)})</span>
                        </p>
                        {m.byUsername && <p className="muted small">{t('case.historyBy', { user: m.byName ?? m.byUsername })}</p>}
                        {m.note && <p className="small">{m.note}</p>}
                      </li>
                    );
                  }
                  const h = e.change;
                  return (
                    <li key={i}>
                      <time dateTime={h.at}>{formatDateTime(h.at, locale)}</time>
                      <p>
                        <strong>{h.from === null ? t('case.recorded') : statusName(t, h.to)}</strong>
                        {h.from !== null && <span className="muted small"> ({t('case.historyFrom', { status: statusName(t, h.from) })})</span>}
                      </p>
                      {h.byUsername && <p className="muted small">{t('case.historyBy', { user: h.byName ?? h.byUsername })}</p>}
                      {h.note && <p className="small">{h.note}</p>}
                    </li>
                  );
                })}
              </ol>
            </section>
          )}
        </div>
      </div>
    </>
  );
}

interface StepDraft {
  note: string;
  decisionNo: string;
  decidedOn: string;
  fineVnd: string;
  confiscatedValueVnd: string;
  collectedVnd: string;
  transferredOn: string;
  prosecutedOn: string;
  defendants: string;
  reason: string;
}
const emptyStep = (): StepDraft => ({ note: '', decisionNo: '', decidedOn: todayInVietnam(), fineVnd: '', confiscatedValueVnd: '', collectedVnd: '', transferredOn: todayInVietnam(), prosecutedOn: todayInVietnam(), defendants: '', reason: '' });

function vnd(field: string, v: string, issues: { field: string; reason: string; message: string }[], required = false): number {
  const n = typedVnd(v);
  if (n === undefined) {
    if (required) issues.push({ field, reason: 'required', message: 'required' });
    return 0;
  }
  if (Number.isNaN(n)) issues.push({ field, reason: 'invalid_format', message: 'not a whole number' });
  return n;
}

function stepBody(c: CaseDetail, to: CaseStatus, d: StepDraft): TransitionBody {
  const issues: { field: string; reason: string; message: string }[] = [];
  const body: TransitionBody = { version: c.version, to };
  // An empty date is "missing" here rather than the server's "wrong format" for ''.
  const day = (field: string, v: string) => {
    if (!v.trim()) issues.push({ field, reason: 'required', message: '' });
    return v;
  };
  if (d.note.trim()) body.note = d.note.trim();
  if (to === 'penalized') {
    body.penalty = {
      decisionNo: d.decisionNo,
      decidedOn: day('penalty.decidedOn', d.decidedOn),
      fineVnd: vnd('penalty.fineVnd', d.fineVnd, issues, true),
      confiscatedValueVnd: vnd('penalty.confiscatedValueVnd', d.confiscatedValueVnd, issues),
      collectedVnd: vnd('penalty.collectedVnd', d.collectedVnd, issues),
    };
  }
  if (to === 'transferred') body.transferredOn = day('transferredOn', d.transferredOn);
  if (to === 'prosecuted') {
    const n = Number(d.defendants);
    if (!d.defendants.trim() || !Number.isInteger(n)) issues.push({ field: 'prosecution.defendants', reason: d.defendants.trim() ? 'invalid_format' : 'required', message: '' });
    body.prosecution = { prosecutedOn: day('prosecution.prosecutedOn', d.prosecutedOn), defendants: n };
  }
  if (to === 'dropped') body.reason = d.reason;
  if (issues.length) throw new ClientIssues(issues);
  return body;
}

/**
 * A step's problems: someone changed the case meanwhile (a version conflict, not a refused step) offers a
 * reload; anything else is listed with links to the fields.
 */
function StepErrors({ error, formId, labels, onReload }: { error: unknown; formId: string; labels: Record<string, string>; onReload: () => void }) {
  const t = useT();
  const stale = error instanceof ApiError && error.code === 'CONFLICT' && !error.issues.some((i) => i.reason === 'invalid_transition');
  if (!stale) return <ErrorSummary error={error} formId={formId} labels={labels} />;
  return (
    <div className="alert alert-warning" role="alert">
      <p>{t('case.conflict')}</p>
      <button type="button" className="btn" onClick={onReload}>
        {t('common.reload')}
      </button>
    </div>
  );
}

/**
 * A payment to the state budget after the penalty decision (a fine paid late or in parts): added to the
 * amount collected by `POST /api/cases/:id/collections`.
 */
function CollectionForm({ c, onDone, onReload }: { c: CaseDetail; onDone: (next: CaseDetail, message: string) => void; onReload: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [on, setOn] = useState(todayInVietnam());
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'collection';
  const labels: Record<string, string> = { amountVnd: t('case.collection.amount'), collectedOn: t('case.collection.on'), note: t('case.collection.note') };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const issues: { field: string; reason: string; message: string }[] = [];
    const amountVnd = vnd('amountVnd', amount, issues, true);
    if (!on.trim()) issues.push({ field: 'collectedOn', reason: 'required', message: '' });
    if (issues.length) {
      setError(new ClientIssues(issues));
      return;
    }
    const body: CollectionBody = { version: c.version, amountVnd, collectedOn: on, ...(note.trim() ? { note: note.trim() } : {}) };
    setBusy(true);
    try {
      const next = await api.post<CaseDetail>(`/api/cases/${c.id}/collections`, body);
      setOpen(false);
      setAmount('');
      setNote('');
      onDone(next, t('case.collection.done', { amount: formatVnd(amountVnd), total: formatVnd(next.outcome?.collectedVnd ?? 0) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('case.collection.add')}
      </button>
    );
  }
  return (
    <form className="workflow-form" onSubmit={submit} noValidate aria-label={t('case.collection.add')}>
      <StepErrors error={error} formId={formId} labels={labels} onReload={onReload} />
      <Field formId={formId} name="amountVnd" label={labels.amountVnd!} error={error}>
        {(p) => <input {...p} value={amount} inputMode="numeric" onChange={(e) => setAmount(e.target.value)} onBlur={() => setAmount(groupVnd(amount))} />}
      </Field>
      <Field formId={formId} name="collectedOn" label={labels.collectedOn!} error={error} reasons={DATE_REASONS}>
        {(p) => <DateField {...p} value={on} max={todayInVietnam()} onChange={setOn} />}
      </Field>
      <Field formId={formId} name="note" label={labels.note!} error={error}>
        {(p) => <input {...p} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('case.collection.save')}
        </button>
        <button type="button" className="btn" onClick={() => { setOpen(false); setError(null); }}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function Workflow({ c, onDone, onReload }: { c: CaseDetail; onDone: (next: CaseDetail, message: string) => void; onReload: () => void }) {
  const t = useT();
  const [step, setStep] = useState<CaseStatus | null>(null);
  const [d, setD] = useState<StepDraft>(emptyStep);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const set = (k: keyof StepDraft, v: string) => setD((x) => ({ ...x, [k]: v }));
  const formId = 'transition';

  if (c.allowedTransitions.length === 0) {
    if (c.status !== 'closed' && c.status !== 'dropped') return null; // a reader who does not handle the case
    return (
      <section className="card case-workflow" aria-labelledby="case-workflow">
        <h2 id="case-workflow">{t('case.workflow')}</h2>
        <p className="muted">{t('case.workflowNone')}</p>
      </section>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!step) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<CaseDetail>(`/api/cases/${c.id}/transitions`, stepBody(c, step, d));
      setStep(null);
      setD(emptyStep());
      onDone(next, t('case.transitionDone', { status: statusName(t, next.status) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const labels: Record<string, string> = {
    note: t('case.note'),
    'penalty.decisionNo': t('case.decisionNo'),
    'penalty.decidedOn': t('case.decidedOn'),
    'penalty.fineVnd': t('case.fineVnd'),
    'penalty.confiscatedValueVnd': t('case.confiscatedVnd'),
    'penalty.collectedVnd': t('case.collectedVnd'),
    transferredOn: t('case.transferredOnInput'),
    'prosecution.prosecutedOn': t('case.prosecutedOnInput'),
    'prosecution.defendants': t('case.defendantsInput'),
    reason: t('case.reason'),
  };
  const text = (name: string, key: keyof StepDraft, extra: object = {}) => (
    <Field formId={formId} name={name} label={labels[name]!} error={error}>
      {(p) => <input {...p} value={d[key]} onChange={(e) => set(key, e.target.value)} {...extra} />}
    </Field>
  );
  // Amounts in dong read 75.000.000 once typed (walk-through finding: they stayed 75000000).
  const money = (name: string, key: keyof StepDraft) => (
    <Field formId={formId} name={name} label={labels[name]!} error={error}>
      {(p) => <input {...p} value={d[key]} inputMode="numeric" onChange={(e) => set(key, e.target.value)} onBlur={() => set(key, groupVnd(d[key]))} />}
    </Field>
  );
  const date = (name: string, key: keyof StepDraft) => (
    <Field formId={formId} name={name} label={labels[name]!} error={error} reasons={DATE_REASONS}>
      {(p) => <DateField {...p} value={d[key]} max={todayInVietnam()} onChange={(v) => set(key, v)} />}
    </Field>
  );

  return (
    <section className="card case-workflow" aria-labelledby="case-workflow">
      <h2 id="case-workflow">{t('case.workflow')}</h2>
      <div className="workflow-buttons">
        {c.allowedTransitions.map((to) => (
          <button
            key={to}
            type="button"
            className={to === 'dropped' ? 'btn btn-danger' : 'btn'}
            aria-pressed={step === to}
            onClick={() => {
              setStep(step === to ? null : to);
              setError(null);
              requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('input, textarea')?.focus());
            }}
          >
            {t(`caseAction.${to}`)}
          </button>
        ))}
      </div>
      <StepErrors error={error} formId={formId} labels={labels} onReload={onReload} />
      {step && (
        <form ref={formRef} className="workflow-form" onSubmit={submit} noValidate aria-label={t(`caseAction.${step}`)}>
          {step === 'penalized' && (
            <>
              {text('penalty.decisionNo', 'decisionNo')}
              {date('penalty.decidedOn', 'decidedOn')}
              {money('penalty.fineVnd', 'fineVnd')}
              {money('penalty.confiscatedValueVnd', 'confiscatedValueVnd')}
              {money('penalty.collectedVnd', 'collectedVnd')}
            </>
          )}
          {step === 'transferred' && date('transferredOn', 'transferredOn')}
          {step === 'prosecuted' && (
            <>
              {date('prosecution.prosecutedOn', 'prosecutedOn')}
              {text('prosecution.defendants', 'defendants', { inputMode: 'numeric' })}
            </>
          )}
          {step === 'dropped' ? (
            <Field formId={formId} name="reason" label={labels.reason!} error={error}>
              {(p) => <textarea {...p} value={d.reason} onChange={(e) => set('reason', e.target.value)} rows={3} required />}
            </Field>
          ) : (
            <Field formId={formId} name="note" label={labels.note!} error={error}>
              {(p) => <textarea {...p} value={d.note} onChange={(e) => set('note', e.target.value)} rows={2} />}
            </Field>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('caseForm.saving') : `${t('case.confirm')}: ${t(`caseAction.${step}`)}`}
            </button>
            <button type="button" className="btn" onClick={() => setStep(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
