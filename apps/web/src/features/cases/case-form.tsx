import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  SENSITIVITY_LEVELS, SUBJECT_KINDS, SUBJECT_ROLES, compactPhone, readTypedNumber,
  type BorderGateView, type CaseDetail, type Locale, type CreateCaseBody, type FieldIssue, type DirectoryUser, type HsCodeView, type WardView,
} from '../../contracts.js';
import { api } from '../../api/client.js';
import { ErrorAlert, ClientIssues, ErrorSummary, Field, FieldSet } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { UnitListPicker, UnitPicker } from '../../components/unit-picker.js';
import { useLocale, useT, type MessageKey } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { PROVINCE_MERGER_DATE, groupVnd, named, todayInVietnam, typedVnd, useCaseReference, type CaseReference } from './reference.js';
import { ViolationTypeOptions } from './case-bits.js';

const FORM_ID = 'caseform';

type Kind = (typeof SUBJECT_KINDS)[number];
type SubjectRole = (typeof SUBJECT_ROLES)[number];
type Sensitivity = (typeof SENSITIVITY_LEVELS)[number];

interface GoodsDraft {
  key: number;
  category: string;
  hsCode: string;
  description: string;
  quantity: string;
  unit: string;
  valueVnd: string;
  brand: string;
}
interface SubjectDraft {
  key: number;
  kind: Kind;
  role: SubjectRole;
  name: string;
  idNumber: string;
  taxCode: string;
  plate: string;
  imo: string;
  phone: string;
  dateOfBirth: string;
  address: string;
  nationality: string;
}
export interface CaseDraft {
  title: string;
  summary: string;
  violationType: string;
  detectedOn: string;
  provinceCode: string;
  wardCode: string;
  wardName: string;
  borderGate: string;
  place: string;
  latitude: string;
  longitude: string;
  route: string;
  sourceRef: string;
  leadUnitId: string;
  coordinatingUnitIds: string[];
  sensitivity: Sensitivity;
  namedUserIds: string[];
  goods: GoodsDraft[];
  subjects: SubjectDraft[];
}

/** Which identifier fields each kind of subject has (the rest would only confuse). */
const ID_FIELDS: Record<Kind, readonly (keyof SubjectDraft)[]> = {
  person: ['idNumber', 'phone', 'dateOfBirth', 'nationality', 'address'],
  company: ['taxCode', 'phone', 'address'],
  vehicle: ['plate'],
  vessel: ['imo', 'nationality'],
  phone: ['phone'],
  bank_account: [],
  online_shop: ['phone'],
};
const ID_FIELD_TEXT: Record<string, { label: MessageKey; hint?: MessageKey; type?: string; inputMode?: 'numeric' | 'tel' }> = {
  idNumber: { label: 'caseForm.idNumber', hint: 'caseForm.idNumberHint', inputMode: 'numeric' },
  taxCode: { label: 'caseForm.taxCode', hint: 'caseForm.taxCodeHint', inputMode: 'numeric' },
  plate: { label: 'caseForm.plate' },
  imo: { label: 'caseForm.imo', hint: 'caseForm.imoHint' },
  phone: { label: 'caseForm.phone', hint: 'caseForm.phoneHint', type: 'tel', inputMode: 'tel' },
  dateOfBirth: { label: 'caseForm.dateOfBirth', type: 'date' },
  nationality: { label: 'caseForm.nationality' },
  address: { label: 'caseForm.address' },
};

let nextKey = 1;
const newGoods = (): GoodsDraft => ({ key: nextKey++, category: '', hsCode: '', description: '', quantity: '', unit: '', valueVnd: '', brand: '' });
const newSubject = (): SubjectDraft => ({ key: nextKey++, kind: 'person', role: 'owner', name: '', idNumber: '', taxCode: '', plate: '', imo: '', phone: '', dateOfBirth: '', address: '', nationality: '' });

export function emptyDraft(unitId: string): CaseDraft {
  return {
    title: '', summary: '', violationType: '', detectedOn: todayInVietnam(), provinceCode: '', wardCode: '', wardName: '', borderGate: '', place: '',
    latitude: '', longitude: '', route: '', sourceRef: '', leadUnitId: unitId, coordinatingUnitIds: [], sensitivity: 'internal', namedUserIds: [], goods: [], subjects: [],
  };
}

