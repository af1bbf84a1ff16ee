import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatDate, formatNumber, formatVnd, type CustodyItemList } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ErrorSummary } from '../../components/form.js';
import { unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { OverdueFlag, StateBadge } from './custody-bits.js';
import './custody.css';

/**
 * The custody section of a case page: its seized goods, who holds them and where, and (for the units
 * handling the case) a button creating one custody item per goods line.
 */
export function CaseCustody({ caseId, canCreate, goodsCount }: { caseId: string; canCreate: boolean; goodsCount: number }) {
  const t = useT();
  const locale = useLocale();
  const [list, setList] = useState<CustodyItemList | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.get<CustodyItemList>(`/api/custody/cases/${caseId}/items`).then(
      (r) => !cancelled && setList(r),
      (e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [caseId, tick]);

  if (missing) return null;

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<CustodyItemList>(`/api/custody/cases/${caseId}/items`, {});
      setFlash(t('custody.created', { n: r.items.length }));
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="case-custody">
      <h2 id="case-custody">{t('custody.caseSection')}</h2>
      <ErrorSummary error={error} formId="case-custody" labels={{}} />
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      {list && list.items.length === 0 && <p className="muted">{t('custody.caseNone')}</p>}
      {list && list.items.length > 0 && (
        <ul className="custody-cards">
          {list.items.map((i) => (
            <li key={i.id} className="custody-card">
              <div className="custody-card-head">
                <Link to={`/custody/items/${i.id}`}>
                  <code>{i.code}</code>
                </Link>
                <StateBadge t={t} state={i.state} />
                <OverdueFlag t={t} overdue={i.overdue} />
              </div>
              <p className="custody-card-desc">{i.description}</p>
              <p className="small muted">
                {i.quantity !== null && `${formatNumber(i.quantity, locale)} ${i.unit ?? ''} · `}
                {i.estimatedValueVnd !== null && `${formatVnd(i.estimatedValueVnd)} · `}
                {unitName(i.holderUnit, locale)}
                {i.warehouse && ` · ${i.warehouse.name}${i.shelf ? ` (${i.shelf})` : ''}`}
                {` · ${t('custody.deadline')}: ${formatDate(i.deadline, locale)}`}
              </p>
            </li>
          ))}
        </ul>
      )}
      {list && list.hiddenCount > 0 && <p className="small muted">{t('custody.hidden', { n: list.hiddenCount })}</p>}
      {canCreate && list && list.items.length === 0 && goodsCount > 0 && (
        <button type="button" className="btn" onClick={create} disabled={busy}>
          {t('custody.createFromGoods')}
        </button>
      )}
    </section>
  );
}
