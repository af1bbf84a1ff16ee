import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { OrgUnitView } from '../../contracts.js';
import { api, request } from '../../api/client.js';
import { ErrorAlert, ErrorSummary, Field } from '../../components/form.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { Loading, PageHeader, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { named, useCaseReference, useNames } from '../cases/reference.js';
import './tips.css';

type Mode = 'propose' | 'assign';
interface Rule {
  id: string;
  provinceCode: string | null;
  category: string | null;
  unit: { id: string; code: string; nameVi: string; nameEn: string };
  mode: Mode;
  active: boolean;
  version: number;
}
interface Draft {
  provinceCode: string;
  category: string;
  unitId: string;
  mode: Mode;
  active: boolean;
}
const EMPTY: Draft = { provinceCode: '', category: '', unitId: '', mode: 'propose', active: true };

/**
 * Routing rules: province × goods category → the unit that handles such tips. Everyone who works the
 * queue reads them; only an admin adds, changes or removes one (the server refuses anyone else).
 */
export function TipRoutingPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const isAdmin = me.roles.includes('admin');
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);

  const load = useCallback(() => {
    api.get<{ items: Rule[] }>('/api/tips/routing-rules').then(
      (r) => setRules(r.items),
      (e: unknown) => setLoadError(e),
    );
  }, []);
  useEffect(load, [load]);

  const any = <span className="muted">{t('routing.any')}</span>;
  const done = (message: string) => {
    setEditing(null);
    setDeleting(null);
    setRowError(null);
    setFlash(message);
    load();
  };

  async function remove(rule: Rule) {
    setRowError(null);
    try {
      await request('DELETE', `/api/tips/routing-rules/${rule.id}`);
      done(t('routing.deleted'));
    } catch (e) {
      setRowError(e);
    }
  }

  return (
    <>
      <PageHeader title={t('routing.title')}>
        <div className="form-actions">
          <Link className="btn" to="/tips">
            {t('routing.backToQueue')}
          </Link>
          {isAdmin && editing === null && (
            <button type="button" className="btn btn-primary" onClick={() => { setFlash(null); setEditing('new'); }}>
              {t('routing.add')}
            </button>
          )}
        </div>
      </PageHeader>
      <p className="muted">{t('routing.intro')}</p>
      {!isAdmin && <p className="hint">{t('routing.adminOnly')}</p>}
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {editing !== null && (
        <RuleForm
          rule={editing === 'new' ? null : editing}
          provinces={[...(ref?.provinces ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'))}
          goods={ref?.goods ?? []}
          units={ref?.units ?? []}
          onCancel={() => setEditing(null)}
          onSaved={(isNew) => done(isNew ? t('routing.added') : t('routing.saved'))}
        />
      )}
      <ErrorAlert error={loadError} />
      <ErrorAlert error={rowError} />
      {rules === null ? (
        loadError == null && <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table routing-table">
            <caption className="visually-hidden">{t('routing.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('routing.province')}</th>
                <th scope="col">{t('routing.category')}</th>
                <th scope="col">{t('routing.unit')}</th>
                <th scope="col">{t('routing.mode')}</th>
                <th scope="col">{t('common.status')}</th>
                {isAdmin && <th scope="col"><span className="visually-hidden">{t('routing.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {rules.length === 0 && (
                <tr>
                  <td colSpan={isAdmin ? 6 : 5} className="empty">
                    {t('routing.none')}
                  </td>
                </tr>
              )}
              {rules.map((r) => (
                <tr key={r.id} className={r.active ? undefined : 'muted'}>
                  <td data-label={t('routing.province')}>{r.provinceCode ? names.province(r.provinceCode) : any}</td>
                  <td data-label={t('routing.category')}>{r.category ? names.goods(r.category) : any}</td>
                  <td data-label={t('routing.unit')}>{unitName(r.unit, locale)}</td>
                  <td data-label={t('routing.mode')}>{t(`routing.mode.${r.mode}`)}</td>
                  <td data-label={t('common.status')}>{r.active ? t('routing.active') : t('routing.inactive')}</td>
                  {isAdmin && (
                    <td className="nowrap">
                      {deleting === r.id ? (
                        <>
                          <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(r)}>
                            {t('routing.confirmDelete')}
                          </button>{' '}
                          <button type="button" className="btn btn-small" onClick={() => setDeleting(null)}>
                            {t('common.cancel')}
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" className="btn btn-small" aria-label={t('routing.editRule', { rule: ruleName(r) })} onClick={() => { setFlash(null); setEditing(r); }}>
                            {t('routing.edit')}
                          </button>{' '}
                          <button type="button" className="btn btn-small" aria-label={t('routing.deleteRule', { rule: ruleName(r) })} onClick={() => { setFlash(null); setDeleting(r.id); }}>
                            {t('routing.delete')}
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );

  function ruleName(r: Rule) {
    return `${r.provinceCode ? names.province(r.provinceCode) : t('routing.any')} × ${r.category ? names.goods(r.category) : t('routing.any')}`;
  }
}

function RuleForm({
  rule,
  provinces,
  goods,
  units,
  onCancel,
  onSaved,
}: {
  rule: Rule | null;
  provinces: { code: string; name: string }[];
  goods: { code: string; nameVi: string; nameEn: string }[];
  units: OrgUnitView[];
  onCancel: () => void;
  onSaved: (isNew: boolean) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<Draft>(rule ? { provinceCode: rule.provinceCode ?? '', category: rule.category ?? '', unitId: rule.unit.id, mode: rule.mode, active: rule.active } : EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'routing-rule';
  const labels = { provinceCode: t('routing.province'), category: t('routing.category'), unitId: t('routing.unit'), mode: t('routing.mode') };
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const fields = { provinceCode: draft.provinceCode || null, category: draft.category || null, unitId: draft.unitId || undefined, mode: draft.mode };
    try {
      if (rule) await api.patch(`/api/tips/routing-rules/${rule.id}`, { version: rule.version, ...fields, active: draft.active });
      else await api.post('/api/tips/routing-rules', fields);
      onSaved(!rule);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="routing-form-title">
      <h2 id="routing-form-title">{rule ? t('routing.editTitle') : t('routing.addTitle')}</h2>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <div className="form-grid">
        <Field formId={formId} name="provinceCode" label={labels.provinceCode} hint={t('routing.anyHint')} error={error}>
          {(p) => (
            <select {...p} value={draft.provinceCode} onChange={(e) => set('provinceCode', e.target.value)}>
              <option value="">{t('routing.any')}</option>
              {provinces.map((x) => (
                <option key={x.code} value={x.code}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="category" label={labels.category} hint={t('routing.anyHint')} error={error}>
          {(p) => (
            <select {...p} value={draft.category} onChange={(e) => set('category', e.target.value)}>
              <option value="">{t('routing.any')}</option>
              {goods.map((g) => (
                <option key={g.code} value={g.code}>
                  {named(g, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="unitId" label={labels.unitId} error={error}>
          {(p) => <UnitPicker {...p} units={units} value={draft.unitId} onChange={(id) => set('unitId', id)} />}
        </Field>
        <Field formId={formId} name="mode" label={labels.mode} hint={t('routing.modeHint')} error={error}>
          {(p) => (
            <select {...p} value={draft.mode} onChange={(e) => set('mode', e.target.value as Mode)}>
              <option value="propose">{t('routing.mode.propose')}</option>
              <option value="assign">{t('routing.mode.assign')}</option>
            </select>
          )}
        </Field>
      </div>
      {rule && (
        <label className="check">
          <input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} /> {t('routing.activeLabel')}
        </label>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {rule ? t('routing.save') : t('routing.addSubmit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
