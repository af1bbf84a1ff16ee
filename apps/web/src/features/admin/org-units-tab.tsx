import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ORG_UNIT_KINDS, type OrgUnitKind, type OrgUnitView } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ErrorAlert, ErrorSummary, Field } from '../../components/form.js';
import { Loading, kindName, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { treeOrder, useAllOrgUnits } from './use-org-units.js';
import { UnitPicker } from '../../components/unit-picker.js';

interface Draft {
  code: string;
  kind: OrgUnitKind;
  parentId: string;
  forceCode: string;
  provinceCode: string;
  nameVi: string;
  nameEn: string;
}

const EMPTY: Draft = { code: '', kind: 'unit', parentId: '', forceCode: '', provinceCode: '', nameVi: '', nameEn: '' };

function draftOf(u: OrgUnitView): Draft {
  return {
    code: u.code,
    kind: u.kind,
    parentId: u.parentId ?? '',
    forceCode: u.forceCode ?? '',
    provinceCode: u.provinceCode ?? '',
    nameVi: u.nameVi,
    nameEn: u.nameEn,
  };
}

function ConflictNotice({ onReload }: { onReload: () => void }) {
  const t = useT();
  return (
    <div className="alert alert-warning" role="alert">
      <p className="alert-title">{t('error.CONFLICT')}</p>
      <button type="button" className="btn" onClick={onReload}>
        {t('common.reload')}
      </button>
    </div>
  );
}

function UnitForm({ units, editing, onDone, onCancel }: { units: OrgUnitView[]; editing: OrgUnitView | null; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(editing ? draftOf(editing) : EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = editing ? 'unit-edit' : 'unit-new';
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  // A unit cannot sit under itself or its own descendants.
  const parentChoices = useMemo(() => {
    const rows = treeOrder(units);
    if (!editing) return units;
    const banned = new Set([editing.id]);
    for (const r of rows) if (r.unit.parentId && banned.has(r.unit.parentId)) banned.add(r.unit.id);
    return units.filter((u) => !banned.has(u.id));
  }, [units, editing]);
  const forceCodes = useMemo(() => [...new Set(units.map((u) => u.forceCode).filter((c): c is string => !!c))].sort(), [units]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const common = {
      parentId: draft.parentId || null,
      forceCode: draft.forceCode.trim() || null,
      provinceCode: draft.provinceCode.trim() || null,
      nameVi: draft.nameVi,
      nameEn: draft.nameEn,
    };
    try {
      if (editing) await api.patch(`/api/org-units/${editing.id}`, { version: editing.version, ...common });
      else await api.post('/api/org-units', { code: draft.code.trim().toUpperCase(), kind: draft.kind, ...common });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const labels = {
    code: t('unit.code'),
    kind: t('unit.kind'),
    parentId: t('unit.parent'),
    forceCode: t('unit.force'),
    provinceCode: t('unit.province'),
    nameVi: t('unit.nameVi'),
    nameEn: t('unit.nameEn'),
  };
  const conflict = error instanceof ApiError && error.code === 'CONFLICT';

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{editing ? t('unit.editTitle', { code: editing.code }) : t('unit.createTitle')}</h2>
      {conflict ? <ConflictNotice onReload={onDone} /> : <ErrorSummary error={error} formId={formId} labels={labels} />}
      <div className="form-grid">
        <Field formId={formId} name="code" label={labels.code} hint={t('unit.codeHint')} error={error}>
          {(p) => <input {...p} value={draft.code} readOnly={!!editing} onChange={(e) => set('code', e.target.value)} spellCheck={false} />}
        </Field>
        <Field formId={formId} name="kind" label={labels.kind} error={error}>
          {(p) => (
            <select {...p} value={draft.kind} disabled={!!editing} onChange={(e) => set('kind', e.target.value as OrgUnitKind)}>
              {ORG_UNIT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindName(t, k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="parentId" label={labels.parentId} error={error}>
          {(p) => <UnitPicker {...p} units={parentChoices} value={draft.parentId} onChange={(id) => set('parentId', id)} emptyLabel={t('unit.noParent')} />}
        </Field>
        <Field formId={formId} name="forceCode" label={labels.forceCode} hint={t('unit.forceHint')} error={error}>
          {(p) => (
            <>
              <input {...p} list={`${formId}-forces`} value={draft.forceCode} onChange={(e) => set('forceCode', e.target.value.toUpperCase())} spellCheck={false} />
              <datalist id={`${formId}-forces`}>
                {forceCodes.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field formId={formId} name="provinceCode" label={labels.provinceCode} hint={t('unit.provinceHint')} error={error}>
          {(p) => <input {...p} inputMode="numeric" maxLength={2} value={draft.provinceCode} onChange={(e) => set('provinceCode', e.target.value)} />}
        </Field>
        <Field formId={formId} name="nameVi" label={labels.nameVi} error={error}>
          {(p) => <input {...p} lang="vi" value={draft.nameVi} onChange={(e) => set('nameVi', e.target.value)} />}
        </Field>
        <Field formId={formId} name="nameEn" label={labels.nameEn} error={error}>
          {(p) => <input {...p} lang="en" value={draft.nameEn} onChange={(e) => set('nameEn', e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {editing ? t('common.save') : t('unit.create')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function OrgUnitsTab() {
  const t = useT();
  const locale = useLocale();
  const { units, error: loadError, reload } = useAllOrgUnits();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<OrgUnitKind | ''>('');
  const [matches, setMatches] = useState<Set<string> | null>(null);
  const [mode, setMode] = useState<{ type: 'none' } | { type: 'create' } | { type: 'edit'; unit: OrgUnitView }>({ type: 'none' });
  const [rowError, setRowError] = useState<unknown>(null);

  // Search runs on the server (it folds diacritics); the tree keeps the ancestors of each match so
  // a result is always shown where it sits.
  useEffect(() => {
    if (!q.trim() && !kind) {
      setMatches(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api
        .get<{ items: OrgUnitView[] }>('/api/org-units', { q: q.trim(), kind, includeInactive: 'true' }, { signal: ctrl.signal })
        .then((r) => setMatches(new Set(r.items.map((u) => u.id))))
        .catch(() => undefined);
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q, kind, units]);

  const rows = useMemo(() => {
    if (!units) return [];
    const all = treeOrder(units);
    if (!matches) return all.map((r) => ({ ...r, match: true }));
    const byId = new Map(units.map((u) => [u.id, u]));
    const keep = new Set<string>();
    for (const id of matches) {
      let cur = byId.get(id);
      while (cur && !keep.has(cur.id)) {
        keep.add(cur.id);
        cur = cur.parentId ? byId.get(cur.parentId) : undefined;
      }
    }
    return all.filter((r) => keep.has(r.unit.id)).map((r) => ({ ...r, match: matches.has(r.unit.id) }));
  }, [units, matches]);

  async function setActive(unit: OrgUnitView, active: boolean) {
    setRowError(null);
    try {
      await api.patch(`/api/org-units/${unit.id}`, { version: unit.version, active });
      reload();
    } catch (err) {
      setRowError(err);
    }
  }

  const done = () => {
    setMode({ type: 'none' });
    setRowError(null);
    reload();
  };

  if (loadError) return <ErrorAlert error={loadError} />;
  if (!units) return <Loading />;

  return (
    <section aria-labelledby="units-title">
      <h2 id="units-title" className="visually-hidden">
        {t('admin.units')}
      </h2>
      <div className="toolbar">
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="unit-q">{t('common.search')}</label>
            <input id="unit-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="unit-kind">{t('unit.kind')}</label>
            <select id="unit-kind" value={kind} onChange={(e) => setKind(e.target.value as OrgUnitKind | '')}>
              <option value="">{t('common.all')}</option>
              {ORG_UNIT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindName(t, k)}
                </option>
              ))}
            </select>
          </div>
        </form>
        {mode.type === 'none' && (
          <button type="button" className="btn btn-primary" onClick={() => setMode({ type: 'create' })}>
            {t('unit.create')}
          </button>
        )}
      </div>
      {mode.type !== 'none' && (
        <UnitForm
          key={mode.type === 'edit' ? mode.unit.id : 'new'}
          units={units}
          editing={mode.type === 'edit' ? mode.unit : null}
          onDone={done}
          onCancel={() => setMode({ type: 'none' })}
        />
      )}
      {rowError instanceof ApiError && rowError.code === 'CONFLICT' ? (
        <ConflictNotice onReload={done} />
      ) : rowError ? (
        <ErrorAlert error={rowError} />
      ) : null}
      <p className="muted small" role="status">
        {t('common.count', { n: rows.filter((r) => r.match).length })}
      </p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('unit.name')}</th>
              <th scope="col">{t('unit.code')}</th>
              <th scope="col">{t('unit.kind')}</th>
              <th scope="col">{t('unit.force')}</th>
              <th scope="col">{t('unit.province')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ unit, depth, match }) => (
              <tr key={unit.id} className={[unit.active ? '' : 'inactive', match ? '' : 'context-row'].join(' ')}>
                <td>
                  <span className="tree-name" style={{ paddingInlineStart: `${depth * 1.25}rem` }}>
                    {depth > 0 && (
                      <span className="tree-mark" aria-hidden="true">
                        └
                      </span>
                    )}
                    {unitName(unit, locale)}
                  </span>
                </td>
                <td>
                  <code>{unit.code}</code>
                </td>
                <td className="kind-cell">{kindName(t, unit.kind)}</td>
                <td>{unit.forceCode ?? '—'}</td>
                <td>{unit.provinceCode ?? '—'}</td>
                <td>{unit.active ? t('status.active') : t('status.inactive')}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-small" onClick={() => setMode({ type: 'edit', unit })} aria-label={t('unit.editLabel', { code: unit.code })}>
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void setActive(unit, !unit.active)}
                    aria-label={unit.active ? t('unit.deactivateLabel', { code: unit.code }) : t('unit.reactivateLabel', { code: unit.code })}
                  >
                    {unit.active ? t('unit.deactivate') : t('unit.reactivate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
