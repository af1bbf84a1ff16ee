import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Locale, Me, Meta, SessionState } from '../contracts.js';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from '../api/client.js';
import { I18nProvider } from '../i18n/i18n.js';
import { LOCALE_KEY, storedLocale, writeStored } from '../components/stored.js';

const storeLocale = (locale: Locale) => writeStored(LOCALE_KEY, locale);

interface SessionValue {
  meta: Meta | null;
  me: Me | null;
  /** True once the first session probe (/api/auth/session) answered (or failed), so we know whether to show the login page. */
  ready: boolean;
  /** Set when the server could not be reached at start-up. */
  startupError: ApiError | null;
  /** True when the session ended by itself (expired, revoked) rather than by "Log out". */
  expired: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  updateMe(me: Me): void;
  retry(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [me, setMeState] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [startupError, setStartupError] = useState<ApiError | null>(null);
  const [expired, setExpired] = useState(false);
  const [anonLocale, setAnonLocale] = useState<Locale>(storedLocale);
  // The language picked on the sign-in page in this visit (not merely remembered from an earlier one):
  // it wins over the account's saved language at sign-in, and becomes the saved one.
  const chosenBeforeSignIn = useRef<Locale | null>(null);
  const [attempt, setAttempt] = useState(0);

  const updateMe = useCallback((next: Me | null) => {
    setMeState(next);
    setCsrfToken(next?.csrfToken ?? null);
    if (next) storeLocale(next.locale);
  }, []);

  useEffect(() => {
    let cancelled = false;
    setStartupError(null);
    (async () => {
      try {
        // The probe answers 200 with `me: null` for a visitor with no session: /api/me's 401 was logged
        // by the browser as a console error on every visit to the sign-in page.
        const [m, who] = await Promise.all([api.get<Meta>('/api/meta'), api.get<SessionState>('/api/auth/session', {}, { quiet401: true })]);
        if (cancelled) return;
        setMeta(m);
        updateMe(who.me);
      } catch (e) {
        if (!cancelled) setStartupError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)));
      } finally {
        if (!cancelled) setReady(true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt, updateMe]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      updateMe(null);
      setExpired(true);
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [updateMe]);

  const login = useCallback(
    async (username: string, password: string) => {
      const who = await api.post<Me>('/api/auth/login', { username, password }, { quiet401: true });
      setExpired(false);
      const chosen = chosenBeforeSignIn.current;
      chosenBeforeSignIn.current = null;
      if (chosen && chosen !== who.locale) {
        // Shown at once in the language just picked; saved for the next sign-in (kept if saving fails).
        updateMe({ ...who, locale: chosen });
        try {
          updateMe(await api.patch<Me>('/api/me', { locale: chosen }));
        } catch {
          /* the choice still applies to this visit */
        }
        return;
      }
      updateMe(who);
    },
    [updateMe],
  );

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/logout', undefined, { quiet401: true });
    } finally {
      setExpired(false);
      updateMe(null);
    }
  }, [updateMe]);

  const setLocale = useCallback(
    async (locale: Locale) => {
      storeLocale(locale);
      setAnonLocale(locale);
      if (!me) chosenBeforeSignIn.current = locale;
      if (me && me.locale !== locale) {
        // Switch at once; the server remembers it for the next sign-in.
        setMeState({ ...me, locale });
        try {
          updateMe(await api.patch<Me>('/api/me', { locale }));
        } catch (e) {
          setMeState(me);
          throw e;
        }
      }
    },
    [me, updateMe],
  );

  const locale = me?.locale ?? anonLocale;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<SessionValue>(
    () => ({ meta, me, ready, startupError, expired, login, logout, setLocale, updateMe, retry: () => setAttempt((n) => n + 1) }),
    [meta, me, ready, startupError, expired, login, logout, setLocale, updateMe],
  );
  return (
    <SessionContext.Provider value={value}>
      <I18nProvider locale={locale}>{children}</I18nProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession() outside <SessionProvider>');
  return v;
}

/** The signed-in user; only for components rendered inside the shell. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe() without a session');
  return me;
}
