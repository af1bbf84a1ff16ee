import { useState, type FormEvent } from 'react';
import { COMMENDATION_LEVELS, COMMENDATION_RECIPIENTS, formatDate, type CommendationView } from '../../contracts.js';
import { api } from '../../api/client.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { ErrorAlert, ErrorSummary, Field } from '../../components/form.js';
import { Loading, PageHeader, unitName, LoadMore } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { useActiveUnits } from '../directives/directives-bits.js';
import '../directives/directives.css';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { todayInVietnam } from '../../components/dates.js';
import { UnitPicker } from '../../components/unit-picker.js';

const FORM = 'commendation-new';
const empty = { decisionNumber: '', decidedOn: '', level: 'national_committee', recipientKind: 'unit', unitId: '', officerName: '', officerTitle: '', reason: '' };

/** Commendations per unit and period, and the form to record one (standing office; coordinators for their own units). */
export function CommendationsPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const units = useActiveUnits();
  const mayRecord = (me.unit.kind === 'national_office' && me.roles.includes('analyst')) || me.roles.includes('provincial_coordinator');
  const [filter, setFilter] = useState({ unitId: '', from: '', to: '' });
  const [applied, setApplied] = useState(filter);
  const [tick, setTick] = useState(0);
  const { items, nextCursor, error, loadMore, loadingMore } = useCursorPages<CommendationView>('/api/commendations', { ...applied, limit: 50, tick });
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(empty);
  const [formError, setFormError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      await api.post<CommendationView>('/api/commendations', { ...f, decidedOn: f.decidedOn || undefined, unitId: f.unitId || undefined, officerName: f.recipientKind === 'officer' ? f.officerName : null, officerTitle: f.recipientKind === 'officer' ? f.officerTitle || null : null, caseIds: [] });
      setFlash(t('comm.saved'));
      setOpen(false);
      setF(empty);
      setTick((n) => n + 1);
    } catch (err) {
      setFormError(err);
    }
  }
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const labels = { decisionNumber: t('comm.decisionNumber'), decidedOn: t('comm.decidedOn'), level: t('comm.level'), unitId: t('comm.unit'), officerName: t('comm.officerName'), reason: t('comm.reason'), caseIds: t('comm.cases') };

  return (
    <>
      <PageHeader title={t('section.commendations')}>
        {mayRecord && !open && (
          <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
            {t('comm.new')}
          </button>
        )}
      </PageHeader>
      <p className="muted">{t('comm.intro')}</p>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {open && (
        <form id={FORM} className="card" onSubmit={save} noValidate>
          <h2>{t('comm.new')}</h2>
          <ErrorSummary error={formError} formId={FORM} labels={labels} reasons={{ decidedOn: DATE_REASONS }} />
          <div className="form-grid">
            <Field formId={FORM} name="decisionNumber" label={t('comm.decisionNumber')} error={formError}>
              {(p) => <input {...p} value={f.decisionNumber} onChange={set('decisionNumber')} />}
            </Field>
            <Field formId={FORM} name="decidedOn" label={t('comm.decidedOn')} error={formError} reasons={DATE_REASONS}>
              {(p) => <DateField {...p} value={f.decidedOn} max={todayInVietnam()} onChange={(decidedOn) => setF({ ...f, decidedOn })} />}
            </Field>
            <Field formId={FORM} name="level" label={t('comm.level')} error={formError}>
              {(p) => (
                <select {...p} value={f.level} onChange={set('level')}>
                  {COMMENDATION_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`commLevel.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field formId={FORM} name="recipientKind" label={t('comm.recipientKind')} error={formError}>
              {(p) => (
                <select {...p} value={f.recipientKind} onChange={set('recipientKind')}>
                  {COMMENDATION_RECIPIENTS.map((r) => (
                    <option key={r} value={r}>
                      {t(`commRecipient.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field formId={FORM} name="unitId" label={t('comm.unit')} hint={t('comm.unitHint')} error={formError}>
            {(p) => <UnitPicker {...p} units={units} value={f.unitId} onChange={(unitId) => setF({ ...f, unitId })} />}
          </Field>
          {f.recipientKind === 'officer' && (
            <div className="form-grid">
              <Field formId={FORM} name="officerName" label={t('comm.officerName')} error={formError}>
                {(p) => <input {...p} value={f.officerName} onChange={set('officerName')} />}
              </Field>
              <Field formId={FORM} name="officerTitle" label={t('comm.officerTitle')} error={formError}>
                {(p) => <input {...p} value={f.officerTitle} onChange={set('officerTitle')} />}
              </Field>
            </div>
          )}
          <Field formId={FORM} name="reason" label={t('comm.reason')} error={formError}>
            {(p) => <textarea {...p} value={f.reason} onChange={set('reason')} rows={3} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {t('common.save')}
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        <div className="field">
          <label htmlFor="cf-unit">{t('comm.unit')}</label>
          <UnitPicker id="cf-unit" units={units} value={filter.unitId} onChange={(unitId) => setFilter({ ...filter, unitId })} emptyLabel={t('common.all')} />
        </div>
        <div className="field">
          <label htmlFor="cf-from">{t('reports.period.from')}</label>
          <DateField id="cf-from" value={filter.from} max={filter.to || undefined} onChange={(from) => setFilter({ ...filter, from })} />
        </div>
        <div className="field">
          <label htmlFor="cf-to">{t('reports.period.to')}</label>
          <DateField id="cf-to" value={filter.to} min={filter.from || undefined} onChange={(to) => setFilter({ ...filter, to })} />
        </div>
        <div className="form-actions field">
          <button type="submit" className="btn btn-primary">
            {t('common.apply')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
      {items === null ? (
        <Loading />
      ) : (
        <ul className="task-list" aria-label={t('comm.caption')}>
          {items.length === 0 && <li className="muted">{t('common.none')}</li>}
          {items.map((c) => (
            <li key={c.id} className="task-item">
              <div className="task-item-head">
                <span className="task-item-title">{c.recipientKind === 'officer' ? `${c.officerName}${c.officerTitle ? `, ${c.officerTitle}` : ''}` : unitName(c.unit, locale)}</span>
                <span className="pill">{t(`commLevel.${c.level}`)}</span>
              </div>
              <div className="task-meta">
                <span>
                  {c.decisionNumber}, {formatDate(c.decidedOn, locale)}
                </span>
                {c.recipientKind === 'officer' && <span>{unitName(c.unit, locale)}</span>}
              </div>
              <p className="dir-body small">{c.reason}</p>
            </li>
          ))}
        </ul>
      )}
      <LoadMore nextCursor={nextCursor} loadingMore={loadingMore} loadMore={loadMore} />
    </>
  );
}
