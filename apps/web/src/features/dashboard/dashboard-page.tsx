import { Link } from 'react-router';
import { sectionsFor } from '../../contracts.js';
import { PageHeader, roleName, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';

export function DashboardPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const cards = sectionsFor(me.roles, me.unit).filter((s) => s.key !== 'dashboard');

  return (
    <>
      <PageHeader title={t('dashboard.greeting', { name: me.displayName })} />
      <dl className="facts">
        <div>
          <dt>{t('dashboard.unit')}</dt>
          <dd>{unitName(me.unit, locale)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.roles')}</dt>
          <dd>
            <ul className="chips">
              {me.roles.map((r) => (
                <li key={r} className="chip">
                  {roleName(t, r)}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <h2>{t('dashboard.sections')}</h2>
      <ul className="cards">
        {cards.map((s) => (
          <li key={s.key}>
            <Link to={s.path} className="section-card">
              <span className="section-card-title">
                {t(`section.${s.key}`)}
                {!s.ready && <span className="soon-tag">{t('soon.tag')}</span>}
              </span>
              <span className="section-card-text">{t(`blurb.${s.key}`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
