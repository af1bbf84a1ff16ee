import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import { ApiError } from '../../api/client.js';
import { ClientIssues, ErrorSummary, Field, errorText, issuesOf, useSend } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { TabNav } from '../../components/tabs.js';
import { useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { readStored, writeStored } from '../../components/stored.js';
import { RISK_MANAGE_ROLES, type RiskMappingView, num } from './risk-bits.js';
import { RiskScoredTab } from './risk-scored.js';
import { RiskDashboardTab } from './risk-dashboard.js';
import { RiskImportTab } from './risk-import.js';
import { RiskModelsTab } from './risk-models.js';
import { RiskRulesTab } from './risk-rules.js';
import { RiskOfficesTab } from './risk-offices.js';
import './risk.css';

const TABS = ['dashboard', 'scored', 'import', 'models', 'rules', 'offices'] as const;
type Tab = (typeof TABS)[number];

const EXAMPLE = JSON.stringify(
  { id: 'Declaration ID', date: 'Date', label: 'Fraud', revenue: null, office: 'Office ID', categorical: ['HS6 Code', 'Country of Origin', 'Importer ID'], numeric: ['Net Mass', 'Item Price'], dateFormat: 'yyyy-MM-dd' },
  null,
  2,
);

/** /risk: pick a column mapping (a dataset), then its scored declarations, imports, models and rules. */
export function RiskHome() {
  const t = useT();
  const me = useMe();
  const canManage = me.roles.some((r) => (RISK_MANAGE_ROLES as readonly string[]).includes(r));
  const [params, setParams] = useSearchParams();
  const [mappings, setMappings] = useState<RiskMappingView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);

  const load = useCallback(() => {
    api.get<{ items: RiskMappingView[] }>('/api/risk/mappings').then((r) => setMappings(r.items), setLoadError);
  }, []);
  useEffect(load, [load]);

  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'dashboard';
  // The dataset last chosen in this browser, so "Quản lý rủi ro" in the navigation (no ?m=) opens it
  // again rather than the first one (the demo's): an analyst working on their own import lost it on
  // every visit elsewhere.
  const storeKey = `cordon.risk.mapping.${me.id}`;
  const remembered = readStored(storeKey);
  const mapping = mappings?.find((m) => m.id === params.get('m')) ?? mappings?.find((m) => m.id === remembered) ?? mappings?.[0];
  const mappingId = mapping?.id;
  useEffect(() => {
    if (mappingId) writeStored(storeKey, mappingId);
  }, [storeKey, mappingId]);
  const go = (next: { tab?: Tab; m?: string }) => {
    const p = new URLSearchParams(params);
    if (next.tab) p.set('tab', next.tab);
    if (next.m) p.set('m', next.m);
    setParams(p, { replace: true });
  };

  if (loadError) {
    return (
      <>
        <PageHeader title={t('risk.title')} />
        <p className="alert alert-error" role="alert">{loadError instanceof ApiError && loadError.code === 'FORBIDDEN' ? t('risk.customsOnly') : errorText(t, loadError)}</p>
      </>
    );
  }
  if (!mappings) return <Loading />;
  return (
    <>
      <PageHeader title={t('risk.title')}>
        {canManage && !creating && (
          <button type="button" className="btn" onClick={() => setCreating(true)}>
            {t('risk.mapping.new')}
          </button>
        )}
      </PageHeader>
      <p className="muted risk-intro">{t('risk.intro')}</p>
      {creating && (
        <MappingForm
          onCancel={() => setCreating(false)}
          onSaved={(m) => {
            setCreating(false);
            setMappings([...(mappings ?? []), m]);
            go({ m: m.id });
          }}
        />
      )}
      {mappings.length === 0 ? (
        !creating && <p className="alert alert-info">{canManage ? t('risk.mapping.noneManager') : t('risk.mapping.none')}</p>
      ) : (
        <>
          <div className="risk-mapping">
            <div className="field">
              <label htmlFor="risk-mapping">{t('risk.mapping.label')}</label>
              <select id="risk-mapping" value={mapping?.id} onChange={(e) => { setRenaming(false); setFlash(null); go({ m: e.target.value }); }}>
                {mappings.map((m) => (
                  <option key={m.id} value={m.id}>{m.name}</option>
                ))}
              </select>
            </div>
            {canManage && mapping && !renaming && (
              <button type="button" className="btn" onClick={() => { setFlash(null); setRenaming(true); }}>
                {t('risk.mapping.rename')}
              </button>
            )}
            {mapping && (
              <p className="muted">{t('risk.mapping.counts', { declarations: num(mapping.declarations), outcomes: num(mapping.outcomes) })}</p>
            )}
          </div>
          {flash && <p className="alert alert-success" role="status">{flash}</p>}
          {renaming && mapping && (
            <RenameForm
              key={mapping.id}
              mapping={mapping}
              onCancel={() => setRenaming(false)}
              onSaved={(m) => {
                setRenaming(false);
                setMappings(mappings.map((x) => (x.id === m.id ? m : x)));
                setFlash(t('risk.mapping.renamed', { name: m.name }));
              }}
            />
          )}
          <TabNav
            label={t('risk.tabs')}
            replace
            tabs={TABS.filter((x) => canManage || x !== 'import').map((x) => ({ to: `?m=${mapping?.id ?? ''}&tab=${x}`, label: t(`risk.tab.${x}`), current: x === tab }))}
          />
          {mapping && tab === 'dashboard' && <RiskDashboardTab mapping={mapping} />}
          {mapping && tab === 'scored' && <RiskScoredTab mapping={mapping} canManage={canManage} />}
          {mapping && tab === 'import' && canManage && <RiskImportTab mapping={mapping} onImported={load} />}
          {mapping && tab === 'models' && <RiskModelsTab mapping={mapping} canManage={canManage} />}
          {mapping && tab === 'rules' && <RiskRulesTab mapping={mapping} canManage={canManage} />}
          {mapping && tab === 'offices' && <RiskOfficesTab mapping={mapping} />}
        </>
      )}
    </>
  );
}

