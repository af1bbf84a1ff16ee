import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { formatDate, type DirectiveDetail } from '../../contracts.js';
import { api, upload } from '../../api/client.js';
import { ErrorSummary, ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { FileField } from '../../components/file-field.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { TaskCards, useActiveUnits, useResource } from './directives-bits.js';
import { emptyTask, TaskRowsEditor, toTaskBody, type TaskDraft } from './task-rows-editor.js';
import './directives.css';
import '../cases/cases.css';

const FORM = 'directive-tasks';

export function DirectivePage() {
  const t = useT();
  const locale = useLocale();
  const { id = '' } = useParams();
  const location = useLocation();
  const { data: d, setData, error: loadError } = useResource<DirectiveDetail>(`/api/directives/${id}`);
  const [flash, setFlash] = useState<string | null>((location.state as { flash?: string } | null)?.flash ?? null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [rows, setRows] = useState<TaskDraft[]>([emptyTask()]);
  const units = useActiveUnits();

  if (loadError && !d) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {t('section.directives')}
        </h1>
        <ErrorAlert error={loadError} />
        <Link to="/directives/list">← {t('dir.back')}</Link>
      </>
    );
  }
  if (!d) return <Loading />;

  async function addTasks(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setData(await api.post<DirectiveDetail>(`/api/directives/${id}/tasks`, { tasks: toTaskBody(rows) }));
      setFlash(t('dir.tasksAdded'));
      setAdding(false);
      setRows([emptyTask()]);
    } catch (err) {
      setError(err);
    }
  }
  async function onFiles(files: readonly File[]) {
    if (!files.length) return;
    const form = new FormData();
    for (const f of Array.from(files)) form.append('files', f, f.name);
    setError(null);
    try {
      setData(await upload<DirectiveDetail>(`/api/directives/${id}/attachments`, form));
      setFlash(t('dir.uploaded'));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <Link to="/directives/list" className="case-back">
        ← {t('dir.back')}
      </Link>
      <div className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {d.number} — {d.title}
        </h1>
      </div>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      <ErrorSummary error={error} formId={FORM} labels={{ tasks: t('dir.tasks') }} />
      <section className="card" aria-labelledby="dir-facts">
        <h2 id="dir-facts" className="visually-hidden">
          {t('dir.body')}
        </h2>
        <dl className="case-facts">
          <div>
            <dt>{t('dir.issuer')}</dt>
            <dd>{d.issuer}</dd>
          </div>
          <div>
            <dt>{t('dir.issuedOn')}</dt>
            <dd>{formatDate(d.issuedOn, locale)}</dd>
          </div>
          <div>
            <dt>{t('dir.progress')}</dt>
            <dd>{t('dir.counts', { onTime: d.counts.onTime, late: d.counts.late, outstanding: d.counts.outstanding })}</dd>
          </div>
          {d.createdBy && (
            <div>
              <dt>{t('dir.createdBy')}</dt>
              <dd>{d.createdBy}</dd>
            </div>
          )}
        </dl>
        {d.body && <p className="dir-body">{d.body}</p>}
        <h3>{t('dir.attachments')}</h3>
        {d.attachments.length === 0 ? (
          <p className="muted">{t('dir.noAttachments')}</p>
        ) : (
          <ul>
            {d.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/api/directives/${d.id}/attachments/${a.id}`} download={a.fileName}>
                  {a.fileName}
                </a>
              </li>
            ))}
          </ul>
        )}
        {d.mayManage && (
          <FileField buttonLabel={t('dir.upload')} buttonClassName="btn-small" showChosen={false} onFiles={(picked) => void onFiles(picked)} />
        )}
      </section>
      <section aria-labelledby="dir-tasks">
        <h2 id="dir-tasks">{t('dir.tasks')}</h2>
        {d.tasks.length === 0 ? <p className="muted">{t('dir.noTasksVisible')}</p> : <TaskCards tasks={d.tasks} showDirective={false} />}
        {d.mayManage &&
          (adding ? (
            <form id={FORM} className="card" onSubmit={addTasks} noValidate>
              <h3>{t('dir.addTasks')}</h3>
              <TaskRowsEditor formId={FORM} rows={rows} onChange={setRows} units={units} error={error} />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary">
                  {t('common.save')}
                </button>
                <button type="button" className="btn" onClick={() => setAdding(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <button type="button" className="btn" onClick={() => setAdding(true)}>
              {t('dir.addTasks')}
            </button>
          ))}
      </section>
    </>
  );
}
