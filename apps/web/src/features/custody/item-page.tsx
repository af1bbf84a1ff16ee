import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  formatDate, formatDateTime, formatNumber, formatVnd,
  type CustodyEventKind, type CustodyItemDetail, type RecordCustodyEventBody, type WarehouseView,
} from '../../contracts.js';
import { api, upload } from '../../api/client.js';
import { ClientIssues, ErrorSummary, Field, ErrorAlert } from '../../components/form.js';
import { Loading, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { UnitPicker } from '../../components/unit-picker.js';
import { DateField } from '../../components/date-field.js';
import { FileField } from '../../components/file-field.js';
import { todayInVietnam, vietnamMoment } from '../../components/dates.js';
import { formatHsCode, useCaseReference, useNames } from '../cases/reference.js';
import { typedVnd } from '../../components/vnd.js';
import { OverdueFlag, StateBadge, eventName } from './custody-bits.js';
import './custody.css';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

interface Draft {
  kind: CustodyEventKind | '';
  /** the day (yyyy-MM-dd from DateField) and the time typed as HH:mm, both in Vietnam's time */
  at: string;
  atTime: string;
  warehouseId: string;
  shelf: string;
  toUnitId: string;
  place: string;
  documentNo: string;
  decisionNo: string;
  auctionValueVnd: string;
  note: string;
}
const emptyDraft = (): Draft => ({ kind: '', at: '', atTime: '', warehouseId: '', shelf: '', toUnitId: '', place: '', documentNo: '', decisionNo: '', auctionValueVnd: '', note: '' });

/**
 * The event's moment, typed as a day and a time in Vietnam's time; both empty means "now" (the
 * server's clock). Was a native datetime-local input: it showed the browser's order (mm/dd/yyyy and
 * AM/PM in an English browser) and `new Date()` read it in the browser's time zone.
 */
function eventTime(day: string, time: string): string | undefined {
  if (!day && !time.trim()) return undefined;
  const r = vietnamMoment(day, time);
  if ('reason' in r) throw new ClientIssues([{ field: 'at', reason: r.reason, message: '' }]);
  return r.iso;
}

function bodyOf(item: CustodyItemDetail, d: Draft): RecordCustodyEventBody {
  if (!d.kind) throw new ClientIssues([{ field: 'kind', reason: 'required', message: '' }]);
  const body: RecordCustodyEventBody = { version: item.version, kind: d.kind };
  const at = eventTime(d.at, d.atTime);
  if (at) body.at = at;
  if (d.place.trim()) body.place = d.place.trim();
  if (d.documentNo.trim()) body.documentNo = d.documentNo.trim();
  if (d.note.trim()) body.note = d.note.trim();
  if (d.kind === 'stored') {
    if (d.warehouseId) body.warehouseId = d.warehouseId;
    if (d.shelf.trim()) body.shelf = d.shelf.trim();
  }
  if (d.kind === 'transferred' && d.toUnitId) body.toUnitId = d.toUnitId;
  if (d.kind === 'auctioned' || d.kind === 'destroyed' || d.kind === 'released') {
    if (d.decisionNo.trim()) body.decisionNo = d.decisionNo.trim();
  }
  if (d.kind === 'auctioned') {
    const n = typedVnd(d.auctionValueVnd);
    if (n !== undefined) {
      if (Number.isNaN(n)) throw new ClientIssues([{ field: 'auctionValueVnd', reason: 'invalid_format', message: '' }]);
      body.auctionValueVnd = n;
    }
  }
  return body;
}

/** The form recording one movement: only the fields the chosen event uses. */
function MovementForm({ item, onDone }: { item: CustodyItemDetail; onDone: (next: CustodyItemDetail, message: string) => void }) {
  const t = useT();
  const { ref } = useCaseReference();
  const [d, setD] = useState<Draft>(emptyDraft);
  const [warehouses, setWarehouses] = useState<WarehouseView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'custody-event';
  const set = (k: keyof Draft, v: string) => setD((x) => ({ ...x, [k]: v }));

  useEffect(() => {
    if (d.kind !== 'stored') return;
    let cancelled = false;
    api.get<{ items: WarehouseView[] }>('/api/custody/warehouses').then(
      (r) => !cancelled && setWarehouses(r.items.filter((w) => w.active)),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [d.kind]);

  // Every unit (the picker groups them under their force or province); the holder cannot transfer to itself.
  const units = ref?.units ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<CustodyItemDetail>(`/api/custody/items/${item.id}/events`, bodyOf(item, d));
      const kind = d.kind as CustodyEventKind;
      setD(emptyDraft());
      onDone(next, t('custody.recorded', { kind: eventName(t, kind) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const labels: Record<string, string> = {
    kind: t('custody.chooseEvent'),
    at: t('custody.at'),
    warehouseId: t('custody.warehouse'),
    shelf: t('custody.shelf'),
    toUnitId: t('custody.toUnit'),
    place: t('custody.where'),
    documentNo: t('custody.documentNo'),
    decisionNo: t('custody.decisionNo'),
    auctionValueVnd: t('custody.auctionValue'),
    note: t('custody.note'),
  };
  const text = (name: keyof Draft, extra: object = {}) => (
    <Field formId={formId} name={name} label={labels[name]!} error={error}>
      {(p) => <input {...p} value={d[name]} onChange={(e) => set(name, e.target.value)} {...extra} />}
    </Field>
  );
  const disposal = d.kind === 'auctioned' || d.kind === 'destroyed' || d.kind === 'released';

  return (
    <form onSubmit={submit} className="subform custody-form" aria-labelledby="custody-record" noValidate>
      <h2 id="custody-record">{t('custody.record')}</h2>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <Field formId={formId} name="kind" label={labels.kind!} error={error}>
        {(p) => (
          <select {...p} value={d.kind} onChange={(e) => set('kind', e.target.value)}>
            <option value="">—</option>
            {item.allowedEvents.map((k) => (
              <option key={k} value={k}>
                {eventName(t, k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {d.kind && (
        <div className="custody-form-grid">
          <Field formId={formId} name="at" label={labels.at!} error={error}>
            {(p) => (
              <div className="custody-at">
                <DateField {...p} value={d.at} max={todayInVietnam()} onChange={(v) => set('at', v)} />
                <input
                  aria-label={t('custody.atTime')}
                  className="custody-at-time"
                  inputMode="numeric"
                  placeholder="HH:mm"
                  value={d.atTime}
                  onChange={(e) => set('atTime', e.target.value)}
                />
              </div>
            )}
          </Field>
          {d.kind === 'stored' && (
            <Field formId={formId} name="warehouseId" label={labels.warehouseId!} error={error}>
              {(p) => (
                <select {...p} value={d.warehouseId} onChange={(e) => set('warehouseId', e.target.value)}>
                  <option value="">{t('custody.chooseWarehouse')}</option>
                  {warehouses.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.code} — {w.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {d.kind === 'stored' && text('shelf')}
          {d.kind === 'transferred' && (
            <Field formId={formId} name="toUnitId" label={labels.toUnitId!} error={error}>
              {(p) => <UnitPicker {...p} units={units} exclude={[item.holderUnit.id]} value={d.toUnitId} onChange={(id) => set('toUnitId', id)} />}
            </Field>
          )}
          {text('place')}
          {text('documentNo')}
          {disposal && text('decisionNo')}
          {d.kind === 'auctioned' && text('auctionValueVnd', { inputMode: 'numeric' })}
          {text('note')}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !d.kind}>
          {t('custody.recordSubmit')}
        </button>
      </div>
    </form>
  );
}

function Photos({ item, onUploaded }: { item: CustodyItemDetail; onUploaded: () => void }) {
  const t = useT();
  const inputId = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    setBusy(true);
    setError(null);
    try {
      await upload(`/api/custody/items/${item.id}/photos`, form);
      setFiles([]);
      onUploaded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="custody-photos">
      <h2 id="custody-photos">{t('custody.photos')}</h2>
      {item.photos.length === 0 && <p className="muted">{t('custody.photosNone')}</p>}
      {item.photos.length > 0 && (
        <ul className="custody-photos">
          {item.photos.map((f) => (
            <li key={f.id}>
              <a href={`/api/custody/items/${item.id}/photos/${f.id}`} target="_blank" rel="noreferrer">
                <img src={`/api/custody/items/${item.id}/photos/${f.id}`} alt={f.fileName} loading="lazy" />
              </a>
              <code className="small" title={f.sha256}>
                {f.sha256.slice(0, 12)}…
              </code>
            </li>
          ))}
        </ul>
      )}
      {item.mayEdit && (
        <form onSubmit={submit} className="subform">
          <ErrorSummary error={error} formId="custody-photo" labels={{}} />
          <div className="field">
            <label htmlFor={inputId}>{t('custody.photoAdd')}</label>
            <FileField id={inputId} multiple accept=".jpg,.jpeg,.png,.webp" files={files} onFiles={(picked) => setFiles(picked.slice(0, 10))} />
          </div>
          <button type="submit" className="btn" disabled={!files.length || busy}>
            {t('custody.photoUpload')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Corrects what the item is (the holding unit, before disposal); the chain of events is not touched. */
function EditItem({ item, onSaved }: { item: CustodyItemDetail; onSaved: (next: CustodyItemDetail) => void }) {
  const t = useT();
  const [d, setD] = useState({ description: item.description, hsCode: item.hsCode ?? '', quantity: item.quantity?.toString() ?? '', unit: item.unit ?? '', estimatedValueVnd: item.estimatedValueVnd?.toString() ?? '' });
  const [error, setError] = useState<unknown>(null);
  const formId = 'custody-edit';
  const labels = { description: t('custody.description'), hsCode: t('custody.hsCode'), quantity: t('custody.quantity'), unit: t('custody.unit'), estimatedValueVnd: t('custody.estimatedValue') };
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const issues: { field: string; reason: string; message: string }[] = [];
      const number = (field: string, v: string, whole: boolean) => {
        const n = whole ? typedVnd(v) : v.trim() ? Number(v.replace(',', '.').trim()) : undefined;
        if (n === undefined) return null;
        if (!Number.isFinite(n)) issues.push({ field, reason: 'invalid_format', message: '' });
        return n;
      };
      const body = {
        version: item.version,
        description: d.description.trim(),
        hsCode: d.hsCode.trim() || null,
        quantity: number('quantity', d.quantity, false),
        unit: d.unit.trim() || null,
        estimatedValueVnd: number('estimatedValueVnd', d.estimatedValueVnd, true),
      };
      if (issues.length) throw new ClientIssues(issues);
      onSaved(await api.patch<CustodyItemDetail>(`/api/custody/items/${item.id}`, body));
    } catch (err) {
      setError(err);
    }
  }
  return (
    <details className="custody-edit">
      <summary>{t('custody.edit')}</summary>
      <form onSubmit={submit} className="subform" noValidate>
        <ErrorSummary error={error} formId={formId} labels={labels} />
        <div className="custody-form-grid">
          {(Object.keys(labels) as (keyof typeof labels)[]).map((k) => (
            <Field key={k} formId={formId} name={k} label={labels[k]} error={error}>
              {(p) => <input {...p} value={d[k]} inputMode={k === 'quantity' || k === 'estimatedValueVnd' ? 'decimal' : undefined} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.value }))} />}
            </Field>
          ))}
        </div>
        <button type="submit" className="btn">
          {t('common.save')}
        </button>
      </form>
    </details>
  );
}

/** The item page, also what a label's QR code opens on a phone: the item, who holds it where, its chain. */
export function CustodyItemPage() {
  const t = useT();
  const locale = useLocale();
  const { id = '' } = useParams();
  const { ref } = useCaseReference();
  const names = useNames(ref, locale);
  const [item, setItem] = useState<CustodyItemDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.get<CustodyItemDetail>(`/api/custody/items/${id}`).then(
      (r) => !cancelled && setItem(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [id, tick]);

  if (error && !item) {
    return (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {t('custody.title')}
        </h1>
        <ErrorAlert error={error} />
      </>
    );
  }
  if (!item) return <Loading />;

  return (
    <div className="custody-item">
      <h1 id="page-title" tabIndex={-1}>
        {item.description}
      </h1>
      <div className="custody-item-head">
        <code className="custody-code">{item.code}</code>
        <StateBadge t={t} state={item.state} />
        <OverdueFlag t={t} overdue={item.overdue} />
        <Link className="btn" to={`/custody/items/${item.id}/label`}>
          {t('custody.printLabel')}
        </Link>
      </div>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      <section className="card" aria-labelledby="custody-where">
        <h2 id="custody-where" className="visually-hidden">
          {t('custody.location')}
        </h2>
        <dl className="case-facts">
          <Fact label={t('custody.holder')}>{unitName(item.holderUnit, locale)}</Fact>
          <Fact label={t('custody.location')}>{item.warehouse ? `${item.warehouse.name}${item.shelf ? ` — ${item.shelf}` : ''}` : '—'}</Fact>
          <Fact label={t('custody.case')}>
            <Link to={`/cases/${item.caseId}`}>
              {item.caseCode} — {item.caseTitle}
            </Link>
          </Fact>
          <Fact label={t('custody.category')}>{names.goods(item.category)}</Fact>
          <Fact label={t('custody.hsCode')}>{item.hsCode ? formatHsCode(item.hsCode) : null}</Fact>
          <Fact label={t('custody.quantity')}>{item.quantity !== null ? `${formatNumber(item.quantity, locale)} ${item.unit ?? ''}` : null}</Fact>
          <Fact label={t('custody.estimatedValue')}>{item.estimatedValueVnd !== null ? formatVnd(item.estimatedValueVnd) : null}</Fact>
          <Fact label={t('custody.seizedOn')}>{formatDate(item.seizedOn, locale)}</Fact>
          <Fact label={t('custody.deadline')}>
            {formatDate(item.deadline, locale)} · {item.overdue ? t('custody.overdue') : t('custody.inTime')}
          </Fact>
        </dl>
        {item.mayEdit && (
          <EditItem
            key={item.version}
            item={item}
            onSaved={(next) => {
              setItem(next);
              setFlash(t('common.saved'));
            }}
          />
        )}
      </section>

      <section className="card" aria-labelledby="custody-chain">
        <h2 id="custody-chain">{t('custody.chain')}</h2>
        {item.events.length === 0 && <p className="muted">{t('custody.chainNone')}</p>}
        {item.events.length > 0 && (
          <ol className="custody-chain" aria-label={t('custody.chainCaption')}>
            {item.events.map((e) => (
              <li key={e.id}>
                <p className="custody-chain-head">
                  <strong>{eventName(t, e.kind)}</strong> <span className="small muted">{formatDateTime(e.at, locale)}</span>
                </p>
                <p className="small">
                  {e.actorName} ({locale === 'en' ? e.actorUnit.nameEn : e.actorUnit.nameVi})
                  {e.kind === 'transferred' && ` → ${unitName(e.toUnit, locale)}`}
                  {e.warehouse && ` · ${e.warehouse.name}${e.shelf ? ` — ${e.shelf}` : ''}`}
                  {e.place && ` · ${e.place}`}
                </p>
                {(e.documentNo || e.decisionNo || e.auctionValueVnd !== null || e.note) && (
                  <p className="small">
                    {e.documentNo && `${t('custody.documentNo')}: ${e.documentNo}`}
                    {e.decisionNo && ` · ${t('custody.decisionNo')}: ${e.decisionNo}`}
                    {e.auctionValueVnd !== null && ` · ${formatVnd(e.auctionValueVnd)}`}
                    {e.note && ` · ${e.note}`}
                  </p>
                )}
                <code className="small muted" title={e.hash}>
                  #{e.seq} {e.hash.slice(0, 16)}…
                </code>
              </li>
            ))}
          </ol>
        )}
        <p className="small muted">
          {t('custody.headHash')}: <code className="custody-hash">{item.headHash}</code>
        </p>
      </section>

      <section className="card" aria-labelledby="custody-record">
        {item.mayRecord && item.allowedEvents.length > 0 ? (
          <MovementForm
            item={item}
            onDone={(next, message) => {
              setItem(next);
              setFlash(message);
            }}
          />
        ) : (
          <>
            <h2 id="custody-record">{t('custody.record')}</h2>
            <p className="muted">{item.allowedEvents.length === 0 && item.state !== 'seized' && !item.mayRecord && ['auctioned', 'destroyed', 'released'].includes(item.state) ? t('custody.noMoreEvents') : t('custody.onlyHolder')}</p>
          </>
        )}
      </section>

      <Photos item={item} onUploaded={() => setTick((n) => n + 1)} />
    </div>
  );
}
