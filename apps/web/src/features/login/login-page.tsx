import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import { ErrorSummary, Field } from '../../components/form.js';
import { DemoBanner, LanguageSwitch } from '../../components/ui.js';
import { useT } from '../../i18n/i18n.js';
import { useSession } from '../../session/session.js';

export function LoginPage() {
  const t = useT();
  const { meta, login, expired } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (err) {
      setError(err);
      setPassword('');
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('[role=alert]')?.focus());
    } finally {
      setBusy(false);
    }
  }

  // Wrong credentials get one sentence that does not say which of the two was wrong.
  const wrongCredentials = error instanceof ApiError && error.code === 'UNAUTHENTICATED';

  return (
    <div className="login-page">
      <DemoBanner meta={meta} />
      <main className="login-main" id="main">
        <div className="login-card card">
          <div className="login-top">
            <p className="brand brand-dark" aria-hidden="true">
              Cordon
            </p>
            <LanguageSwitch />
          </div>
          <h1>{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {expired && !error && (
            <p className="alert alert-info" role="status">
              {t('login.expired')}
            </p>
          )}
          <div ref={summaryRef}>
            <ErrorSummary
              error={wrongCredentials ? null : error}
              formId="login"
              labels={{ username: t('login.username'), password: t('login.password') }}
            />
            {wrongCredentials && (
              <div className="alert alert-error" role="alert" tabIndex={-1}>
                <p className="alert-title">{t('login.wrongCredentials')}</p>
              </div>
            )}
          </div>
          <form onSubmit={submit} noValidate aria-busy={busy}>
            <Field formId="login" name="username" label={t('login.username')} error={error}>
              {(p) => (
                <input
                  {...p}
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                />
              )}
            </Field>
            <Field formId="login" name="password" label={t('login.password')} error={error}>
              {(p) => (
                <input
                  {...p}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </div>
        <p className="login-report">
          {/* A full page load: the public pages are their own small bundle, without the staff app. */}
          <a href="/report">{t('public.loginLink')}</a>
        </p>
        <p className="login-footer muted small">
          {t('login.footer')}
          {meta && <> · v{meta.version}</>}
        </p>
      </main>
    </div>
  );
}
