import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { sectionsFor } from '../../contracts.js';
import { DemoBanner, LanguageSwitch, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe, useSession } from '../../session/session.js';
import { TipRemindersBadge } from '../tips/tip-reminders.js';
import { WatchAlertsBadge } from '../subjects/watchlist.js';
import { JOINT_QUEUE_ROLES, JointQueueBadge } from '../cases/joint-proposals-page.js';

function UserMenu() {
  const t = useT();
  const me = useMe();
  const { logout } = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={ref}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {me.displayName.trim().charAt(0).toUpperCase()}
        </span>
        <span className="user-menu-name">{me.displayName}</span>
        <span className="visually-hidden">{t('shell.userMenu')}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="user-menu-panel" id="user-menu-panel">
          <p className="user-menu-who">
            <strong>{me.displayName}</strong>
            <br />
            <span className="muted small">{me.username}</span>
          </p>
          <LanguageSwitch />
          <Link className="menu-item" to="/account" onClick={() => setOpen(false)}>
            {t('shell.changePassword')}
          </Link>
          <button type="button" className="menu-item" onClick={() => void logout()}>
            {t('shell.logout')}
          </button>
        </div>
      )}
    </div>
  );
}

export function AppShell() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const { meta } = useSession();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  const first = useRef(true);
  const sections = sectionsFor(me.roles, me.unit);

  // After a navigation, close the phone menu and move focus to the new page's heading, so keyboard
  // and screen-reader users land on the content instead of at the top of the document.
  useEffect(() => {
    setNavOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <DemoBanner meta={meta} />
      <header className="topbar">
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={navOpen}
          aria-controls="main-nav"
          onClick={() => setNavOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span> {t('shell.menu')}
        </button>
        <Link to="/" className="brand">
          Cordon
        </Link>
        <span className="topbar-unit" title={unitName(me.unit, locale)}>
          {unitName(me.unit, locale)}
        </span>
        <UserMenu />
      </header>
      <div className="shell-body">
        <nav id="main-nav" className={navOpen ? 'sidenav open' : 'sidenav'} aria-label={t('shell.nav')}>
          <ul>
            {sections.map((s) => (
              <li key={s.key}>
                {/* Only the sub-link is current on the joint-case queue, not "Vụ việc" as well. */}
                <NavLink to={s.path} end={s.path === '/' || (s.key === 'cases' && location.pathname.startsWith('/cases/joint'))}>
                  <span>{t(`section.${s.key}`)}</span>
                  {!s.ready && <span className="soon-tag">{t('soon.tag')}</span>}
                  {s.key === 'tips' && <TipRemindersBadge />}
                  {s.key === 'subjects' && <WatchAlertsBadge />}
                </NavLink>
                {s.key === 'cases' && me.roles.some((r) => JOINT_QUEUE_ROLES.includes(r)) && (
                  <NavLink to="/cases/joint" className="nav-sub">
                    <span>{t('jointQueue.nav')}</span>
                    <JointQueueBadge />
                  </NavLink>
                )}
              </li>
            ))}
            <li className="nav-sep">
              <NavLink to="/account">{t('section.account')}</NavLink>
            </li>
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
