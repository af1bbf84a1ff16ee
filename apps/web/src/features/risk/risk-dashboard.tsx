import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { ErrorAlert } from '../../components/form.js';
import { Loading } from '../../components/ui.js';
import { formatDate, type RiskDriftView, type RiskHitRatesView, type RiskModelView } from '../../contracts.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { pct, type RiskMappingView, num } from './risk-bits.js';
import { DriftPanel } from './risk-models.js';

type Series = RiskHitRatesView['series'][number];
type Dimension = Series['by'];
const DIMENSIONS: Dimension[] = ['channel', 'selection', 'rule', 'office'];
/** Offices beyond this many (by declarations scored) are left out of the table: the busiest first. */
const MAX_ROWS = 12;
/** On a phone only the latest periods are shown (each row becomes a card; eight periods made it a scroll). */
const PHONE_PERIODS = 3;

/**
 * The risk dashboard: per week or month, how many declarations went to each channel and what the
 * inspections found — per channel, per way of choosing (the random share is the unbiased measure),
 * per rule (shadow rules too) and per office.
 */
export function RiskDashboardTab({ mapping }: { mapping: RiskMappingView }) {
  const t = useT();
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [data, setData] = useState<RiskHitRatesView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    api.get<RiskHitRatesView>('/api/risk/hit-rates', { mappingId: mapping.id, period, periods: period === 'week' ? 8 : 6 }).then(setData, setError);
  }, [mapping.id, period]);
  // Drift and the active model belong on the overview too (they were only on the Models tab).
  const [drift, setDrift] = useState<RiskDriftView | null>(null);
  const [active, setActive] = useState<RiskModelView | undefined>(undefined);
  useEffect(() => {
    setDrift(null);
    setActive(undefined);
    api.get<RiskDriftView>('/api/risk/drift', { mappingId: mapping.id, days: 30 }).then(setDrift, setError);
    api.get<{ items: RiskModelView[] }>('/api/risk/models', { mappingId: mapping.id }).then((r) => setActive(r.items.find((m) => m.status === 'active')), setError);
  }, [mapping.id]);

  return (
    <section aria-labelledby="risk-dash-title">
      <h2 id="risk-dash-title" className="visually-hidden">{t('risk.tab.dashboard')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="risk-period">{t('risk.dash.period')}</label>
          <select id="risk-period" value={period} onChange={(e) => setPeriod(e.target.value as 'week' | 'month')}>
            <option value="week">{t('risk.dash.week')}</option>
            <option value="month">{t('risk.dash.month')}</option>
          </select>
        </div>
      </div>
      <p className="hint">{t('risk.dash.hint')}</p>
      <ErrorAlert error={error} />
      {data === null ? (
        error == null && <Loading />
      ) : data.series.length === 0 ? (
        <p className="alert alert-info">{t('risk.dash.empty')}</p>
      ) : (
        <>
          <Headline data={data} t={t} />
          {drift && <DriftPanel drift={drift} channels={false} model={active} />}
          {DIMENSIONS.map((by) => (
            <HitTable key={by} by={by} data={data} t={t} />
          ))}
        </>
      )}
    </section>
  );
}

/** The window's totals: channel shares, and the hit rate of the red channel against the random share's. */
function Headline({ data, t }: { data: RiskHitRatesView; t: Translate }) {
  const total = (by: Dimension, key: string) => data.series.find((s) => s.by === by && s.key === key)?.total;
  const scored = data.series.filter((s) => s.by === 'channel').reduce((n, s) => n + s.total.scored, 0);
  const rate = (x?: Series['total']) => (x && x.inspected ? x.found / x.inspected : null);
  const share = (key: string) => (scored ? (total('channel', key)?.scored ?? 0) / scored : null);
  return (
    <dl className="risk-figures">
      <div>
        {/* Not the drift panel's figure below: that one counts the active model's last N days. */}
        <dt>{t('risk.dash.scored')}</dt>
        <dd>{num(scored)}</dd>
      </div>
      {(['red', 'yellow', 'green'] as const).map((c) => (
        <div key={c}>
          <dt>{t('risk.dash.share', { channel: t(`risk.channel.${c}`) })}</dt>
          <dd>{pct(share(c))}</dd>
        </div>
      ))}
      <div>
        <dt>{t('risk.dash.hitRed')}</dt>
        <dd>{pct(rate(total('channel', 'red')))}</dd>
      </div>
      <div>
        <dt>{t('risk.dash.hitRandom')}</dt>
        <dd>{pct(rate(total('selection', 'random')))}</dd>
        <dd className="muted small">{t('risk.dash.hitRandomHint')}</dd>
      </div>
    </dl>
  );
}

function HitTable({ by, data, t }: { by: Dimension; data: RiskHitRatesView; t: Translate }) {
  const locale = useLocale();
  const rows = data.series.filter((s) => s.by === by).slice(0, MAX_ROWS);
  if (!rows.length) return null;
  const label = (key: string) => (by === 'channel' ? t(`risk.channel.${key as 'red'}`) : by === 'selection' ? t(`risk.selectedBy.${key as 'risk'}`) : key || '—');
  const old = (i: number) => i < data.periods.length - PHONE_PERIODS;
  const periodLabel = (p: string) => (data.period === 'month' ? formatDate(`${p}T12:00:00Z`, locale).slice(3) : formatDate(`${p}T12:00:00Z`, locale));
  return (
    <div className="table-wrap risk-table-wrap risk-hits">
      <table className="table risk-table">
        <caption>{t(`risk.dash.by.${by}`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`risk.dash.col.${by}`)}</th>
            {data.periods.map((p, i) => (
              <th scope="col" key={p} className={`nowrap${old(i) ? ' risk-older' : ''}`}>{periodLabel(p)}</th>
            ))}
            <th scope="col">{t('risk.dash.total')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.key}>
              <th scope="row" data-label={t(`risk.dash.col.${by}`)}>{label(s.key)}</th>
              {data.periods.map((p, i) => (
                <td key={p} data-label={periodLabel(p)} className={old(i) ? 'risk-older' : undefined}>
                  <Cell x={s.points.find((x) => x.period === p)} t={t} />
                </td>
              ))}
              <td data-label={t('risk.dash.total')}>
                <Cell x={s.total} t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "12.5%" hit rate with "3/24 · 310" (found/inspected · scored) under it; a dash when nothing was inspected. */
function Cell({ x, t }: { x?: { scored: number; inspected: number; found: number }; t: Translate }) {
  if (!x || x.scored === 0) return <span className="muted">—</span>;
  return (
    <>
      <strong>{x.inspected ? pct(x.found / x.inspected) : '—'}</strong>
      <div className="muted small nowrap">{t('risk.dash.cell', { found: num(x.found), inspected: num(x.inspected), scored: num(x.scored) })}</div>
    </>
  );
}
