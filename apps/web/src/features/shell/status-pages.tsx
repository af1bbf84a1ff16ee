import { Link } from 'react-router';
import type { SectionKey } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';
import { PageHeader } from '../../components/ui.js';

type PendingSection = Exclude<SectionKey, 'dashboard' | 'admin' | 'audit'>;

/** Sections on the menu that are not built yet: say what they will do, so nobody thinks it broke. */
export function ComingSoonPage({ section }: { section: PendingSection }) {
  const t = useT();
  return (
    <>
      <PageHeader title={t(`section.${section}`)} />
      <div className="card coming-soon">
        <p className="badge">{t('soon.badge')}</p>
        <p>{t(`soon.${section}`)}</p>
        <p className="muted">{t('soon.note')}</p>
        <Link to="/">{t('common.backToDashboard')}</Link>
      </div>
    </>
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <div className="card">
        <p>{t('notFound.text')}</p>
        <Link to="/">{t('common.backToDashboard')}</Link>
      </div>
    </>
  );
}

export function ForbiddenPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('forbidden.title')} />
      <div className="card">
        <p>{t('forbidden.text')}</p>
        <Link to="/">{t('common.backToDashboard')}</Link>
      </div>
    </>
  );
}
