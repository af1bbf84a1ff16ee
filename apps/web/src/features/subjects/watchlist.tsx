import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { api, request } from '../../api/client.js';
import { ErrorSummary, errorText, ErrorAlert } from '../../components/form.js';
import { Loading, PageHeader } from '../../components/ui.js';
import { useLocale, useT, type Translate } from '../../i18n/i18n.js';
import { useMe } from '../../session/session.js';
import { formatDate, formatDateTime, type SubjectIdentifier, type WatchAlertCount, type WatchAlertList, type WatchAlertView, type WatchList, type WatchView } from '../../contracts.js';
import { SubjectsTabs } from './subjects-home.js';
import './subjects.css';

/** Roles that follow subjects (the server's WATCHER_ROLES); others get no badge and make no request. */
const WATCHER_ROLES = ['admin', 'analyst', 'officer', 'provincial_coordinator'];
const IDENTIFIER_KINDS = ['ID', 'TAX', 'PLATE', 'PHONE', 'IMO'] as const;
/** Alerts arrive when a case, tip or declaration is recorded; a few minutes between reads is plenty. */
const REFRESH_MS = 5 * 60_000;

/** Where each kind of alert source opens. */
const SOURCE_PATH: Record<WatchAlertView['source']['kind'], (id: string) => string> = {
  case: (id) => `/cases/${id}`,
  tip: (id) => `/tips/${id}`,
  declaration: (id) => `/risk/declarations/${id}`,
};
const identifierText = (t: Translate, i: SubjectIdentifier) => `${t(`subjects.identifier.${i.kind}`)} ${i.value}`;
const useIsWatcher = () => useMe().roles.some((r) => WATCHER_ROLES.includes(r));

/** The count beside "Subjects" in the navigation: unread alerts the user may see. */
export function WatchAlertsBadge() {
  const t = useT();
  const watcher = useIsWatcher();
  const { pathname } = useLocation();
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!watcher) return;
    let cancelled = false;
    const read = () =>
      api.get<WatchAlertCount>('/api/watchlists/alerts/count').then(
        (r) => !cancelled && setN(r.unread),
        () => undefined, // a badge that fails stays as it was; the watchlist page shows errors
      );
    void read();
    const timer = setInterval(() => void read(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [watcher, pathname]);
  if (!n) return null;
  const label = t('subjects.watch.badge', { n });
  return (
    <span className="nav-badge nav-badge-alert" title={label} data-testid="watch-alerts-badge">
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** On a subject's page: follow it, or show that it is followed (and unfollow). */
export function FollowButton({ subjectId }: { subjectId: string }) {
  const t = useT();
  const watcher = useIsWatcher();
  const [watch, setWatch] = useState<WatchView | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (watcher) api.get<WatchList>('/api/watchlists').then((r) => setWatch(r.items.find((w) => w.subjectId === subjectId) ?? null), setError);
  }, [watcher, subjectId]);
  if (!watcher || watch === undefined) return null;
  const toggle = () => {
    setError(null);
    if (watch) request('DELETE', `/api/watchlists/${watch.id}`).then(() => setWatch(null), setError);
    else api.post<WatchView>('/api/watchlists', { subjectId }).then(setWatch, setError);
  };
  return (
    <>
      <button className={watch ? 'btn' : 'btn btn-primary'} type="button" aria-pressed={!!watch} onClick={toggle}>
        {watch ? `✓ ${t('subjects.watch.followed')}` : t('subjects.watch.follow')}
      </button>
      {error !== null && <span className="alert alert-error" role="alert">{errorText(t, error)}</span>}
    </>
  );
}

