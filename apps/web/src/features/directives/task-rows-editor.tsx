import { TASK_PRIORITIES, type OrgUnitView } from '../../contracts.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { Field } from '../../components/form.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { useT } from '../../i18n/i18n.js';

export interface TaskDraft {
  title: string;
  instructions: string;
  reportRequirement: string;
  assignedUnitId: string;
  deadline: string;
  priority: string;
}
export const emptyTask = (): TaskDraft => ({ title: '', instructions: '', reportRequirement: '', assignedUnitId: '', deadline: '', priority: 'normal' });

/** Rows of tasks to give, each with its unit, deadline and priority. Field names follow the API ("tasks.0.title"). */
export function TaskRowsEditor({ formId, rows, onChange, units, error }: { formId: string; rows: TaskDraft[]; onChange: (rows: TaskDraft[]) => void; units: OrgUnitView[]; error: unknown }) {
  const t = useT();
  const set = (i: number, k: keyof TaskDraft, v: string) => onChange(rows.map((r, n) => (n === i ? { ...r, [k]: v } : r)));
  return (
    <>
      {rows.map((row, i) => (
        <fieldset key={i} className="task-form-row">
          <legend>{t('dir.taskN', { n: i + 1 })}</legend>
          <Field formId={formId} name={`tasks.${i}.title`} label={t('task.title')} error={error}>
            {(p) => <input {...p} value={row.title} onChange={(e) => set(i, 'title', e.target.value)} />}
          </Field>
          <Field formId={formId} name={`tasks.${i}.reportRequirement`} label={t('task.reportRequirement')} error={error}>
            {(p) => <input {...p} value={row.reportRequirement} onChange={(e) => set(i, 'reportRequirement', e.target.value)} />}
          </Field>
          <div className="form-grid">
            <Field formId={formId} name={`tasks.${i}.assignedUnitId`} label={t('task.unit')} error={error}>
              {(p) => <UnitPicker {...p} units={units} value={row.assignedUnitId} onChange={(id) => set(i, 'assignedUnitId', id)} />}
            </Field>
            <Field formId={formId} name={`tasks.${i}.deadline`} label={t('task.deadline')} hint={t('task.deadlineHint')} error={error} reasons={DATE_REASONS}>
              {(p) => <DateField {...p} value={row.deadline} onChange={(v) => set(i, 'deadline', v)} />}
            </Field>
            <Field formId={formId} name={`tasks.${i}.priority`} label={t('task.priority')} error={error}>
              {(p) => (
                <select {...p} value={row.priority} onChange={(e) => set(i, 'priority', e.target.value)}>
                  {TASK_PRIORITIES.map((x) => (
                    <option key={x} value={x}>
                      {t(`taskPriority.${x}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field formId={formId} name={`tasks.${i}.instructions`} label={t('task.instructions')} error={error}>
            {(p) => <textarea {...p} value={row.instructions} onChange={(e) => set(i, 'instructions', e.target.value)} />}
          </Field>
          <button type="button" className="btn btn-small" onClick={() => onChange(rows.filter((_, n) => n !== i))}>
            {t('dir.removeTask')}
          </button>
        </fieldset>
      ))}
      <button type="button" className="btn" onClick={() => onChange([...rows, emptyTask()])}>
        + {t('dir.addTask')}
      </button>
    </>
  );
}

/** Empty rows are left out; the server names any field still missing ("tasks.0.deadline"). */
export function toTaskBody(rows: TaskDraft[]) {
  // '' becomes absent, so the server says "required" rather than "wrong format" for a blank date or unit.
  return rows
    .filter((r) => r.title || r.reportRequirement || r.assignedUnitId || r.deadline)
    .map((r) => ({ ...r, assignedUnitId: r.assignedUnitId || undefined, deadline: r.deadline || undefined }));
}
