import { useEffect, useRef } from 'react';
import { Link, NavLink, useLocation } from 'react-router';

export interface TabLink {
  to: string;
  label: string;
  /** Current only on exactly this address, not below it (a section's first tab at its root). */
  end?: boolean;
  /**
   * Set when the tab is chosen by the query string (?tab=…), which NavLink does not look at. Tabs
   * chosen by path leave it out and NavLink marks the current one.
   */
  current?: boolean;
}

/**
 * The one tab bar of the staff app: links (so a tab can be bookmarked and the back button works),
 * the current one marked aria-current="page". Scrolls sideways on a narrow screen, keeping the current
 * tab in sight (on a phone the later tabs start hidden).
 */
export function TabNav({ label, tabs, replace }: { label: string; tabs: readonly TabLink[]; replace?: boolean }) {
  const ref = useRef<HTMLElement>(null);
  const location = useLocation();
  const current = tabs.find((t) => t.current)?.to;
  useEffect(() => {
    const nav = ref.current;
    const here = nav?.querySelector('[aria-current="page"]');
    if (!nav || !here) return;
    const n = nav.getBoundingClientRect();
    const c = here.getBoundingClientRect();
    if (c.left < n.left || c.right > n.right) nav.scrollLeft += c.left - n.left - 16;
  }, [location.pathname, location.search, current]);
  return (
    <nav className="tabs" aria-label={label} ref={ref}>
      {tabs.map((tab) =>
        tab.current === undefined ? (
          <NavLink key={tab.to} to={tab.to} end={tab.end} replace={replace}>
            {tab.label}
          </NavLink>
        ) : (
          <Link key={tab.to} to={tab.to} replace={replace} aria-current={tab.current ? 'page' : undefined}>
            {tab.label}
          </Link>
        ),
      )}
    </nav>
  );
}
