import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formatDate, type CustodyItemList, type WarehouseView } from '../../contracts.js';
import { api } from '../../api/client.js';
import { ErrorSummary, Field, ErrorAlert } from '../../components/form.js';
import { PageHeader, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { CASE_WRITER_ROLES } from '../cases/reference.js';
import { OverdueFlag, StateBadge } from './custody-bits.js';
import './custody.css';

function NewWarehouse({ onCreated }: { onCreated: () => void }) {
  const t = useT();
  const [d, setD] = useState({ code: '', name: '', address: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const formId = 'warehouse';
  const labels = { code: t('custody.warehouseCode'), name: t('custody.warehouseName'), address: t('custody.warehouseAddress') };
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await api.post('/api/custody/warehouses', { code: d.code.trim(), name: d.name.trim(), address: d.address.trim() || null });
      setD({ code: '', name: '', address: '' });
      setDone(true);
      onCreated();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <details className="custody-new-warehouse">
      <summary>{t('custody.newWarehouse')}</summary>
      <form onSubmit={submit} className="subform" noValidate>
        <ErrorSummary error={error} formId={formId} labels={labels} />
        <div className="custody-form-grid">
          {(['code', 'name', 'address'] as const).map((k) => (
            <Field key={k} formId={formId} name={k} label={labels[k]} error={error}>
              {(p) => <input {...p} value={d[k]} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.value }))} />}
            </Field>
          ))}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn">
            {t('custody.newWarehouse')}
          </button>
          <span role="status" className="small">
            {done ? t('custody.warehouseCreated') : ''}
          </span>
        </div>
      </form>
    </details>
  );
}

/** Warehouses of my units with what they hold, and the items my units hold (overdue ones flagged). */
export function CustodyHomePage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const [warehouses, setWarehouses] = useState<WarehouseView[] | null>(null);
  const [items, setItems] = useState<CustodyItemList | null>(null);
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [warehouseId, setWarehouseId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const canWrite = me.roles.some((r) => (CASE_WRITER_ROLES as readonly string[]).includes(r));

  useEffect(() => {
    let cancelled = false;
    api.get<{ items: WarehouseView[] }>('/api/custody/warehouses').then(
      (r) => !cancelled && setWarehouses(r.items),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [tick]);
  useEffect(() => {
    let cancelled = false;
    api.get<CustodyItemList>('/api/custody/items', { scope: 'held', overdue: onlyOverdue ? 'true' : undefined, warehouseId: warehouseId || undefined }).then(
      (r) => !cancelled && setItems(r),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [onlyOverdue, warehouseId, tick]);

  const chosen = warehouses?.find((w) => w.id === warehouseId);
  return (
    <>
      <PageHeader title={t('custody.title')} />
      {error ? (
        <ErrorAlert error={error} />
      ) : null}
      <section className="card" aria-labelledby="custody-warehouses">
        <h2 id="custody-warehouses">{t('custody.warehouses')}</h2>
        {warehouses && warehouses.length === 0 && <p className="muted">{t('custody.warehousesNone')}</p>}
        {warehouses && warehouses.length > 0 && (
          <div className="table-wrap">
            <table className="table custody-wh-table">
              <caption className="visually-hidden">{t('custody.warehouseCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('custody.warehouseName')}</th>
                  <th scope="col">{t('custody.warehouseUnit')}</th>
                  <th scope="col" className="num">
                    {t('custody.itemCount')}
                  </th>
                  <th scope="col" className="num">
                    {t('custody.overdueCount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {warehouses.map((w) => (
                  <tr key={w.id}>
                    <td>
                      <button type="button" className="link-button custody-wh" aria-pressed={warehouseId === w.id} onClick={() => setWarehouseId(warehouseId === w.id ? '' : w.id)}>
                        {w.code} — {w.name}
                      </button>
                      {w.address && <span className="small muted custody-wh-address">{w.address}</span>}
                    </td>
                    <td data-label={t('custody.warehouseUnit')}>{unitName(w.unit, locale)}</td>
                    <td className="num" data-label={t('custody.itemCount')}>{w.itemCount}</td>
                    <td className="num" data-label={t('custody.overdueCount')}>{w.overdueCount > 0 ? <span className="custody-overdue">{w.overdueCount}</span> : 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canWrite && <NewWarehouse onCreated={() => setTick((n) => n + 1)} />}
      </section>

      <section className="card" aria-labelledby="custody-held">
        <h2 id="custody-held">{chosen ? t('custody.inWarehouse', { name: chosen.name }) : t('custody.held')}</h2>
        <label className="checkbox">
          <input type="checkbox" checked={onlyOverdue} onChange={(e) => setOnlyOverdue(e.target.checked)} /> {t('custody.onlyOverdue')}
        </label>
        <p className="small muted">{t('custody.rule')}</p>
        {items && items.items.length === 0 && <p className="muted">{t('custody.heldNone')}</p>}
        {items && items.items.length > 0 && (
          <ul className="custody-cards">
            {items.items.map((i) => (
              <li key={i.id} className={i.overdue ? 'custody-card custody-card-overdue' : 'custody-card'}>
                <div className="custody-card-head">
                  <Link to={`/custody/items/${i.id}`}>
                    <code>{i.code}</code>
                  </Link>
                  <StateBadge t={t} state={i.state} />
                  <OverdueFlag t={t} overdue={i.overdue} />
                </div>
                <p className="custody-card-desc">{i.description}</p>
                <p className="small muted">
                  {i.caseCode}
                  {i.warehouse && ` · ${i.warehouse.name}${i.shelf ? ` (${i.shelf})` : ''}`}
                  {` · ${t('custody.seizedOn')}: ${formatDate(i.seizedOn, locale)} · ${t('custody.deadline')}: ${formatDate(i.deadline, locale)}`}
                </p>
              </li>
            ))}
          </ul>
        )}
        {items && items.hiddenCount > 0 && <p className="small muted">{t('custody.hidden', { n: items.hiddenCount })}</p>}
      </section>
    </>
  );
}
