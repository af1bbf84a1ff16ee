import { Link } from 'react-router';
import { formatNumber, type ReportFigureKey, type SituationReport } from '../../contracts.js';
import { useLocale, useT, type MessageKey } from '../../i18n/i18n.js';
import { drillHref } from './drill.js';
import { formatChange, formatFigure, formatRatio, hiddenMark, MONEY_FIGURES } from './report-format.js';
import type { ReportGroupBy } from './use-situation.js';

export const CARD_FIGURES: readonly ReportFigureKey[] = [
  'cases', 'smuggling', 'tradeFraud', 'counterfeit', 'penalties', 'finesVnd', 'confiscatedVnd', 'collectedVnd', 'transferred', 'prosecutedCases', 'defendants',
];

const figureName = (k: ReportFigureKey): MessageKey => `reports.figure.${k}`;

/** ▲ / ▼ with words for screen readers; nothing for no change. */
function ChangeMarker({ change }: { change: number }) {
  const t = useT();
  if (change === 0) return <span className="change-flat">{t('reports.unchanged')}</span>;
  return (
    <>
      <span aria-hidden="true" className={change > 0 ? 'change-up' : 'change-down'}>
        {change > 0 ? '▲' : '▼'}
      </span>
      <span className="visually-hidden">{change > 0 ? t('reports.up') : t('reports.down')}</span>
    </>
  );
}