const s = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** A stored case as the form shows it; quantities in the locale's decimal form, so saving unchanged keeps them (2.125 is not 2125). */
export function draftOf(c: CaseDetail, locale: Locale = 'vi'): CaseDraft {
  return {
    title: c.title, summary: s(c.summary), violationType: c.violationType, detectedOn: c.detectedOn, provinceCode: c.recordedProvinceCode,
    wardCode: s(c.wardCode), wardName: s(c.wardName ?? c.wardCode), borderGate: s(c.borderGate), place: s(c.place), latitude: s(c.latitude), longitude: s(c.longitude),
    route: s(c.route), sourceRef: s(c.sourceRef), leadUnitId: c.leadUnit.id, coordinatingUnitIds: c.coordinatingUnits.map((u) => u.id),
    sensitivity: c.sensitivity, namedUserIds: c.namedUserIds ?? [],
    goods: (c.goods ?? []).map((g) => ({ key: nextKey++, category: g.category, hsCode: s(g.hsCode), description: g.description, quantity: locale === 'vi' ? s(g.quantity).replace('.', ',') : s(g.quantity), unit: s(g.unit), valueVnd: s(g.valueVnd), brand: s(g.brand) })),
    subjects: (c.subjects ?? []).map((x) => ({
      key: nextKey++, kind: x.kind, role: x.role, name: x.name, idNumber: s(x.idNumber), taxCode: s(x.taxCode), plate: s(x.plate), imo: s(x.imo),
      phone: s(x.phone), dateOfBirth: s(x.dateOfBirth), address: s(x.address), nationality: s(x.nationality),
    })),
  };
}

/** Turns the typed strings into the API's body; numbers that do not parse become field issues. */
type CaseBodyOut = Omit<CreateCaseBody, 'summary' | 'coordinatingUnitIds' | 'sensitivity' | 'namedUserIds' | 'goods' | 'subjects'> &
  Required<Pick<CreateCaseBody, 'summary' | 'coordinatingUnitIds' | 'sensitivity' | 'namedUserIds' | 'goods' | 'subjects'>>;

export function bodyOf(d: CaseDraft, locale: Locale = 'vi'): CaseBodyOut {
  const issues: FieldIssue[] = [];
  const num = (field: string, v: string, kind: 'dong' | 'quantity' | 'coordinate'): number | null => {
    const t = v.trim();
    if (!t) return null;
    // Whole dong read as typed (typedVnd: "25,5" is a decimal typed by mistake, not 255); a quantity the
    // way the import reads it ("1.500" is fifteen hundred, "1,5" one and a half); a coordinate's dot or
    // comma is always its decimal point (21.028 is not twenty-one thousand).
    const n = kind === 'dong' ? typedVnd(t)! : kind === 'quantity' ? readTypedNumber(t, locale) ?? NaN : Number(t.replace(/\s/g, '').replace(',', '.'));
    if (!Number.isFinite(n)) {
      issues.push({ field, reason: 'invalid_format', message: 'not a number' });
      return null;
    }
    return n;
  };
  const opt = (v: string) => (v.trim() ? v.trim() : null);
  const body = {
    title: d.title,
    summary: d.summary,
    // An unchosen list is "missing" for the server (and the user), not a wrongly formatted ''.
    violationType: d.violationType || undefined,
    // Nothing typed is "missing" (the server says so), not a wrongly formatted ''.
    detectedOn: d.detectedOn || undefined,
    provinceCode: d.provinceCode || undefined,
    wardCode: opt(d.wardCode),
    borderGate: opt(d.borderGate),
    place: opt(d.place),
    latitude: num('latitude', d.latitude, 'coordinate'),
    longitude: num('longitude', d.longitude, 'coordinate'),
    route: opt(d.route),
    sourceRef: opt(d.sourceRef),
    leadUnitId: d.leadUnitId || undefined,
    coordinatingUnitIds: d.coordinatingUnitIds,
    sensitivity: d.sensitivity,
    namedUserIds: d.sensitivity === 'secret' ? d.namedUserIds : [],
    goods: d.goods.map((g, i) => ({
      category: g.category,
      hsCode: opt(g.hsCode),
      description: g.description,
      quantity: num(`goods.${i}.quantity`, g.quantity, 'quantity'),
      unit: opt(g.unit),
      valueVnd: num(`goods.${i}.valueVnd`, g.valueVnd, 'dong'),
      brand: opt(g.brand),
    })),
    subjects: d.subjects.map((x) => {
      const fields = ID_FIELDS[x.kind];
      const pick = (k: keyof SubjectDraft) => (fields.includes(k) ? opt(String(x[k])) : null);
      return {
        kind: x.kind, role: x.role, name: x.name, idNumber: pick('idNumber'), taxCode: pick('taxCode'), plate: pick('plate'), imo: pick('imo'),
        // Written as people write it ("0912 345 678"); the server takes the digits.
        phone: pick('phone') && compactPhone(pick('phone')!), dateOfBirth: pick('dateOfBirth'), address: pick('address'), nationality: pick('nationality')?.toUpperCase() ?? null,
      };
    }),
  };
  if (issues.length) throw new ClientIssues(issues);
  // Unchosen required fields go out as undefined on purpose: the server answers "required" for them.
  return body as CaseBodyOut;
}

