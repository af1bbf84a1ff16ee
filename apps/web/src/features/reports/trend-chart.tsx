import { useId } from 'react';
import { formatNumber, type SituationReport } from '../../contracts.js';
import { useLocale, useT } from '../../i18n/i18n.js';

/** A round step for about five gridlines: 1, 2, 5 × 10^k. */
function niceStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

const W = 520;
const H = 300;
const PAD = { left: 50, right: 10, top: 14, bottom: 46 };

/**
 * Cases by month of detection: this period as bars, the comparison period as a line. Drawn by hand in
 * SVG (no chart library: a few hundred bytes instead of tens of kilobytes). Screen readers get a table
 * of the same numbers; the picture itself is marked as an image with a summary.
 */
export function TrendChart({ report }: { report: SituationReport }) {
  const t = useT();
  const locale = useLocale();
  const titleId = useId();
  const trend = report.trend;
  const multiYear = report.period.from.slice(0, 4) !== report.period.to.slice(0, 4);
  const monthLabel = (m: string) => {
    const n = Number(m.slice(5, 7));
    return multiYear ? `${String(n).padStart(2, '0')}/${m.slice(2, 4)}` : t('reports.monthShort', { n });
  };
  const compareName = report.compare === 'same-period' ? t('reports.trend.compareSame') : t('reports.trend.comparePrevious');

  if (trend.length === 0) return null;
  const max = Math.max(1, ...trend.map((x) => Math.max(x.cases, x.compareCases)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / trend.length;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const barW = Math.max(2, Math.min(36, slot * 0.62));
  // Label every month while they fit, then every 2nd, 3rd, 6th or 12th.
  const every = [1, 2, 3, 6, 12].find((k) => slot * k >= 38) ?? 12;
  // A month hidden by the small-cell rule (its figure rests on 1–2 restricted cases) is no zero: no bar,
  // a "<3" mark, and a break in the comparison line.
  const hidden = (p: (typeof trend)[number], w: 'cases' | 'compareCases') => p.suppressed?.includes(w) ?? false;
  const mark = `<${report.smallCellThreshold ?? 3}`;
  const line = trend
    .map((p, i) => (hidden(p, 'compareCases') ? '' : `${i === 0 || hidden(trend[i - 1]!, 'compareCases') ? 'M' : 'L'}${x(i).toFixed(1)} ${y(p.compareCases).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');

  return (
    <figure className="trend">
      <figcaption id={titleId} className="trend-legend">
        <span className="legend-item">
          <span className="legend-bar" aria-hidden="true" /> {t('reports.trend.current', { period: report.period.name })}
        </span>
        <span className="legend-item">
          <span className="legend-line" aria-hidden="true" /> {compareName} ({report.comparePeriod.name})
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="trend-svg" role="img" aria-labelledby={titleId} focusable="false">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.left - 6} y={y(v)} className="axis-label" textAnchor="end" dominantBaseline="middle">
              {formatNumber(v, locale, 0)}
            </text>
          </g>
        ))}
        <text x={13} y={PAD.top + plotH / 2} className="axis-title" textAnchor="middle" transform={`rotate(-90 13 ${PAD.top + plotH / 2})`}>
          {t('reports.trend.yAxis')}
        </text>
        {trend.map((p, i) => (
          <g key={p.month}>
            {hidden(p, 'cases') ? (
              <text x={x(i)} y={y(0) - 6} className="axis-label" textAnchor="middle">
                <title>{t('reports.smallCell', { k: report.smallCellThreshold ?? 3 })}</title>
                {mark}
              </text>
            ) : (
              <rect x={x(i) - barW / 2} y={y(p.cases)} width={barW} height={Math.max(0, y(0) - y(p.cases))} className="bar">
                <title>{`${monthLabel(p.month)}: ${formatNumber(p.cases, locale)} · ${hidden(p, 'compareCases') ? mark : formatNumber(p.compareCases, locale)}`}</title>
              </rect>
            )}
            {i % every === 0 && (
              <text x={x(i)} y={H - PAD.bottom + 18} className="axis-label" textAnchor="middle">
                {monthLabel(p.month)}
              </text>
            )}
          </g>
        ))}
        <path d={line} className="compare-line" />
        {trend.length <= 24 && trend.map((p, i) => (hidden(p, 'compareCases') ? null : <circle key={p.month} cx={x(i)} cy={y(p.compareCases)} r={3} className="compare-dot" />))}
        <text x={PAD.left + plotW / 2} y={H - 4} className="axis-title" textAnchor="middle">
          {t('reports.trend.xAxis')}
        </text>
      </svg>
      <table className="visually-hidden">
        <caption>{t('reports.trend.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.trend.month')}</th>
            <th scope="col">{report.period.name}</th>
            <th scope="col">{report.comparePeriod.name}</th>
          </tr>
        </thead>
        <tbody>
          {trend.map((p) => (
            <tr key={p.month}>
              <th scope="row">{`${p.month.slice(5, 7)}/${p.month.slice(0, 4)}`}</th>
              <td>{p.suppressed?.includes('cases') ? `<${report.smallCellThreshold ?? 3}` : formatNumber(p.cases, locale)}</td>
              <td>{p.suppressed?.includes('compareCases') ? `<${report.smallCellThreshold ?? 3}` : formatNumber(p.compareCases, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
