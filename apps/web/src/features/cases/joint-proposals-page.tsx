import { useEffect, useState } from 'react';
import type { CaseLinkQueueItem, CaseLinkView } from '../../contracts.js';
import { api } from '../../api/client.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { ErrorSummary } from '../../components/form.js';
import { Loading, LoadMore, PageHeader } from '../../components/ui.js';
import { useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { useLocation } from 'react-router';
import { JOINT_QUEUE_CHANGED, jointQueueChanged, LinkItem } from './case-links.js';
import './cases.css';

const PAGE = 20;
/** Roles shown the queue in the navigation: a handling unit's officers and the provincial coordinators (the route serves anyone; the server scopes it). */
export const JOINT_QUEUE_ROLES: readonly string[] = ['officer', 'provincial_coordinator'];

/**
 * /cases/joint: the joint-case proposals of the user's scope (`GET /api/case-links?status=proposed`), as
 * cards (phones), each with both cases and the confirm/reject actions of the case page. A decided
 * proposal leaves the list; an agreement that waits for the other side stays, updated.
 */
export function JointProposalsPage() {
  const t = useT();
  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<CaseLinkQueueItem>('/api/case-links', { status: 'proposed', limit: PAGE });
  const [changed, setChanged] = useState<Map<string, CaseLinkView | null>>(new Map());
  const [flash, setFlash] = useState<string | null>(null);
  const shown = (items ?? []).flatMap((i) => {
    const c = changed.get(i.id);
    if (c === null) return [];
    return [c ? { ...i, ...c, mayDecide: i.mayDecide } : i];
  });
  return (
    <>
      <PageHeader title={t('jointQueue.title')} />
      <p className="muted small">{t('jointQueue.intro')}</p>
      {flash && (
        <p className="alert alert-success" role="status">
          {flash}
        </p>
      )}
      <ErrorSummary error={error} formId="joint-queue" labels={{}} />
      {!items ? (
        <Loading />
      ) : (
        <>
          {shown.length === 0 && <p className="empty">{t('jointQueue.none')}</p>}
          <div className="link-cards">
            {shown.map((l) => (
              <LinkItem
                key={l.id}
                link={l}
                both
                mayDecide={l.mayDecide}
                onChanged={(message, decided, next) => {
                  setFlash(message);
                  setChanged((m) => new Map(m).set(l.id, decided ? null : next));
                  jointQueueChanged();
                }}
              />
            ))}
          </div>
          <LoadMore nextCursor={nextCursor} loadingMore={loadingMore} loadMore={loadMore} />
        </>
      )}
    </>
  );
}

/**
 * The count of proposals waiting in a provincial coordinator's province, beside the queue's link in the
 * navigation; read again on every navigation and after a decision. Nothing for other roles (no request).
 */
export function JointQueueBadge() {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  const coordinates = me.roles.includes('provincial_coordinator');
  const [n, setN] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const on = () => setTick((x) => x + 1);
    window.addEventListener(JOINT_QUEUE_CHANGED, on);
    return () => window.removeEventListener(JOINT_QUEUE_CHANGED, on);
  }, []);
  useEffect(() => {
    if (!coordinates) return;
    let cancelled = false;
    api.get<{ count: number }>('/api/case-links/count', { status: 'proposed' }).then(
      (r) => !cancelled && setN(r.count),
      () => undefined, // a badge that fails stays as it was; the page shows errors
    );
    return () => {
      cancelled = true;
    };
  }, [coordinates, pathname, tick]);
  if (!coordinates || !n) return null;
  const label = t('jointQueue.badge', { n });
  return (
    <span className="nav-badge" title={label} data-testid="joint-queue-badge">
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