/** A short pause before asking the server while someone types. */
function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export function CaseForm({
  initial,
  mode,
  code,
  onSubmit,
  onCancel,
}: {
  initial: CaseDraft;
  mode: 'create' | 'edit';
  code?: string;
  onSubmit: (draft: CaseDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const { ref, error: refError, retry } = useCaseReference();
  const [d, setD] = useState<CaseDraft>(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const set = <K extends keyof CaseDraft>(k: K, v: CaseDraft[K]) => setD((x) => ({ ...x, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(d);
    } catch (err) {
      setError(err);
      // Land on the summary so keyboard and screen-reader users hear what went wrong.
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  if (refError) {
    return (
      <ErrorAlert error={refError}>
        <button type="button" className="btn" onClick={retry}>
          {t('common.retry')}
        </button>
      </ErrorAlert>
    );
  }
  if (!ref) return <Loading />;

  const labels: Record<string, string> = {
    title: t('caseForm.title'),
    summary: t('caseForm.summary'),
    violationType: t('caseForm.violationType'),
    detectedOn: t('caseForm.detectedOn'),
    provinceCode: t('caseForm.province'),
    wardCode: t('caseForm.ward'),
    borderGate: t('caseForm.borderGate'),
    place: t('caseForm.place'),
    latitude: t('caseForm.latitude'),
    longitude: t('caseForm.longitude'),
    route: t('caseForm.route'),
    sourceRef: t('caseForm.sourceRef'),
    leadUnitId: t('caseForm.leadUnit'),
    coordinatingUnitIds: t('caseForm.coordinatingUnits'),
    sensitivity: t('caseForm.sensitivity'),
    namedUserIds: t('caseForm.namedUsers'),
  };
  d.goods.forEach((_, i) => {
    const line = t('caseForm.goodsLine', { n: i + 1 });
    for (const [f, k] of [['category', 'caseForm.category'], ['hsCode', 'caseForm.hsCode'], ['description', 'caseForm.description'], ['quantity', 'caseForm.quantity'], ['unit', 'caseForm.unit'], ['valueVnd', 'caseForm.valueVnd'], ['brand', 'caseForm.brand']] as const) {
      labels[`goods.${i}.${f}`] = `${line} — ${t(k)}`;
    }
  });
  d.subjects.forEach((x, i) => {
    const head = t('caseForm.subject', { n: i + 1 });
    labels[`subjects.${i}.kind`] = `${head} — ${t('caseForm.kind')}`;
    labels[`subjects.${i}.role`] = `${head} — ${t('caseForm.role')}`;
    labels[`subjects.${i}.name`] = `${head} — ${t(`caseForm.name.${x.kind}`)}`;
    for (const f of ID_FIELDS[x.kind]) labels[`subjects.${i}.${f}`] = `${head} — ${t(ID_FIELD_TEXT[f]!.label)}`;
  });

  // Dates are worded as dates in the summary too ("enter dd/mm/yyyy" rather than "wrong format").
  const dateReasons = Object.fromEntries(Object.keys(labels).filter((f) => f === 'detectedOn' || f.endsWith('.dateOfBirth')).map((f) => [f, DATE_REASONS]));
  const isCounterfeit = ref.violationTypes.find((v) => v.code === d.violationType)?.group === 'counterfeit';
  const beforeMerger = /^\d{4}-\d{2}-\d{2}$/.test(d.detectedOn) && d.detectedOn < PROVINCE_MERGER_DATE;
  const province2025 = ref.provinces.find((p) => p.code === d.provinceCode)?.code ?? ref.former.find((p) => p.code === d.provinceCode)?.successorCode ?? '';

  return (
    <form className="case-form" onSubmit={submit} noValidate aria-labelledby="page-title">
      <div ref={summaryRef}>
        <ErrorSummary error={error} formId={FORM_ID} labels={labels} reasons={dateReasons} />
      </div>

      <fieldset className="card">
        <legend>{t('caseForm.general')}</legend>
        <Field formId={FORM_ID} name="title" label={labels.title!} hint={t('caseForm.titleHint')} error={error}>
          {(p) => <input {...p} value={d.title} onChange={(e) => set('title', e.target.value)} required maxLength={300} />}
        </Field>
        <Field formId={FORM_ID} name="summary" label={labels.summary!} error={error}>
          {(p) => <textarea {...p} value={d.summary} onChange={(e) => set('summary', e.target.value)} rows={4} />}
        </Field>
        <div className="form-grid">
          <Field formId={FORM_ID} name="violationType" label={labels.violationType!} hint={t('caseForm.violationTypeHint')} error={error}>
            {(p) => (
              <select {...p} value={d.violationType} onChange={(e) => set('violationType', e.target.value)} required>
                <option value="">{t('caseForm.choose')}</option>
                <ViolationTypeOptions ref={ref} locale={locale} />
              </select>
            )}
          </Field>
          <Field formId={FORM_ID} name="detectedOn" label={labels.detectedOn!} error={error} reasons={DATE_REASONS}>
            {(p) => <DateField {...p} value={d.detectedOn} max={todayInVietnam()} onChange={(v) => set('detectedOn', v)} required />}
          </Field>
          <Field formId={FORM_ID} name="route" label={labels.route!} error={error}>
            {(p) => (
              <select {...p} value={d.route} onChange={(e) => set('route', e.target.value)}>
                <option value="">{t('caseForm.noneChosen')}</option>
                {ref.routes.map((r) => (
                  <option key={r.code} value={r.code}>
                    {named(r, locale)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {mode === 'create' && (
            <Field formId={FORM_ID} name="sourceRef" label={labels.sourceRef!} hint={t('caseForm.sourceRefHint')} error={error}>
              {(p) => <input {...p} value={d.sourceRef} onChange={(e) => set('sourceRef', e.target.value)} maxLength={100} />}
            </Field>
          )}
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>{t('caseForm.where')}</legend>
        <div className="form-grid">
          <Field formId={FORM_ID} name="provinceCode" label={labels.provinceCode!} hint={beforeMerger ? t('caseForm.provinceHintFormer') : t('caseForm.provinceHint')} error={error}>
            {(p) => (
              <select
                {...p}
                value={d.provinceCode}
                onChange={(e) => setD((x) => ({ ...x, provinceCode: e.target.value, wardCode: '', wardName: '' }))}
                required
              >
                <option value="">{t('caseForm.choose')}</option>
                <optgroup label={t('caseForm.provinces2025')}>
                  {ref.provinces.map((pr) => (
                    <option key={pr.code} value={pr.code}>
                      {pr.name}
                    </option>
                  ))}
                </optgroup>
                {(beforeMerger || ref.former.some((f) => f.code === d.provinceCode && !ref.provinces.some((p2) => p2.code === f.code))) && (
                  <optgroup label={t('caseForm.provincesFormer')}>
                    {ref.former.map((pr) => (
                      <option key={`former-${pr.code}`} value={pr.code} disabled={ref.provinces.some((p2) => p2.code === pr.code)}>
                        {pr.name}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            )}
          </Field>
          <WardPicker province={province2025} value={d.wardCode} name={d.wardName} error={error} onChange={(code, name) => setD((x) => ({ ...x, wardCode: code, wardName: name }))} />
          <BorderGateInput province={province2025} value={d.borderGate} error={error} onChange={(v) => set('borderGate', v)} />
          <Field formId={FORM_ID} name="place" label={labels.place!} error={error}>
            {(p) => <input {...p} value={d.place} onChange={(e) => set('place', e.target.value)} maxLength={500} />}
          </Field>
          <Field formId={FORM_ID} name="latitude" label={labels.latitude!} error={error}>
            {(p) => <input {...p} value={d.latitude} onChange={(e) => set('latitude', e.target.value)} inputMode="decimal" placeholder="21.85" />}
          </Field>
          <Field formId={FORM_ID} name="longitude" label={labels.longitude!} error={error}>
            {(p) => <input {...p} value={d.longitude} onChange={(e) => set('longitude', e.target.value)} inputMode="decimal" placeholder="106.76" />}
          </Field>
        </div>
      </fieldset>

      <GoodsSection goods={d.goods} setGoods={(g) => set('goods', g)} error={error} ref_={ref} showBrand={isCounterfeit} />
      <SubjectsSection subjects={d.subjects} setSubjects={(x) => set('subjects', x)} error={error} />

      <fieldset className="card">
        <legend>{t('caseForm.units')}</legend>
        <UnitsFields d={d} set={set} error={error} ref_={ref} />
        <FieldSet formId={FORM_ID} name="sensitivity" legend={labels.sensitivity!} error={error}>
          <div className="sens-options">
            {SENSITIVITY_LEVELS.map((lvl) => (
              <label key={lvl} className="sens-option">
                <input type="radio" name="sensitivity" value={lvl} checked={d.sensitivity === lvl} onChange={() => set('sensitivity', lvl)} />
                <span>
                  <strong>{t(`sensitivity.${lvl}`)}</strong>
                  <span className="muted small">{t(`sensitivity.${lvl}.help`)}</span>
                </span>
              </label>
            ))}
          </div>
        </FieldSet>
        {d.sensitivity === 'secret' && <NamedUsers ids={d.namedUserIds} onChange={(ids) => set('namedUserIds', ids)} error={error} />}
      </fieldset>

      <div className="form-actions form-sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('caseForm.saving') : mode === 'create' ? t('caseForm.submitNew') : t('caseForm.submitEdit')}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        {code && <span className="muted small">{code}</span>}
      </div>
    </form>
  );
}

function UnitsFields({ d, set, error, ref_ }: { d: CaseDraft; set: <K extends keyof CaseDraft>(k: K, v: CaseDraft[K]) => void; error: unknown; ref_: CaseReference }) {
  const t = useT();
  return (
    <div className="form-grid">
      <Field formId={FORM_ID} name="leadUnitId" label={t('caseForm.leadUnit')} hint={t('caseForm.leadUnitHint')} error={error}>
        {(p) => <UnitPicker {...p} units={ref_.units} value={d.leadUnitId} onChange={(id) => set('leadUnitId', id)} />}
      </Field>
      <Field formId={FORM_ID} name="coordinatingUnitIds" label={t('caseForm.coordinatingUnits')} error={error}>
        {(p) => <UnitListPicker {...p} units={ref_.units} value={d.coordinatingUnitIds} exclude={[d.leadUnitId]} onChange={(ids) => set('coordinatingUnitIds', ids)} />}
      </Field>
    </div>
  );
}

function WardPicker({ province, value, name, error, onChange }: { province: string; value: string; name: string; error: unknown; onChange: (code: string, name: string) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const query = useDebounced(q);
  const [items, setItems] = useState<WardView[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!province) {
      setItems(null);
      return;
    }
    let cancelled = false;
    api.get<{ items: WardView[] }>('/api/reference/wards', { province, q: query.trim(), limit: 30 }).then(
      (r) => !cancelled && setItems(r.items),
      () => !cancelled && setItems([]),
    );
    return () => {
      cancelled = true;
    };
  }, [province, query]);
  // An existing case carries only the code: name it once the list has it.
  useEffect(() => {
    if (value && name === value) {
      const w = items?.find((x) => x.code === value);
      if (w) onChange(w.code, w.name);
    }
  }, [items, value, name, onChange]);

  const hint = !province ? t('caseForm.wardPickProvince') : items && items.length === 0 && !query ? t('caseForm.wardNoList') : undefined;
  return (
    <Field formId={FORM_ID} name="wardCode" label={t('caseForm.ward')} hint={hint} error={error}>
      {(p) => (
        <div>
          {value ? (
            <ul className="chips">
              <li className="chip">
                {name || value}
                <button type="button" aria-label={t('caseForm.removeNamedUser', { name: name || value })} onClick={() => onChange('', '')}>
                  ×
                </button>
              </li>
            </ul>
          ) : (
            <>
              <input
                {...p}
                type="search"
                value={q}
                disabled={!province}
                placeholder={t('caseForm.wardSearch')}
                onChange={(e) => {
                  setQ(e.target.value);
                  setOpen(true);
                }}
                onFocus={() => setOpen(true)}
                autoComplete="off"
              />
              {open && q.trim() !== '' && items && items.length > 0 && (
                <ul className="suggest">
                  {items.slice(0, 12).map((w) => (
                    <li key={w.code}>
                      <button
                        type="button"
                        onClick={() => {
                          onChange(w.code, w.name);
                          setQ('');
                          setOpen(false);
                        }}
                      >
                        {w.name} <span className="muted small">{w.code}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
    </Field>
  );
}

function BorderGateInput({ province, value, error, onChange }: { province: string; value: string; error: unknown; onChange: (v: string) => void }) {
  const t = useT();
  const listId = useId();
  const [gates, setGates] = useState<BorderGateView[]>([]);
  useEffect(() => {
    let cancelled = false;
    api.get<{ items: BorderGateView[] }>('/api/reference/border-gates', province ? { province } : {}).then(
      (r) => !cancelled && setGates(r.items),
      () => !cancelled && setGates([]),
    );
    return () => {
      cancelled = true;
    };
  }, [province]);
  return (
    <Field formId={FORM_ID} name="borderGate" label={t('caseForm.borderGate')} hint={t('caseForm.borderGateHint')} error={error}>
      {(p) => (
        <>
          <input {...p} value={value} onChange={(e) => onChange(e.target.value)} list={listId} maxLength={200} autoComplete="off" />
          <datalist id={listId}>
            {gates.map((g) => (
              <option key={g.code} value={g.name} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

function RepeatHead({ title, removeLabel, onRemove }: { title: string; removeLabel: string; onRemove: () => void }) {
  return (
    <div className="repeat-row-head">
      <h3>{title}</h3>
      <button type="button" className="btn btn-small btn-danger" onClick={onRemove} aria-label={removeLabel}>
        ×<span aria-hidden="true"> {removeLabel}</span>
      </button>
    </div>
  );
}

function GoodsSection({ goods, setGoods, error, ref_, showBrand }: { goods: GoodsDraft[]; setGoods: (g: GoodsDraft[]) => void; error: unknown; ref_: CaseReference; showBrand: boolean }) {
  const t = useT();
  const locale = useLocale();
  const addRef = useRef<HTMLButtonElement>(null);
  const upd = (i: number, patch: Partial<GoodsDraft>) => setGoods(goods.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  return (
    <fieldset className="card">
      <legend>{t('caseForm.goods')}</legend>
      {goods.map((g, i) => {
        const f = (name: keyof GoodsDraft) => `goods.${i}.${name}`;
        return (
          <div className="repeat-row" key={g.key} role="group" aria-label={t('caseForm.goodsLine', { n: i + 1 })}>
            <RepeatHead
              title={t('caseForm.goodsLine', { n: i + 1 })}
              removeLabel={t('caseForm.removeGoods', { n: i + 1 })}
              onRemove={() => {
                setGoods(goods.filter((_, j) => j !== i));
                addRef.current?.focus();
              }}
            />
            <div className="form-grid">
              <Field formId={FORM_ID} name={f('category')} label={t('caseForm.category')} error={error}>
                {(p) => (
                  <select {...p} value={g.category} onChange={(e) => upd(i, { category: e.target.value })} required>
                    <option value="">{t('caseForm.choose')}</option>
                    {ref_.goods.map((c) => (
                      <option key={c.code} value={c.code}>
                        {named(c, locale)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <HsField index={i} value={g.hsCode} error={error} onChange={(v) => upd(i, { hsCode: v })} />
              <Field formId={FORM_ID} name={f('description')} label={t('caseForm.description')} error={error}>
                {(p) => <input {...p} value={g.description} onChange={(e) => upd(i, { description: e.target.value })} maxLength={500} />}
              </Field>
              <Field formId={FORM_ID} name={f('quantity')} label={t('caseForm.quantity')} error={error}>
                {(p) => <input {...p} value={g.quantity} inputMode="decimal" onChange={(e) => upd(i, { quantity: e.target.value })} />}
              </Field>
              <Field formId={FORM_ID} name={f('unit')} label={t('caseForm.unit')} hint={t('caseForm.unitHint')} error={error}>
                {(p) => <input {...p} value={g.unit} onChange={(e) => upd(i, { unit: e.target.value })} maxLength={30} />}
              </Field>
              <Field formId={FORM_ID} name={f('valueVnd')} label={t('caseForm.valueVnd')} error={error}>
                {(p) => <input {...p} value={g.valueVnd} inputMode="numeric" onChange={(e) => upd(i, { valueVnd: e.target.value })} onBlur={() => upd(i, { valueVnd: groupVnd(g.valueVnd) })} />}
              </Field>
              {(showBrand || g.brand) && (
                <Field formId={FORM_ID} name={f('brand')} label={t('caseForm.brand')} error={error}>
                  {(p) => <input {...p} value={g.brand} onChange={(e) => upd(i, { brand: e.target.value })} maxLength={200} />}
                </Field>
              )}
            </div>
          </div>
        );
      })}
      <button ref={addRef} type="button" className="btn" onClick={() => setGoods([...goods, newGoods()])}>
        + {t('caseForm.addGoods')}
      </button>
    </fieldset>
  );
}

function HsField({ index, value, error, onChange }: { index: number; value: string; error: unknown; onChange: (v: string) => void }) {
  const t = useT();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const query = useDebounced(q);
  const [items, setItems] = useState<HsCodeView[] | null>(null);
  const panelId = useId();
  const queryId = useId();
  useEffect(() => {
    if (!open || !query.trim()) {
      setItems(null);
      return;
    }
    let cancelled = false;
    api.get<{ items: HsCodeView[] }>('/api/reference/hs', { q: query.trim(), limit: 20 }).then(
      (r) => !cancelled && setItems(r.items),
      () => !cancelled && setItems([]),
    );
    return () => {
      cancelled = true;
    };
  }, [open, query]);
  return (
    <Field formId={FORM_ID} name={`goods.${index}.hsCode`} label={t('caseForm.hsCode')} hint={t('caseForm.hsHint')} error={error}>
      {(p) => (
        <div>
          <div className="input-with-button">
            <input {...p} value={value} onChange={(e) => onChange(e.target.value)} inputMode="decimal" maxLength={12} />
            <button type="button" className="btn" aria-expanded={open} aria-controls={panelId} aria-label={t('caseForm.hsLookupLabel', { n: index + 1 })} onClick={() => setOpen((o) => !o)}>
              {t('caseForm.hsLookup')}
            </button>
          </div>
          {open && (
            <div id={panelId} className="hs-panel">
              <label htmlFor={queryId} className="visually-hidden">
                {t('caseForm.hsQuery')}
              </label>
              <input id={queryId} type="search" value={q} placeholder={t('caseForm.hsQuery')} onChange={(e) => setQ(e.target.value)} autoFocus autoComplete="off" style={{ marginTop: '0.4rem' }} />
              {items && items.length === 0 && <p className="hint">{t('caseForm.hsNone')}</p>}
              {items && items.length > 0 && (
                <ul className="suggest">
                  {items.map((h) => (
                    <li key={h.code}>
                      <button
                        type="button"
                        aria-label={t('caseForm.hsPick', { code: h.code })}
                        onClick={() => {
                          onChange(h.code);
                          setOpen(false);
                          setQ('');
                        }}
                      >
                        <code>{h.code}</code> {locale === 'vi' ? h.nameVi : h.nameEn}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      )}
    </Field>
  );
}

function SubjectsSection({ subjects, setSubjects, error }: { subjects: SubjectDraft[]; setSubjects: (s: SubjectDraft[]) => void; error: unknown }) {
  const t = useT();
  const addRef = useRef<HTMLButtonElement>(null);
  const upd = (i: number, patch: Partial<SubjectDraft>) => setSubjects(subjects.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="card">
      <legend>{t('caseForm.subjects')}</legend>
      {subjects.map((x, i) => {
        const f = (name: string) => `subjects.${i}.${name}`;
        return (
          <div className="repeat-row" key={x.key} role="group" aria-label={t('caseForm.subject', { n: i + 1 })}>
            <RepeatHead
              title={t('caseForm.subject', { n: i + 1 })}
              removeLabel={t('caseForm.removeSubject', { n: i + 1 })}
              onRemove={() => {
                setSubjects(subjects.filter((_, j) => j !== i));
                addRef.current?.focus();
              }}
            />
            <div className="form-grid">
              <Field formId={FORM_ID} name={f('kind')} label={t('caseForm.kind')} error={error}>
                {(p) => (
                  <select {...p} value={x.kind} onChange={(e) => upd(i, { kind: e.target.value as Kind })}>
                    {SUBJECT_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`subjectKind.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field formId={FORM_ID} name={f('role')} label={t('caseForm.role')} error={error}>
                {(p) => (
                  <select {...p} value={x.role} onChange={(e) => upd(i, { role: e.target.value as SubjectRole })}>
                    {SUBJECT_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`subjectRole.${r}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field formId={FORM_ID} name={f('name')} label={t(`caseForm.name.${x.kind}`)} error={error}>
                {(p) => <input {...p} value={x.name} onChange={(e) => upd(i, { name: e.target.value })} maxLength={300} />}
              </Field>
              {ID_FIELDS[x.kind].map((k) => {
                const spec = ID_FIELD_TEXT[k]!;
                return (
                  <Field key={k} formId={FORM_ID} name={f(k)} label={t(spec.label)} hint={spec.hint ? t(spec.hint) : undefined} error={error} reasons={spec.type === 'date' ? DATE_REASONS : undefined}>
                    {(p) =>
                      spec.type === 'date' ? (
                        <DateField {...p} value={String(x[k])} max={todayInVietnam()} onChange={(v) => upd(i, { [k]: v })} />
                      ) : (
                        <input {...p} type={spec.type ?? 'text'} inputMode={spec.inputMode} value={String(x[k])} onChange={(e) => upd(i, { [k]: e.target.value })} spellCheck={false} />
                      )
                    }
                  </Field>
                );
              })}
            </div>
          </div>
        );
      })}
      <button ref={addRef} type="button" className="btn" onClick={() => setSubjects([...subjects, newSubject()])}>
        + {t('caseForm.addSubject')}
      </button>
    </fieldset>
  );
}

/** Who may open a secret case. The recorder is always named (the server adds them). */
function NamedUsers({ ids, onChange, error }: { ids: string[]; onChange: (ids: string[]) => void; error: unknown }) {
  const t = useT();
  const me = useMe();
  const [q, setQ] = useState('');
  const query = useDebounced(q);
  const [found, setFound] = useState<DirectoryUser[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({ [me.id]: t('caseForm.me', { name: me.displayName }) });
  const searchId = useId();
  useEffect(() => {
    if (!ids.includes(me.id)) onChange([me.id, ...ids]);
  }, [ids, me.id, onChange]);
  useEffect(() => {
    if (query.trim().length < 2) {
      setFound([]);
      return;
    }
    let cancelled = false;
    api.get<{ items: DirectoryUser[] }>('/api/users/directory', { q: query.trim() }).then(
      (r) => !cancelled && setFound(r.items),
      () => !cancelled && setFound([]),
    );
    return () => {
      cancelled = true;
    };
  }, [query]);
  return (
    <FieldSet formId={FORM_ID} name="namedUserIds" legend={t('caseForm.namedUsers')} error={error}>
      <ul className="chips">
        {ids.map((id) => (
          <li key={id} className="chip">
            {known[id] ?? id.slice(0, 8)}
            {id !== me.id && (
              <button type="button" aria-label={t('caseForm.removeNamedUser', { name: known[id] ?? id })} onClick={() => onChange(ids.filter((x) => x !== id))}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="hint">{t('caseForm.namedUsersHint')}</p>
          <label htmlFor={searchId} className="visually-hidden">
            {t('caseForm.namedUserSearch')}
          </label>
          <input id={searchId} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('caseForm.namedUserSearch')} autoComplete="off" />
          {found.length > 0 && (
            <ul className="suggest">
              {found
                .filter((u) => !ids.includes(u.id))
                .map((u) => (
                  <li key={u.id}>
                    <button
                      type="button"
                      onClick={() => {
                        setKnown((k) => ({ ...k, [u.id]: `${u.displayName} (${u.username})` }));
                        onChange([...ids, u.id]);
                        setQ('');
                      }}
                    >
                      {t('caseForm.addNamedUser', { name: `${u.displayName} (${u.username})` })}
                    </button>
                  </li>
                ))}
            </ul>
          )}
    </FieldSet>
  );
}

/** Wraps a page's form in its heading. */
export function FormPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}
