import { formatNumber, type SituationReport } from '../../contracts.js';
import { useLocale, useT } from '../../i18n/i18n.js';

/**
 * "Chỉ đạo, đôn đốc": directive tasks due in the report's period, in its scope — on time, late,
 * outstanding (of which overdue) — per assigned unit, and the commendations decided in the period.
 */
export function DirectivesSection({ report, id }: { report: SituationReport; id: string }) {
  const t = useT();
  const locale = useLocale();
  const d = report.directives;
  if (!d) return null;
  const counts = (c: { total: number; onTime: number; late: number; outstanding: number; overdue: number }) => (
    <>
      <td className="num">{formatNumber(c.total, locale)}</td>
      <td className="num">{formatNumber(c.onTime, locale)}</td>
      <td className="num">{formatNumber(c.late, locale)}</td>
      <td className="num">{formatNumber(c.outstanding, locale)}</td>
      <td className="num hide-phone">{formatNumber(c.overdue, locale)}</td>
    </>
  );
  return (
    <section className="card" aria-labelledby={`${id}-directives`}>
      <h2 id={`${id}-directives`}>{t('reports.directives.title')}</h2>
      {d.totals.total === 0 ? (
        <p className="muted">{t('reports.directives.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">{t('reports.directives.caption', { period: report.period.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.directives.unit')}</th>
                <th scope="col" className="num">{t('reports.directives.total')}</th>
                <th scope="col" className="num">{t('reports.directives.onTime')}</th>
                <th scope="col" className="num">{t('reports.directives.late')}</th>
                <th scope="col" className="num">{t('reports.directives.outstanding')}</th>
                <th scope="col" className="num hide-phone">{t('reports.directives.overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{locale === 'vi' ? r.label : r.labelEn}</th>
                  {counts(r)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('reports.directives.all')}</th>
                {counts(d.totals)}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p>
        {t('reports.directives.commendations')}: <strong>{formatNumber(d.commendations, locale)}</strong>
      </p>
      <p className="small muted">{t('reports.directives.note')}</p>
    </section>
  );
}
