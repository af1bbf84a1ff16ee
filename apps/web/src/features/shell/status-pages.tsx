import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Role, SectionKey } from '../../contracts.js';
import { useT } from '../../i18n/i18n.js';
import { useSession } from '../../session/session.js';
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

/**
 * Shows its children to users with one of `roles`, else the forbidden page. The server refuses what
 * they would do anyway; this spares other users a screen of errors or a form they cannot send.
 */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { me } = useSession();
  if (!me?.roles.some((r) => roles.includes(r))) return <ForbiddenPage />;
  return <>{children}</>;
}
