import { useId, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../contracts.js';
import { DateField } from '../../components/date-field.js';
import { errorText } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { useLocale, useT, type MessageKey } from '../../i18n/i18n.js';
import { choiceFrom, choiceParams, countFor, periodOf, PERIOD_KINDS, vietnamToday, type PeriodChoice, type PeriodKind } from './period.js';
import { GROUP_BY, situationUrl, useProvinceShapes, useSituation, type ReportGroupBy, type SituationParams } from './use-situation.js';
import { BreakdownTable, CountedByNote, FigureCards, HotSpots, SmallCellNote } from './report-parts.js';
import { TipFiguresSection } from './report-tips.js';
import { DirectivesSection } from './report-directives.js';
import { TrendChart } from './trend-chart.js';
import { ProvinceMap } from './province-map.js';
import './reports.css';

const DEFAULT_GROUP_BY: ReportGroupBy = 'force';

function useReportParams() {
  const [params, setParams] = useSearchParams();
  const choice = choiceFrom(params);
  const compare = params.get('compare') === 'previous-period' ? 'previous-period' : 'same-period';
  const g = params.get('groupBy') as ReportGroupBy | null;
  const groupBy = g && GROUP_BY.includes(g) ? g : DEFAULT_GROUP_BY;
  const update = (next: { choice?: PeriodChoice; compare?: string; groupBy?: string }) => {
    const c = next.choice ?? choice;
    setParams({ ...choiceParams(c), compare: next.compare ?? compare, groupBy: next.groupBy ?? groupBy }, { replace: true, preventScrollReset: true });
  };
  return { choice, compare, groupBy, update } as const;
}

/** DateField hands over the typed text until it is a real day; the period (in the address bar) only takes days. */
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

function PeriodPicker({ choice, onChange }: { choice: PeriodChoice; onChange: (c: PeriodChoice) => void }) {
  const t = useT();
  const id = useId();
  const thisYear = vietnamToday().year;
  const years = Array.from({ length: 12 }, (_, i) => thisYear - i);
  if (!years.includes(choice.year)) years.push(choice.year);
  const setKind = (kind: PeriodKind) => {
    if (kind === 'range') {
      const p = periodOf(choice);
      onChange({ ...choice, kind, from: p.from, to: p.to });
      return;
    }
    onChange({ ...choice, kind, n: Math.min(choice.n, countFor(kind)) || 1 });
  };
  const nLabel = (n: number): string => {
    switch (choice.kind) {
      case 'firstN': return t('reports.period.firstNOption', { n });
      case 'month': return t('reports.period.monthOption', { n });
      case 'quarter': return t('reports.period.quarterOption', { n });
      default: return t(n === 1 ? 'reports.period.half1' : 'reports.period.half2');
    }
  };
  const nFieldLabel: Record<PeriodKind, MessageKey> = {
    firstN: 'reports.period.months', month: 'reports.period.month', quarter: 'reports.period.quarter', half: 'reports.period.half', year: 'reports.period.year', range: 'reports.period.year',
  };
  const badRange = choice.kind === 'range' && choice.from > choice.to;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('reports.period.kind')}</label>
        <select id={`${id}-kind`} value={choice.kind} onChange={(e) => setKind(e.target.value as PeriodKind)}>
          {PERIOD_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`reports.period.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {choice.kind === 'range' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('reports.period.from')}</label>
            <DateField id={`${id}-from`} value={choice.from} max={choice.to} onChange={(v) => isDay(v) && onChange({ ...choice, from: v })} />
          </div>
          <div className={`field${badRange ? ' field-invalid' : ''}`}>
            <label htmlFor={`${id}-to`}>{t('reports.period.to')}</label>
            <DateField id={`${id}-to`} value={choice.to} min={choice.from} aria-invalid={badRange || undefined} aria-describedby={badRange ? `${id}-err` : undefined} onChange={(v) => isDay(v) && onChange({ ...choice, to: v })} />
            {badRange && (
              <p id={`${id}-err`} className="field-error">
                {t('reports.period.badRange')}
              </p>
            )}
          </div>
        </>
      ) : (
        <>
          {choice.kind !== 'year' && (
            <div className="field">
              <label htmlFor={`${id}-n`}>{t(nFieldLabel[choice.kind])}</label>
              <select id={`${id}-n`} value={choice.n} onChange={(e) => onChange({ ...choice, n: Number(e.target.value) })}>
                {Array.from({ length: countFor(choice.kind) }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {nLabel(n)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field field-year">
            <label htmlFor={`${id}-year`}>{t('reports.period.year')}</label>
            <select id={`${id}-year`} value={choice.year} onChange={(e) => onChange({ ...choice, year: Number(e.target.value) })}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
    </>
  );
}

/**
 * The situation report: period picker, narrative, figures against the comparison period, monthly
 * trend, breakdown with drill-down to the cases, map and hot spots. Everything chosen lives in the
 * address bar. Also the dashboard's main content for the roles that read reports (`title` differs).
 */
export function ReportsView({ title, intro }: { title?: string; intro?: ReactNode }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { choice, compare, groupBy, update } = useReportParams();
  const period = periodOf(choice);
  const valid = period.from <= period.to;
  const query: SituationParams | null = useMemo(
    () => (valid ? { from: period.from, to: period.to, compare, groupBy, locale } : null),
    [valid, period.from, period.to, compare, groupBy, locale],
  );
  const { report, provinces, error, loading } = useSituation(query);
  const shapes = useProvinceShapes();
  const current = report && query && report.period.from === query.from && report.period.to === query.to;

  return (
    <>
      <PageHeader title={title ?? t('reports.title')}>
        {query && (
          <div className="report-exports" role="group" aria-label={t('reports.export.label')}>
            <a className="btn btn-small" href={situationUrl(query, 'xlsx')} download>
              {t('reports.export.xlsx')}
            </a>
            <a className="btn btn-small" href={situationUrl(query, 'pdf')} download>
              {t('reports.export.pdf')}
            </a>
          </div>
        )}
      </PageHeader>
      {intro}
      <form className="card report-controls" aria-label={t('reports.controls')} onSubmit={(e) => e.preventDefault()}>
        <PeriodPicker choice={choice} onChange={(c) => update({ choice: c })} />
        <div className="field">
          <label htmlFor={`${id}-compare`}>{t('reports.compare')}</label>
          <select id={`${id}-compare`} value={compare} onChange={(e) => update({ compare: e.target.value })}>
            <option value="same-period">{t('reports.compare.same')}</option>
            <option value="previous-period">{t('reports.compare.previous')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-groupBy`}>{t('reports.groupBy')}</label>
          <select id={`${id}-groupBy`} value={groupBy} onChange={(e) => update({ groupBy: e.target.value })}>
            {GROUP_BY.map((g) => (
              <option key={g} value={g}>
                {t(`reports.groupBy.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </form>

      <div aria-live="polite" aria-busy={loading} className="report-status">
        {loading && report && <p className="small muted report-updating">{t('reports.updating')}</p>}
        {error != null && (
          <div className="alert alert-error" role="alert">
            <p>{errorText(t, error)}</p>
          </div>
        )}
      </div>
      {!report && loading && <Loading />}
      {report && (
        <div className={`report${loading || !current ? ' is-stale' : ''}`}>
          <p className="report-heading">
            <strong>{report.scope.name}</strong> · {report.period.name} · <span className="muted">{t('reports.comparedWith', { period: report.comparePeriod.name })}</span>
          </p>
          <HotSpots report={report} />
          <p className="narrative" lang={locale}>
            {report.narrative}
          </p>
          <h2 className="visually-hidden">{t('reports.figures')}</h2>
          <FigureCards report={report} />
          <CountedByNote report={report} />
          <SmallCellNote report={report} />

          <div className="report-grid">
            <section className="card" aria-labelledby={`${id}-trend`}>
              <h2 id={`${id}-trend`}>{t('reports.trend.title')}</h2>
              <TrendChart report={report} />
            </section>
            <section className="card" aria-labelledby={`${id}-map`}>
              <h2 id={`${id}-map`}>{t('reports.map.title')}</h2>
              {shapes === undefined ? <Loading /> : <ProvinceMap report={report} byProvince={provinces} shapes={shapes} />}
            </section>
          </div>

          <section className="card" aria-labelledby={`${id}-breakdown`}>
            <h2 id={`${id}-breakdown`}>{t('reports.breakdown.title', { by: t(`reports.groupBy.${report.breakdown?.by ?? groupBy}`) })}</h2>
            <BreakdownTable report={report} by={report.breakdown?.by ?? groupBy} />
          </section>
          <TipFiguresSection report={report} id={id} />
          <DirectivesSection report={report} id={id} />
          <p className="small muted">{t('reports.generatedAt', { time: formatDateTime(report.generatedAt, locale) })}</p>
        </div>
      )}
    </>
  );
}