/** Renames a mapping (PATCH with its version: a stale version or a taken name is a 409 shown in the form). */
function RenameForm({ mapping, onCancel, onSaved }: { mapping: RiskMappingView; onCancel: () => void; onSaved: (m: RiskMappingView) => void }) {
  const t = useT();
  const [name, setName] = useState(mapping.name);
  const { error, busy, send } = useSend();
  function submit(e: FormEvent) {
    e.preventDefault();
    void send(async () => onSaved(await api.patch<RiskMappingView>(`/api/risk/mappings/${mapping.id}`, { name, version: mapping.version })));
  }
  return (
    <form className="card" id="risk-rename-form" onSubmit={submit} noValidate>
      <h2>{t('risk.mapping.renameTitle')}</h2>
      <ErrorSummary error={error} formId="risk-rename-form" labels={{ name: t('risk.mapping.name') }} />
      <Field formId="risk-rename-form" name="name" label={t('risk.mapping.name')} hint={t('risk.mapping.renameHint')} error={error}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t('common.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function MappingForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (m: RiskMappingView) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [text, setText] = useState(EXAMPLE);
  const { error, setError, busy, send } = useSend();
  // "Unsupported field" alone does not say which: the server's message quotes the key ("Unrecognized key: \"extra\"").
  const unknownKeys = issuesOf(error)
    .filter((i) => i.field.startsWith('mapping') && i.reason === 'unknown_field')
    .flatMap((i) => [...i.message.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
  function submit(e: FormEvent) {
    e.preventDefault();
    let mapping: unknown;
    try {
      mapping = JSON.parse(text);
    } catch {
      setError(new ClientIssues([{ field: 'mapping', reason: 'invalid_format', message: 'not JSON' }]));
      return;
    }
    void send(async () => onSaved(await api.post<RiskMappingView>('/api/risk/mappings', { name, mapping })));
  }
  return (
    <form className="card" id="risk-mapping-form" onSubmit={submit} noValidate>
      <h2>{t('risk.mapping.new')}</h2>
      <ErrorSummary error={error} formId="risk-mapping-form" labels={{ name: t('risk.mapping.name'), mapping: t('risk.mapping.json') }} />
      <Field formId="risk-mapping-form" name="name" label={t('risk.mapping.name')} error={error}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />}
      </Field>
      <Field formId="risk-mapping-form" name="mapping" label={t('risk.mapping.json')} hint={t('risk.mapping.hint')} error={error}>
        {(p) => <textarea {...p} className="risk-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />}
      </Field>
      {unknownKeys.length > 0 && <p className="field-error" data-testid="risk-mapping-unknown">{t('risk.mapping.unknownKeys', { keys: unknownKeys.join(', ') })}</p>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t('common.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
