import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { formatDate, formatDateTime, type CaseSummary, type TaskDetail } from '../../contracts.js';
import { api, upload } from '../../api/client.js';
import { ClientIssues, ErrorSummary, Field, ErrorAlert } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { DeadlineText, Pill, useResource } from './directives-bits.js';
import './directives.css';
import '../cases/cases.css';

const FORM = 'task-action';

interface FigureDraft {
  label: string;
  value: string;
  unit: string;
}

export function TaskPage() {
  const t = useT();
  const locale = useLocale();
  const { id = '' } = useParams();
  const { data: task, setData, error: loadError } = useResource<TaskDetail>(`/api/tasks/${id}`);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [body, setBody] = useState('');
  const [figures, setFigures] = useState<FigureDraft[]>([{ label: '', value: '', unit: '' }]);
  const [caseCodes, setCaseCodes] = useState('');
  const [comment, setComment] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileInputKey, setFileInputKey] = useState(0);

  if (loadError && !task) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {t('dir.tasks')}
        </h1>
        <ErrorAlert error={loadError} />
        <Link to="/directives">← {t('dir.tab.mine')}</Link>
      </>
    );
  }
  if (!task) return <Loading />;

  async function run(fn: () => Promise<TaskDetail>, done: string) {
    setBusy(true);
    setError(null);
    setFlash(null);
    try {
      setData(await fn());
      setFlash(done);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** Case codes typed by the user → ids, through the case search (which applies need-to-know). */
  async function caseIds(): Promise<string[]> {
    const codes = caseCodes.split(/[,\s]+/).map((c) => c.trim()).filter(Boolean);
    const ids: string[] = [];
    for (const [i, code] of codes.entries()) {
      const r = await api.get<{ items: CaseSummary[] }>('/api/cases', { q: code, limit: 5 });
      const hit = r.items.find((c) => c.code.toUpperCase() === code.toUpperCase());
      if (!hit) throw new ClientIssues([{ field: `caseIds.${i}`, reason: 'not_found', message: t('task.caseNotFound', { code }) }]);
      ids.push(hit.id);
    }
    return ids;
  }

  async function sendReport(e: FormEvent) {
    e.preventDefault();
    const ok = await run(async () => {
      const figs = figures.filter((f) => f.label.trim() || f.value.trim()).map((f) => ({ label: f.label, value: Number(f.value.replace(/[.\s]/g, '').replace(',', '.')), unit: f.unit || null }));
      const report = { body, figures: figs, caseIds: await caseIds() };
      if (!files.length) return api.post<TaskDetail>(`/api/tasks/${id}/reports`, report);
      // With files: one multipart request, the report's JSON first; the server keeps all of it or none.
      const form = new FormData();
      form.append('report', JSON.stringify(report));
      for (const f of files) form.append('files', f, f.name);
      return upload<TaskDetail>(`/api/tasks/${id}/reports`, form);
    }, t('task.reported'));
    if (ok) {
      setBody('');
      setFigures([{ label: '', value: '', unit: '' }]);
      setCaseCodes('');
      setFiles([]);
      setFileInputKey((k) => k + 1);
    }
  }
  const decide = (action: 'submit' | 'accept' | 'return' | 'cancel', done: string) =>
    void run(() => api.post<TaskDetail>(`/api/tasks/${id}/${action}`, { version: task.version, ...(comment.trim() ? { comment } : {}) }), done).then((ok) => ok && setComment(''));
  const can = (a: string) => task.allowedActions.includes(a as TaskDetail['allowedActions'][number]);
  const decisions = can('submit') || can('accept') || can('return') || can('cancel');

  return (
    <>
      <Link to={`/directives/${task.directive.id}`} className="case-back">
        ← {t('task.back')}
      </Link>
      <div className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {task.title}
        </h1>
      </div>
      <div className="case-header">
        <Pill kind={task.status}>{t(`taskStatus.${task.status}`)}</Pill>
        {task.deadlineState && task.deadlineState !== 'later' && <Pill kind={task.deadlineState}>{t(`deadline.${task.deadlineState}`)}</Pill>}
        {task.status === 'accepted' && <Pill kind={task.compliance}>{t(`compliance.${task.compliance}`)}</Pill>}
        <Pill kind={task.priority}>{t(`taskPriority.${task.priority}`)}</Pill>
      </div>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      <ErrorSummary error={error} formId={FORM} labels={{ body: t('task.reportBody'), figures: t('task.figures'), caseIds: t('task.caseCodes'), files: t('task.files'), comment: t('task.comment'), reports: t('task.reports') }} />
      {task.escalation && (
        <p className="alert alert-warning" role="note">
          {t('task.escalated', { unit: unitName(task.escalation.unit, locale) })} ({formatDateTime(task.escalation.at, locale)})
        </p>
      )}
      <div className="case-columns">
        <div>
          <section className="card" aria-labelledby="task-facts">
            <h2 id="task-facts" className="visually-hidden">
              {t('task.title')}
            </h2>
            <dl className="case-facts">
              <div>
                <dt>{t('task.directive')}</dt>
                <dd>
                  <Link to={`/directives/${task.directive.id}`}>{task.directive.number}</Link> — {task.directive.title}
                </dd>
              </div>
              <div>
                <dt>{t('task.unit')}</dt>
                <dd>{unitName(task.assignedUnit, locale)}</dd>
              </div>
              <div>
                <dt>{t('task.deadline')}</dt>
                <dd>
                  <DeadlineText task={task} />
                </dd>
              </div>
              {task.phase && (
                <div>
                  <dt>{t('task.phase')}</dt>
                  <dd>{t(`taskPhase.${task.phase}`)}</dd>
                </div>
              )}
              <div>
                <dt>{t('task.reportRequirement')}</dt>
                <dd>{task.reportRequirement}</dd>
              </div>
            </dl>
            {task.instructions && <p className="dir-body">{task.instructions}</p>}
          </section>

          <section className="card" aria-labelledby="task-reports">
            <h2 id="task-reports">{t('task.reports')}</h2>
            {task.reports.length === 0 && <p className="muted">{t('task.noReports')}</p>}
            {task.reports.map((r) => (
              <article key={r.id} className="report-item">
                <p className="muted small">
                  {formatDateTime(r.createdAt, locale)} · {r.author}
                  {r.authorUnit && <> · {unitName(r.authorUnit, locale)}</>}
                </p>
                <p className="dir-body">{r.body}</p>
                {r.figures.length > 0 && (
                  <ul className="report-figures">
                    {r.figures.map((f, i) => (
                      <li key={i}>
                        {f.label}: <strong>{f.value.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}</strong> {f.unit}
                      </li>
                    ))}
                  </ul>
                )}
                {r.cases.length > 0 && (
                  <p className="small">
                    {r.cases.map((c, i) => (
                      <span key={c.id}>
                        {i > 0 && ', '}
                        {c.code ? <Link to={`/cases/${c.id}`}>{c.code}</Link> : <span className="muted">{t('task.hiddenCase')}</span>}
                      </span>
                    ))}
                  </p>
                )}
                {r.attachments.length > 0 && (
                  <ul className="report-files" aria-label={t('task.attachments')}>
                    {r.attachments.map((a) => (
                      <li key={a.id}>
                        <a href={`/api/tasks/${task.id}/attachments/${a.id}`} download={a.fileName}>
                          {a.fileName}
                        </a>{' '}
                        <span className="muted small">({Math.max(1, Math.round(a.sizeBytes / 1024)).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')} KB)</span>
                      </li>
                    ))}
                  </ul>
                )}
              </article>
            ))}
          </section>

          {can('report') && (
            <form id={FORM} className="card" onSubmit={sendReport} noValidate aria-labelledby="task-report-form">
              <h2 id="task-report-form">{t('task.report')}</h2>
              <Field formId={FORM} name="body" label={t('task.reportBody')} error={error}>
                {(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} rows={4} />}
              </Field>
              <fieldset className="field">
                <legend>{t('task.figures')}</legend>
                {figures.map((f, i) => (
                  <div key={i} className="figure-row">
                    <input aria-label={`${t('task.figureLabel')} ${i + 1}`} placeholder={t('task.figureLabel')} value={f.label} onChange={(e) => setFigures(figures.map((x, n) => (n === i ? { ...x, label: e.target.value } : x)))} />
                    <input aria-label={`${t('task.figureValue')} ${i + 1}`} placeholder={t('task.figureValue')} inputMode="decimal" value={f.value} onChange={(e) => setFigures(figures.map((x, n) => (n === i ? { ...x, value: e.target.value } : x)))} />
                    <input aria-label={`${t('task.figureUnit')} ${i + 1}`} placeholder={t('task.figureUnit')} value={f.unit} onChange={(e) => setFigures(figures.map((x, n) => (n === i ? { ...x, unit: e.target.value } : x)))} />
                  </div>
                ))}
                <button type="button" className="btn btn-small" onClick={() => setFigures([...figures, { label: '', value: '', unit: '' }])}>
                  + {t('task.addFigure')}
                </button>
              </fieldset>
              <Field formId={FORM} name="caseIds" label={t('task.caseCodes')} error={error}>
                {(p) => <input {...p} value={caseCodes} onChange={(e) => setCaseCodes(e.target.value)} />}
              </Field>
              <Field formId={FORM} name="files" label={t('task.files')} hint={t('task.filesHint')} error={error}>
                {(p) => (
                  <FileField
                    {...p}
                    key={fileInputKey}
                    multiple
                    accept=".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.txt"
                    files={files}
                    onFiles={setFiles}
                  />
                )}
              </Field>
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {t('task.sendReport')}
              </button>
            </form>
          )}
        </div>
        <div>
          {decisions && (
            <section className="card" aria-labelledby="task-decide">
              <h2 id="task-decide">{t('common.actions')}</h2>
              <Field formId={FORM} name="comment" label={t('task.comment')} hint={t('task.commentHint')} error={error}>
                {(p) => <textarea {...p} value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />}
              </Field>
              <div className="form-actions">
                {can('submit') && (
                  <button type="button" className="btn btn-primary" disabled={busy} onClick={() => decide('submit', t('task.submitted'))}>
                    {t('task.submit')}
                  </button>
                )}
                {can('accept') && (
                  <button type="button" className="btn btn-primary" disabled={busy} onClick={() => decide('accept', t('task.accepted'))}>
                    {t('task.accept')}
                  </button>
                )}
                {can('return') && (
                  <button type="button" className="btn" disabled={busy} onClick={() => decide('return', t('task.returned'))}>
                    {t('task.return')}
                  </button>
                )}
                {can('cancel') && (
                  <button type="button" className="btn" disabled={busy} onClick={() => decide('cancel', t('task.cancelled'))}>
                    {t('task.cancel')}
                  </button>
                )}
              </div>
            </section>
          )}
          {task.status === 'submitted' && !can('accept') && <p className="alert alert-info">{t('task.waitingOffice')}</p>}
          <section className="card" aria-labelledby="task-history">
            <h2 id="task-history">{t('task.history')}</h2>
            <ol className="history">
              {task.history.map((h) => (
                <li key={h.seq}>
                  <strong>{t(`taskEvent.${h.kind}`)}</strong> · {formatDateTime(h.at, locale)}
                  {h.by && <> · {h.by}</>}
                  {h.note && <div className="muted">{h.note}</div>}
                </li>
              ))}
            </ol>
            <p className="muted small">
              {t('task.deadline')}: {formatDate(task.deadline, locale)}
            </p>
          </section>
        </div>
      </div>
    </>
  );
}
