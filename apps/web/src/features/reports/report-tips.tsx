import { formatNumber, type SituationReport, type TipReportFigureKey } from '../../contracts.js';
import { useLocale, useT, type MessageKey } from '../../i18n/i18n.js';
import { formatRatio } from './report-format.js';

/** The order the table shows; sub-rows (channels) are indented under "received". */
const ROWS: readonly TipReportFigureKey[] = ['received', 'web', 'email', 'hotline', 'acknowledgedInTime', 'awaitingAcknowledgement', 'converted'];
const SUB_ROWS = new Set<TipReportFigureKey>(['web', 'email', 'hotline']);
const rowName = (k: TipReportFigureKey): MessageKey => `reports.tips.${k}`;

const signed = (n: number, locale: 'vi' | 'en') => (n > 0 ? `+${formatNumber(n, locale)}` : n < 0 ? `−${formatNumber(-n, locale)}` : '0');

/** Tips from the public in the report's scope: received by channel, acknowledged in time, converted. */
export function TipFiguresSection({ report, id }: { report: SituationReport; id: string }) {
  const t = useT();
  const locale = useLocale();
  const tips = report.tips;
  if (!tips) return null;
  const cmp = report.compare === 'same-period' ? t('reports.col.compareSame') : t('reports.col.comparePrevious');
  const share = tips.acknowledgedInTimeShare;
  return (
    <section className="card" aria-labelledby={`${id}-tips`}>
      <h2 id={`${id}-tips`}>{t('reports.tips.title')}</h2>
      <div className="table-scroll">
        <table className="table tip-figures-table">
          <caption className="visually-hidden">{t('reports.tips.caption', { period: report.period.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.tips.figure')}</th>
              <th scope="col" className="num">{t('reports.tips.thisPeriod')}</th>
              <th scope="col" className="num">{cmp}</th>
              <th scope="col" className="num">{t('reports.col.ratio')}</th>
              <th scope="col" className="num hide-phone">{t('reports.tips.change')}</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((k) => {
              const f = tips.figures[k];
              if (!f) return null;
              return (
                <tr key={k}>
                  <th scope="row" className={SUB_ROWS.has(k) ? 'tip-figure-sub' : undefined}>
                    {t(rowName(k))}
                  </th>
                  <td className="num">{formatNumber(f.value, locale)}</td>
                  <td className="num muted">{formatNumber(f.compareValue, locale)}</td>
                  <td className="num nowrap">{formatRatio(f.ratio, locale)}</td>
                  <td className="num nowrap hide-phone">{signed(f.change, locale)}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{t('reports.tips.share')}</th>
              <td className="num">{formatRatio(share.value, locale)}</td>
              <td className="num muted">{formatRatio(share.compareValue, locale)}</td>
              <td />
              <td className="hide-phone" />
            </tr>
          </tbody>
        </table>
      </div>
      <p className="small muted">{t('reports.tips.note')}</p>
    </section>
  );
}
