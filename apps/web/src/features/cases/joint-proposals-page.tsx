import { useEffect, useState } from 'react';
import type { CaseLinkQueueItem, CaseLinkView } from '../../contracts.js';
import { api } from '../../api/client.js';
import { useCursorPages } from '../../api/use-cursor-pages.js';
import { ErrorAlert, ErrorSummary } from '../../components/form.js';
import { Loading, LoadMore, PageHeader } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { useLocation, useSearchParams } from 'react-router';
import { JOINT_QUEUE_CHANGED, jointQueueChanged, LinkItem } from './case-links.js';
import { named, useCaseReference } from './reference.js';
import './cases.css';
import './joint-proposals.css';

const PAGE = 20;
const STATUSES = ['proposed', 'confirmed', 'rejected'] as const;
type Status = (typeof STATUSES)[number];
/** Roles shown the queue in the navigation: a handling unit's officers and the provincial coordinators (the route serves anyone; the server scopes it). */
export const JOINT_QUEUE_ROLES: readonly string[] = ['officer', 'provincial_coordinator'];

/**
 * /cases/joint: the joint-case proposals of the user's scope (`GET /api/case-links`), as cards (phones),
 * each with both cases and the confirm/reject actions of the case page. A decided proposal leaves the
 * list; an agreement that waits for the other side stays, updated. Filters (kept in the address, so a
 * filtered list can be reloaded and shared): the status (waiting by default, or decided ones), the force that
 * recorded either case and, for users whose scope spans provinces (not a provincial committee's), the
 * province of either case.
 */
export function JointProposalsPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [flash, setFlash] = useState<string | null>(null);
  const rawStatus = params.get('status');
  const status: Status = (STATUSES as readonly (string | null)[]).includes(rawStatus) ? (rawStatus as Status) : 'proposed';
  const rawProvince = params.get('province') ?? '';
  const province = /^\d{2}$/.test(rawProvince) ? rawProvince : '';
  // A provincial committee's queue is its province already; everyone else may narrow theirs to one.
  const byProvince = me.unit.kind !== 'provincial_committee';
  const rawForce = params.get('force') ?? '';
  const force = /^[A-Z_]{2,40}$/.test(rawForce) ? rawForce : '';
  const filtered = status !== 'proposed' || force !== '' || (byProvince && province !== '');
  const { ref, error: refError } = useCaseReference();
  const provinces = ref?.provinces;
  const setFilter = (key: 'status' | 'province' | 'force', value: string) => {
    const next = new URLSearchParams(params);
    if (!value || (key === 'status' && value === 'proposed')) next.delete(key);
    else next.set(key, value);
    setParams(next);
    setFlash(null);
  };

  const { items, nextCursor, error, loadingMore, loadMore } = useCursorPages<CaseLinkQueueItem>('/api/case-links', {
    status,
    province: byProvince && province ? province : undefined,
    force: force || undefined,
    limit: PAGE,
  });
  const [changed, setChanged] = useState<Map<string, CaseLinkView | null>>(new Map());
  const shown = (items ?? []).flatMap((i) => {
    const c = changed.get(i.id);
    if (c === null) return [];
    return [c ? { ...i, ...c, mayDecide: i.mayDecide } : i];
  });
  return (
    <>
      <PageHeader title={t('jointQueue.title')} />
      <p className="muted small">{t('jointQueue.intro')}</p>
      <form className="card joint-filters" role="search" aria-label={t('jointQueue.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="joint-status">{t('jointQueue.status')}</label>
          <select id="joint-status" name="status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`jointQueue.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="joint-force">{t('cases.force')}</label>
          <select id="joint-force" name="force" value={force} onChange={(e) => setFilter('force', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(ref?.forces ?? []).map((f) => (
              <option key={f.code} value={f.code}>
                {named(f, locale)}
              </option>
            ))}
            {force && !ref?.forces.some((f) => f.code === force) && <option value={force}>{force}</option>}
          </select>
        </div>
        {byProvince && (
          <div className="field">
            <label htmlFor="joint-province">{t('cases.province')}</label>
            <select id="joint-province" name="province" value={province} onChange={(e) => setFilter('province', e.target.value)}>
              <option value="">{t('common.all')}</option>
              {(provinces ?? []).map((p) => (
                <option key={p.code} value={p.code}>
                  {locale === 'en' ? p.nameEn : p.name}
                </option>
              ))}
              {/* A province from the address shows before the list arrives (and if it does not). */}
              {province && !provinces?.some((p) => p.code === province) && <option value={province}>{province}</option>}
            </select>
          </div>
        )}
        {filtered && (
          <button
            type="button"
            className="btn joint-filters-reset"
            onClick={() => {
              setParams({});
              setFlash(null);
            }}
          >
            {t('common.reset')}
          </button>
        )}
      </form>
      <ErrorAlert error={refError} />
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
          {shown.length === 0 && <p className="empty">{filtered ? t('jointQueue.noneFiltered') : t('jointQueue.none')}</p>}
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
