import { NavLink, Navigate, Route, Routes } from 'react-router';
import { PageHeader } from '../../components/ui.js';
import { useT } from '../../i18n/i18n.js';
import { NotFoundPage } from '../shell/status-pages.js';
import { OrgUnitsTab } from './org-units-tab.js';
import { UsersTab } from './users-tab.js';
import { TokensTab } from './tokens-tab.js';

/** Administration: one route per tab, so a tab can be bookmarked and the back button works. */
export function AdminPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('section.admin')} />
      <nav className="tabs" aria-label={t('admin.tabs')}>
        <NavLink to="/admin/units">{t('admin.units')}</NavLink>
        <NavLink to="/admin/users">{t('admin.users')}</NavLink>
        <NavLink to="/admin/tokens">{t('admin.tokens')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="units" replace />} />
        <Route path="units" element={<OrgUnitsTab />} />
        <Route path="users" element={<UsersTab />} />
        <Route path="tokens" element={<TokensTab />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
