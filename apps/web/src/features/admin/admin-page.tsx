import { Navigate, Route, Routes } from 'react-router';
import { PageHeader } from '../../components/ui.js';
import { TabNav } from '../../components/tabs.js';
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
      <TabNav
        label={t('admin.tabs')}
        tabs={[
          { to: '/admin/units', label: t('admin.units') },
          { to: '/admin/users', label: t('admin.users') },
          { to: '/admin/tokens', label: t('admin.tokens') },
        ]}
      />
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