export function FigureCards({ report }: { report: SituationReport }) {
  const t = useT();
  const locale = useLocale();
  const cmpLabel = report.compare === 'same-period' ? t('reports.ofSamePeriod') : t('reports.ofPreviousPeriod');
  return (
    <ul className="figure-cards">
      {CARD_FIGURES.map((k) => {
        const f = report.figures[k];
        if (!f) return null;
        const money = MONEY_FIGURES.has(k);
        return (
          <li key={k} className={`figure-card${k === 'cases' ? ' figure-card-main' : ''}`}>
            <h3 className="figure-name">{t(figureName(k))}</h3>
            {f.suppressed?.includes('value') ? (
              <p className="figure-value" title={t('reports.smallCell', { k: report.smallCellThreshold ?? 3 })}>
                {hiddenMark(report.smallCellThreshold)}
              </p>
            ) : (
              <p className="figure-value" title={money ? formatFigure(k, f.value, t, locale) : undefined}>
                {formatFigure(k, f.value, t, locale, money)}
              </p>
            )}
            <p className="figure-ratio">
              <span className="figure-ratio-value">{formatRatio(f.ratio, locale)}</span> <span className="muted">{cmpLabel}</span>
            </p>
            <p className="figure-compare small">
              <span className="muted" title={report.comparePeriod.name}>{report.compare === 'same-period' ? t('reports.compareValue.same', { year: report.comparePeriod.from.slice(0, 4) }) : t('reports.compareValue.previous')}</span>{' '}
              <span className="nowrap">{f.suppressed?.includes('compareValue') ? hiddenMark(report.smallCellThreshold) : formatFigure(k, f.compareValue, t, locale, money)}</span>
              {/* a hidden figure has no change to show: "unchanged" would be a claim */}
              {!f.suppressed?.length && (
                <span className={`figure-change nowrap ${f.change > 0 ? 'is-up' : f.change < 0 ? 'is-down' : ''}`}>
                  <ChangeMarker change={f.change} /> {f.change !== 0 && formatChange(k, f.change, t, locale)}
                </span>
              )}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

const DATE_NAMES: Record<SituationReport['countedBy'][ReportFigureKey], MessageKey> = {
  detected_on: 'reports.countedBy.detected_on',
  penalty_decided_on: 'reports.countedBy.penalty_decided_on',
  transferred_on: 'reports.countedBy.transferred_on',
  prosecuted_on: 'reports.countedBy.prosecuted_on',
};

/** "Counted by: cases by date of detection; penalties, fines … by date of the penalty decision; …" */
export function CountedByNote({ report }: { report: SituationReport }) {
  const t = useT();
  const groups = new Map<string, string[]>();
  for (const k of CARD_FIGURES) {
    const d = report.countedBy[k];
    if (!d) continue;
    groups.set(d, [...(groups.get(d) ?? []), t(`reports.short.${k}`)]);
  }
  const parts = [...groups.entries()].map(([d, names], i) => {
    const figures = names.join(', ');
    return t('reports.countedBy.part', { figures: i === 0 ? figures.charAt(0).toLocaleUpperCase() + figures.slice(1) : figures, date: t(DATE_NAMES[d as keyof typeof DATE_NAMES]) });
  });
  return (
    <p className="counted-by small muted">
      <strong>{t('reports.countedBy.title')}</strong> {parts.join('; ')}. {t('reports.countedBy.why')}
    </p>
  );
}

/**
 * Why some amounts read "<3" (the small-cell rule, apps/server/src/features/reports/reports.suppress.ts),
 * shown only when the report withholds one.
 */
export function SmallCellNote({ report }: { report: SituationReport }) {
  const t = useT();
  const withheld = (fs: Record<string, { suppressed?: string[] } | undefined>) => Object.values(fs).some((f) => f?.suppressed?.length);
  if (!withheld(report.figures) && !report.breakdown?.rows.some((r) => withheld(r.figures))) return null;
  return (
    <p className="small-cell-note small muted">
      <strong>{hiddenMark(report.smallCellThreshold)}</strong> {t('reports.smallCell.note', { k: report.smallCellThreshold ?? 3 })}
    </p>
  );
}

export function HotSpots({ report }: { report: SituationReport }) {
  const t = useT();
  const locale = useLocale();
  if (!report.hotSpots.length) return null;
  // Non-breaking spaces: "p < 0,001" stays on one line.
  const p = (v: number) => (v < 0.001 ? `p\u00a0<\u00a0${formatNumber(0.001, locale, 3)}` : `p\u00a0=\u00a0${formatNumber(v, locale, 3)}`);
  return (
    <section className="alert alert-warning hot-spots" aria-labelledby="hot-spots-title">
      <h2 id="hot-spots-title" className="alert-title">
        {t('reports.hotSpots.title')}
      </h2>
      <ul>
        {report.hotSpots.map((h) => {
          const href = h.dimension === 'province' || h.dimension === 'category' || h.dimension === 'route' ? drillHref(report, h.dimension, h.key) : null;
          const label = href ? <Link to={href}>{h.label}</Link> : h.label;
          return (
            <li key={`${h.dimension}:${h.key}`}>
              <span className="muted">{t(`reports.groupBy.${h.dimension}`)}:</span> {label}:{' '}
              {t('reports.hotSpots.line', {
                observed: formatNumber(h.observed, locale),
                expected: formatNumber(h.expected, locale, 1),
                ratio: new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(h.ratio),
                p: p(h.pValue),
                test: h.test === 'poisson-upper-tail' ? t('reports.hotSpots.poisson') : h.test,
              })}
            </li>
          );
        })}
      </ul>
      <p className="small">{t('reports.hotSpots.how')}</p>
    </section>
  );
}

/** Columns of the breakdown table besides the case count. */
const TABLE_FIGURES: readonly ReportFigureKey[] = ['penalties', 'finesVnd', 'prosecutedCases'];

export function BreakdownTable({ report, by }: { report: SituationReport; by: ReportGroupBy }) {
  const t = useT();
  const locale = useLocale();
  const b = report.breakdown;
  if (!b) return null;
  if (!b.rows.length) return <p className="muted">{t('reports.empty')}</p>;
  const max = Math.max(1, ...b.rows.map((r) => Math.max(r.figures.cases.value, r.figures.cases.compareValue)));
  const cmp = report.compare === 'same-period' ? t('reports.col.compareSame') : t('reports.col.comparePrevious');
  return (
    <>
      <div className="table-scroll">
        <table className="table breakdown-table">
          <caption className="visually-hidden">{t('reports.breakdown.caption', { by: t(`reports.groupBy.${by}`), period: report.period.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`reports.groupBy.${by}`)}</th>
              <th scope="col" className="num">{t('reports.col.cases')}</th>
              <th scope="col" className="num hide-phone">{cmp}</th>
              <th scope="col" className="num">{t('reports.col.ratio')}</th>
              <th scope="col" className="bar-col">
                <span className="visually-hidden">{t('reports.col.bar')}</span>
              </th>
              {TABLE_FIGURES.map((k) => (
                <th key={k} scope="col" className="num hide-phone">
                  {t(figureName(k))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r) => {
              const c = r.figures.cases;
              const hidden = (f: typeof c | undefined, w: 'value' | 'compareValue') => f?.suppressed?.includes(w) ?? false;
              const mark = <span title={t('reports.smallCell', { k: report.smallCellThreshold ?? 3 })}>{hiddenMark(report.smallCellThreshold)}</span>;
              const href = c.value > 0 || hidden(c, 'value') ? drillHref(report, by, r.key) : null;
              const label = t('reports.breakdown.drill', { n: formatNumber(c.value, locale), label: r.label });
              return (
                <tr key={r.key || '∅'}>
                  <th scope="row" className="breakdown-label">{r.label}</th>
                  <td className="num">
                    {href ? (
                      <Link to={href} aria-label={hidden(c, 'value') ? r.label : label} title={hidden(c, 'value') ? r.label : label}>
                        {hidden(c, 'value') ? hiddenMark(report.smallCellThreshold) : formatNumber(c.value, locale)}
                      </Link>
                    ) : hidden(c, 'value') ? (
                      mark
                    ) : (
                      formatNumber(c.value, locale)
                    )}
                  </td>
                  <td className="num muted hide-phone">{hidden(c, 'compareValue') ? mark : formatNumber(c.compareValue, locale)}</td>
                  <td className="num nowrap">{c.suppressed?.length ? null : <>{formatRatio(c.ratio, locale)} <ChangeMarker change={c.change} /></>}</td>
                  <td className="bar-col" aria-hidden="true">
                    <span className="hbar">
                      <span className="hbar-fill" style={{ width: `${(c.value / max) * 100}%` }} />
                      <span className="hbar-compare" style={{ left: `${(c.compareValue / max) * 100}%` }} />
                    </span>
                  </td>
                  {TABLE_FIGURES.map((k) => (
                    <td key={k} className="num nowrap hide-phone">
                      {hidden(r.figures[k], 'value') ? mark : formatFigure(k, r.figures[k]?.value ?? 0, t, locale, true)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="small muted">
        <span className="hbar-key" aria-hidden="true" /> {t('reports.breakdown.barKey')} {b.note}
        {!['province', 'force', 'category', 'route', 'unit'].includes(by) && ` ${t('reports.breakdown.noDrill')}`}
      </p>
    </>
  );
}