/** /subjects/watch: alerts (newest first, unread marked) and what the user follows. */
export function WatchlistPage() {
  const t = useT();
  const locale = useLocale();
  const [alerts, setAlerts] = useState<WatchAlertList | null>(null);
  const [watches, setWatches] = useState<WatchList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    api.get<WatchAlertList>('/api/watchlists/alerts').then(setAlerts, setError);
    api.get<WatchList>('/api/watchlists').then(setWatches, setError);
  }, []);
  useEffect(load, [load]);
  const markRead = (ids: string[]) => api.post('/api/watchlists/alerts/read', { ids }).then(load, setError);
  const unread = alerts?.items.filter((a) => !a.read) ?? [];
  return (
    <>
      <PageHeader title={t('subjects.title')} />
      <SubjectsTabs />
      <p className="muted">{t('subjects.watch.intro')}</p>
      <ErrorAlert error={error} />
      <section className="card" aria-labelledby="watch-alerts">
        <h2 id="watch-alerts">
          {t('subjects.watch.alerts')} {alerts && alerts.unread > 0 && <span className="chip">{t('subjects.watch.unreadCount', { n: alerts.unread })}</span>}
        </h2>
        {!alerts && error === null && <Loading />}
        {alerts && !alerts.items.length && <p className="muted">{t('subjects.watch.noAlerts')}</p>}
        {unread.length > 0 && (
          <button className="btn btn-small" type="button" onClick={() => void markRead(unread.map((a) => a.id))}>{t('subjects.watch.markRead')}</button>
        )}
        <ul className="repeat-list">
          {alerts?.items.map((a) => (
            <li key={a.id} className={a.read ? 'alert-item' : 'alert-item unread'} data-testid="watch-alert">
              {!a.read && <span className="chip">{t('subjects.watch.new')}</span>} <span className="chip" data-testid="watch-alert-source">{t(`subjects.watch.source.${a.source.kind}`)}</span>{' '}
              <Link to={SOURCE_PATH[a.source.kind](a.source.id)}>{a.source.code}</Link> — {a.source.title}
              <div className="muted small">
                {t('subjects.watch.matched', { what: a.matched.map((i) => identifierText(t, i)).join(', ') })} · {t('subjects.watch.about', { label: a.watch.label })}{a.source.on ? ` · ${formatDate(a.source.on)}` : ''} · {formatDateTime(a.createdAt, locale)}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="watch-following">
        <h2 id="watch-following">{t('subjects.watch.following')}</h2>
        {watches && !watches.items.length && <p className="muted">{t('subjects.watch.none')}</p>}
        <ul className="repeat-list">
          {watches?.items.map((w) => (
            <li key={w.id}>
              {w.subjectId ? <Link to={`/subjects/${w.subjectId}`}>{w.label}</Link> : identifierText(t, w.identifier!)}{' '}
              <button className="btn btn-small" type="button" onClick={() => request('DELETE', `/api/watchlists/${w.id}`).then(load, setError)}>{t('subjects.watch.unfollow')}</button>
            </li>
          ))}
        </ul>
        <FollowIdentifierForm onAdded={load} />
      </section>
    </>
  );
}

function FollowIdentifierForm({ onAdded }: { onAdded: () => void }) {
  const t = useT();
  const [kind, setKind] = useState<(typeof IDENTIFIER_KINDS)[number]>('ID');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    api.post<WatchView>('/api/watchlists', { identifier: { kind, value } }).then(() => {
      setValue('');
      onAdded();
    }, setError);
  };
  return (
    <form id="watch-identifier" onSubmit={submit}>
      <h3>{t('subjects.watch.addIdentifier')}</h3>
      <ErrorSummary error={error} formId="watch-identifier" labels={{ 'identifier.value': t('subjects.watch.value'), 'identifier.kind': t('subjects.watch.kind') }} />
      <div className="watch-form">
        <div>
          <label htmlFor="watch-kind">{t('subjects.watch.kind')}</label>
          <select id="watch-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {IDENTIFIER_KINDS.map((k) => <option key={k} value={k}>{t(`subjects.identifier.${k}`)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="watch-value">{t('subjects.watch.value')}</label>
          <input id="watch-value" name="identifier.value" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
        </div>
        <button className="btn btn-primary" type="submit">{t('subjects.watch.follow')}</button>
      </div>
    </form>
  );
}
