import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { ClientIssues, ErrorSummary, Field, ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { useT, type Translate } from '../../i18n/i18n.js';
import { formatDate, type RiskCondition, type RiskRuleBacktest, type RiskRuleView } from '../../contracts.js';
import { ChannelBadge, num, pct, type Channel, type RiskMappingView } from './risk-bits.js';

const OPS = ['eq', 'ne', 'prefix', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte'] as const;
type Op = (typeof OPS)[number];
interface CondDraft {
  column: string;
  op: Op;
  value: string;
}
/** A condition as the analyst reads it: "HS6 Code bắt đầu bằng 8517", "Xuất xứ thuộc CN, HK". */
const condText = (t: Translate, c: RiskCondition) =>
  `${c.column} ${t(`risk.opText.${c.op}`)} ${Array.isArray(c.value) ? c.value.join(', ') : typeof c.value === 'number' ? num(c.value) : c.value}`;

/** Selectivity rules: conditions → a channel or a weight; shadow rules show what they would select and their hit rate. */
export function RiskRulesTab({ mapping, canManage }: { mapping: RiskMappingView; canManage: boolean }) {
  const t = useT();
  const [rules, setRules] = useState<RiskRuleView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<RiskRuleView | 'new' | null>(null);
  const [flash, setFlash] = useState<string | null>(null);

  const load = useCallback(() => {
    api.get<{ items: RiskRuleView[] }>('/api/risk/rules', { mappingId: mapping.id }).then((r) => setRules(r.items), setError);
  }, [mapping.id]);
  useEffect(load, [load]);

  async function setMode(r: RiskRuleView, mode: RiskRuleView['mode']) {
    setError(null);
    try {
      await api.patch(`/api/risk/rules/${r.id}`, { version: r.version, mode });
      setFlash(t('risk.rules.modeSet', { code: r.code, mode: t(`risk.rules.mode.${mode}`) }));
      load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="risk-rules-title">
      <h2 id="risk-rules-title">{t('risk.rules.title')}</h2>
      <p className="muted">{t('risk.rules.intro')}</p>
      {canManage && editing === null && (
        <p>
          <button type="button" className="btn btn-primary" onClick={() => { setFlash(null); setEditing('new'); }}>{t('risk.rules.add')}</button>
        </p>
      )}
      {editing !== null && (
        <RuleForm
          mapping={mapping}
          rule={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setFlash(t('common.saved'));
            load();
          }}
        />
      )}
      {flash && <p className="alert alert-success" role="status">{flash}</p>}
      <ErrorAlert error={error} />
      {rules === null ? (
        error == null && <Loading />
      ) : (
        <div className="table-wrap risk-table-wrap">
          <table className="table risk-table">
            <caption className="visually-hidden">{t('risk.rules.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('risk.rules.code')}</th>
                <th scope="col">{t('risk.rules.when')}</th>
                <th scope="col">{t('risk.rules.effect')}</th>
                <th scope="col">{t('risk.rules.mode')}</th>
                <th scope="col">{t('risk.rules.fired')}</th>
                <th scope="col">{t('risk.drift.hitRate')}</th>
                <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {rules.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">{t('risk.rules.none')}</td>
                </tr>
              )}
              {rules.map((r) => (
                <tr key={r.id} className={r.mode === 'retired' ? 'inactive' : undefined}>
                  <td data-label={t('risk.rules.code')}>
                    <strong>{r.code}</strong>
                    {r.description && <div className="muted small">{r.description}</div>}
                  </td>
                  <td data-label={t('risk.rules.when')}>
                    {r.conditions.map((c, i) => (
                      <div key={i}>{condText(t, c)}</div>
                    ))}
                    {(r.validFrom || r.validTo) && <div className="muted small">{r.validFrom ? formatDate(r.validFrom) : '…'} – {r.validTo ? formatDate(r.validTo) : '…'}</div>}
                  </td>
                  <td data-label={t('risk.rules.effect')}>{r.channel ? <ChannelBadge channel={r.channel} t={t} /> : t('risk.rules.weightIs', { w: (r.weight ?? 0) > 0 ? `+${r.weight}` : String(r.weight) })}</td>
                  <td data-label={t('risk.rules.mode')}>{t(`risk.rules.mode.${r.mode}`)}</td>
                  <td data-label={t('risk.rules.fired')}>{t('risk.rules.firedOf', { fired: r.stats.fired, inspected: r.stats.inspected })}</td>
                  <td data-label={t('risk.drift.hitRate')}>{pct(r.stats.hitRate)}</td>
                  <td className="row-actions">
                    {canManage && (
                      <>
                        {r.mode !== 'retired' && (
                          <button type="button" className="btn btn-small" onClick={() => void setMode(r, r.mode === 'shadow' ? 'active' : 'shadow')}>
                            {r.mode === 'shadow' ? t('risk.rules.activate') : t('risk.rules.toShadow')}
                          </button>
                        )}{' '}
                        <button type="button" className="btn btn-small" aria-label={t('risk.rules.editCode', { code: r.code })} onClick={() => { setFlash(null); setEditing(r); }}>
                          {t('common.edit')}
                        </button>{' '}
                        {r.mode !== 'retired' && (
                          <button type="button" className="btn btn-small" onClick={() => void setMode(r, 'retired')}>{t('risk.rules.retire')}</button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RuleForm({ mapping, rule, onCancel, onSaved }: { mapping: RiskMappingView; rule: RiskRuleView | null; onCancel: () => void; onSaved: () => void }) {
  const t = useT();
  const columns = [...mapping.mapping.categorical, ...mapping.mapping.numeric];
  const [code, setCode] = useState(rule?.code ?? '');
  const [description, setDescription] = useState(rule?.description ?? '');
  const [conds, setConds] = useState<CondDraft[]>(
    rule?.conditions.map((c) => ({ column: c.column, op: c.op, value: Array.isArray(c.value) ? c.value.join('|') : String(c.value) })) ?? [{ column: columns[0] ?? '', op: 'eq', value: '' }],
  );
  const [effect, setEffect] = useState<'channel' | 'weight'>(rule?.weight != null ? 'weight' : 'channel');
  const [channel, setChannel] = useState<Channel>(rule?.channel ?? 'red');
  const [weight, setWeight] = useState(String(rule?.weight ?? 1));
  const [mode, setMode] = useState<RiskRuleView['mode']>(rule?.mode ?? 'shadow');
  const [validFrom, setValidFrom] = useState(rule?.validFrom ?? '');
  const [validTo, setValidTo] = useState(rule?.validTo ?? '');
  const [error, setError] = useState<unknown>(null);
  const [trial, setTrial] = useState<RiskRuleBacktest | null>(null);
  const [trying, setTrying] = useState(false);

  const setCond = (i: number, patch: Partial<CondDraft>) => setConds(conds.map((c, k) => (k === i ? { ...c, ...patch } : c)));

  /** The conditions as the server takes them, and the problems found before sending. */
  function parsed() {
    const issues: { field: string; reason: string; message: string }[] = [];
    const conditions = conds.map((c, i) => {
      if (c.op === 'in' || c.op === 'notIn') return { column: c.column, op: c.op, value: c.value.split('|').map((x) => x.trim()).filter(Boolean) };
      if (['gt', 'gte', 'lt', 'lte'].includes(c.op)) {
        const n = Number(c.value);
        if (c.value.trim() === '' || !Number.isFinite(n)) issues.push({ field: `conditions.${i}.value`, reason: 'invalid_value', message: 'a number' });
        return { column: c.column, op: c.op, value: n };
      }
      return { column: c.column, op: c.op, value: c.value.trim() };
    });
    return { issues, conditions };
  }

  async function tryIt() {
    setError(null);
    setTrial(null);
    const { issues, conditions } = parsed();
    if (issues.length) return setError(new ClientIssues(issues));
    setTrying(true);
    try {
      setTrial(await api.post<RiskRuleBacktest>('/api/risk/rules/backtest', { mappingId: mapping.id, conditions, validFrom: validFrom || null, validTo: validTo || null }));
    } catch (err) {
      setError(err);
    } finally {
      setTrying(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const { issues, conditions } = parsed();
    const w = Number(weight);
    if (effect === 'weight' && !Number.isFinite(w)) issues.push({ field: 'weight', reason: 'invalid_value', message: 'a number' });
    if (issues.length) return setError(new ClientIssues(issues));
    const common = {
      description, conditions, channel: effect === 'channel' ? channel : null, weight: effect === 'weight' ? w : null, mode, validFrom: validFrom || null, validTo: validTo || null,
    };
    try {
      if (rule) await api.patch(`/api/risk/rules/${rule.id}`, { version: rule.version, ...common });
      else await api.post('/api/risk/rules', { mappingId: mapping.id, code, ...common });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  const f = 'risk-rule';
  return (
    <form className="card" id={f} onSubmit={(e) => void submit(e)} noValidate>
      <h2>{rule ? t('risk.rules.editCode', { code: rule.code }) : t('risk.rules.add')}</h2>
      <ErrorSummary error={error} formId={f} labels={{ code: t('risk.rules.code'), conditions: t('risk.rules.when'), channel: t('risk.rules.effect'), weight: t('risk.rules.weight'), validFrom: t('risk.rules.validFrom'), validTo: t('risk.rules.validTo') }} reasons={{ validFrom: DATE_REASONS, validTo: DATE_REASONS }} />
      <div className="grid-2">
        <Field formId={f} name="code" label={t('risk.rules.code')} hint={t('risk.rules.codeHint')} error={error}>
          {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} disabled={!!rule} maxLength={60} />}
        </Field>
        <Field formId={f} name="description" label={t('risk.rules.description')} error={error}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />}
        </Field>
      </div>
      <fieldset className="field" id={`${f}-conditions`}>
        <legend>{t('risk.rules.when')}</legend>
        <div className="risk-conditions">
          {conds.map((c, i) => (
            <div className="risk-condition" key={i}>
              <select aria-label={t('risk.rules.column')} value={c.column} onChange={(e) => setCond(i, { column: e.target.value })}>
                {columns.map((col) => (
                  <option key={col} value={col}>{col}</option>
                ))}
              </select>
              <select aria-label={t('risk.rules.op')} value={c.op} onChange={(e) => setCond(i, { op: e.target.value as Op })}>
                {OPS.map((o) => (
                  <option key={o} value={o}>{t(`risk.op.${o}`)}</option>
                ))}
              </select>
              <input aria-label={t('risk.rules.value')} value={c.value} onChange={(e) => setCond(i, { value: e.target.value })} placeholder={c.op === 'in' || c.op === 'notIn' ? 'A|B|C' : ''} />
              {conds.length > 1 && (
                <button type="button" className="btn btn-small" onClick={() => setConds(conds.filter((_, k) => k !== i))}>{t('risk.rules.removeCondition')}</button>
              )}
            </div>
          ))}
        </div>
        <div className="risk-rule-tools">
          <button type="button" className="btn btn-small" onClick={() => setConds([...conds, { column: columns[0] ?? '', op: 'eq', value: '' }])}>{t('risk.rules.addCondition')}</button>
          <button type="button" className="btn btn-small" disabled={trying} onClick={() => void tryIt()}>{trying ? t('risk.rules.trying') : t('risk.rules.try')}</button>
        </div>
        {trial && (
          <p className="alert alert-info" role="status" data-testid="risk-rule-trial">
            {trial.considered === 0
              ? t('risk.rules.trialEmpty')
              : t('risk.rules.trial', {
                  considered: num(trial.considered),
                  from: trial.from ? formatDate(`${trial.from}T12:00:00Z`) : '…',
                  to: trial.to ? formatDate(`${trial.to}T12:00:00Z`) : '…',
                  matched: num(trial.matched),
                  share: pct(trial.matched / trial.considered),
                  inspected: num(trial.inspected),
                  found: num(trial.found),
                  hitRate: pct(trial.hitRate),
                  base: pct(trial.baseHitRate),
                })}
          </p>
        )}
      </fieldset>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${f}-effect`}>{t('risk.rules.effect')}</label>
          <select id={`${f}-effect`} value={effect === 'weight' ? 'weight' : channel} onChange={(e) => {
            if (e.target.value === 'weight') setEffect('weight');
            else {
              setEffect('channel');
              setChannel(e.target.value as Channel);
            }
          }}>
            {(['red', 'yellow', 'green'] as const).map((c) => (
              <option key={c} value={c}>{t('risk.rules.force', { channel: t(`risk.channel.${c}`) })}</option>
            ))}
            <option value="weight">{t('risk.rules.addWeight')}</option>
          </select>
        </div>
        {effect === 'weight' && (
          <Field formId={f} name="weight" label={t('risk.rules.weight')} hint={t('risk.rules.weightHint')} error={error}>
            {(p) => <input {...p} type="number" step="0.1" min={-20} max={20} value={weight} onChange={(e) => setWeight(e.target.value)} />}
          </Field>
        )}
        <div className="field">
          <label htmlFor={`${f}-mode`}>{t('risk.rules.mode')}</label>
          <select id={`${f}-mode`} value={mode} onChange={(e) => setMode(e.target.value as RiskRuleView['mode'])}>
            {(['shadow', 'active', 'retired'] as const).map((m) => (
              <option key={m} value={m}>{t(`risk.rules.mode.${m}`)}</option>
            ))}
          </select>
          <p className="hint">{t('risk.rules.shadowHint')}</p>
        </div>
        <Field formId={f} name="validFrom" label={t('risk.rules.validFrom')} error={error} reasons={DATE_REASONS}>
          {(p) => <DateField {...p} value={validFrom} max={validTo || undefined} onChange={setValidFrom} />}
        </Field>
        <Field formId={f} name="validTo" label={t('risk.rules.validTo')} error={error} reasons={DATE_REASONS}>
          {(p) => <DateField {...p} value={validTo} min={validFrom || undefined} onChange={setValidTo} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">{t('common.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
