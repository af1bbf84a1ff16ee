import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { DirectiveDetail, TemplateList } from '../../contracts.js';
import { api } from '../../api/client.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { todayInVietnam } from '../../components/dates.js';
import { ErrorSummary, Field } from '../../components/form.js';
import { PageHeader } from '../../components/ui.js';
import { UnitListPicker } from '../../components/unit-picker.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useActiveUnits, useResource } from './directives-bits.js';
import { emptyTask, TaskRowsEditor, toTaskBody, type TaskDraft } from './task-rows-editor.js';
import './directives.css';

const FORM = 'directive-new';

export function DirectiveNewPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const units = useActiveUnits();
  const templates = useResource<TemplateList>('/api/directives/templates');
  const [f, setF] = useState({ number: '', issuedOn: '', issuer: '', title: '', body: '' });
  const [tasks, setTasks] = useState<TaskDraft[]>([emptyTask()]);
  const [tpl, setTpl] = useState({ templateId: '', anchorDate: '', unitIds: [] as string[] });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const d = await api.post<DirectiveDetail>('/api/directives', {
        ...f,
        issuedOn: f.issuedOn || undefined,
        tasks: toTaskBody(tasks),
        ...(tpl.templateId ? { template: { templateId: tpl.templateId, anchorDate: tpl.anchorDate || undefined, unitIds: tpl.unitIds } } : {}),
      });
      void navigate(`/directives/${d.id}`, { state: { flash: t('dir.saved') } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  const labels: Record<string, string> = { number: t('dir.number'), issuedOn: t('dir.issuedOn'), issuer: t('dir.issuer'), title: t('dir.title'), body: t('dir.body'), tasks: t('dir.tasks'), template: t('dir.template') };
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const chosen = templates.data?.items.find((x) => x.id === tpl.templateId);

  return (
    <>
      <Link to="/directives/list" className="case-back">
        ← {t('dir.back')}
      </Link>
      <PageHeader title={t('dir.new')} />
      <form id={FORM} onSubmit={submit} noValidate>
        <ErrorSummary error={error} formId={FORM} labels={labels} reasons={{ issuedOn: DATE_REASONS }} />
        <section className="card">
          <div className="form-grid">
            <Field formId={FORM} name="number" label={t('dir.number')} error={error}>
              {(p) => <input {...p} value={f.number} onChange={set('number')} placeholder="40/CĐ-TTg" />}
            </Field>
            <Field formId={FORM} name="issuedOn" label={t('dir.issuedOn')} error={error} reasons={DATE_REASONS}>
              {(p) => <DateField {...p} value={f.issuedOn} max={todayInVietnam()} onChange={(issuedOn) => setF({ ...f, issuedOn })} />}
            </Field>
            <Field formId={FORM} name="issuer" label={t('dir.issuer')} error={error}>
              {(p) => <input {...p} value={f.issuer} onChange={set('issuer')} />}
            </Field>
          </div>
          <Field formId={FORM} name="title" label={t('dir.title')} error={error}>
            {(p) => <input {...p} value={f.title} onChange={set('title')} />}
          </Field>
          <Field formId={FORM} name="body" label={t('dir.body')} error={error}>
            {(p) => <textarea {...p} value={f.body} onChange={set('body')} rows={6} />}
          </Field>
        </section>
        <section className="card" aria-labelledby="new-tasks">
          <h2 id="new-tasks">{t('dir.tasks')}</h2>
          <TaskRowsEditor formId={FORM} rows={tasks} onChange={setTasks} units={units} error={error} />
        </section>
        {templates.data && templates.data.items.length > 0 && (
          <section className="card" aria-labelledby="new-template">
            <h2 id="new-template">{t('dir.applyTemplate')}</h2>
            <Field formId={FORM} name="template.templateId" label={t('dir.template')} error={error}>
              {(p) => (
                <select {...p} value={tpl.templateId} onChange={(e) => setTpl({ ...tpl, templateId: e.target.value })}>
                  <option value="">{t('dir.noTemplate')}</option>
                  {templates.data!.items.map((x) => (
                    <option key={x.id} value={x.id}>
                      {locale === 'vi' ? x.nameVi : x.nameEn} ({t('dir.templateSteps', { n: x.items.length })})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {chosen && (
              <>
                <Field formId={FORM} name="template.anchorDate" label={t('dir.anchorDate')} hint={t('dir.anchorHint')} error={error} reasons={DATE_REASONS}>
                  {(p) => <DateField {...p} value={tpl.anchorDate} onChange={(anchorDate) => setTpl({ ...tpl, anchorDate })} />}
                </Field>
                <Field formId={FORM} name="template.unitIds" label={t('dir.templateUnits')} hint={t('dir.templateUnitsHint')} error={error}>
                  {(p) => <UnitListPicker {...p} units={units.filter((u) => u.kind !== 'unit')} value={tpl.unitIds} onChange={(unitIds) => setTpl({ ...tpl, unitIds })} />}
                </Field>
              </>
            )}
          </section>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </>
  );
}
