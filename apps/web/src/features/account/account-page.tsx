import { useState, type FormEvent } from 'react';
import type { FieldIssue, Me } from '../../contracts.js';
import { api } from '../../api/client.js';
import { ClientIssues, ErrorSummary, Field } from '../../components/form.js';
import { LanguageSwitch, PageHeader, roleName, unitName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useMe, useSession } from '../../session/session.js';

const MIN_PASSWORD = 10; // characters, as in the Password contract (long rather than complicated)

function PasswordForm() {
  const t = useT();
  const me = useMe();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const issues: FieldIssue[] = [];
    if (!current) issues.push({ field: 'currentPassword', reason: 'required', message: '' });
    if (next.length < MIN_PASSWORD) issues.push({ field: 'newPassword', reason: 'too_short', message: '', limit: MIN_PASSWORD });
    if (confirm !== next) issues.push({ field: 'confirmPassword', reason: 'mismatch', message: '' });
    if (issues.length) {
      setError(new ClientIssues(issues));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post<void>('/api/me/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const labels = { currentPassword: t('account.currentPassword'), newPassword: t('account.newPassword'), confirmPassword: t('account.confirmPassword') };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="pw-title">
      <h2 id="pw-title">{t('account.passwordTitle')}</h2>
      <ErrorSummary error={error} formId="pw" labels={labels} />
      {done && (
        <p className="alert alert-success" role="status">
          {t('account.passwordChanged')}
        </p>
      )}
      {/* A hidden username helps password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={me.username} readOnly hidden />
      <Field formId="pw" name="currentPassword" label={labels.currentPassword} error={error}>
        {(p) => <input {...p} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
      </Field>
      <Field formId="pw" name="newPassword" label={labels.newPassword} hint={t('account.passwordHint', { n: MIN_PASSWORD })} error={error}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
      </Field>
      <Field formId="pw" name="confirmPassword" label={labels.confirmPassword} error={error}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('account.changePassword')}
      </button>
    </form>
  );
}

function ProfileForm() {
  const t = useT();
  const me = useMe();
  const { updateMe } = useSession();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      updateMe(await api.patch<Me>('/api/me', { displayName }));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="profile-title">
      <h2 id="profile-title">{t('account.profileTitle')}</h2>
      <ErrorSummary error={error} formId="profile" labels={{ displayName: t('account.displayName') }} />
      {done && (
        <p className="alert alert-success" role="status">
          {t('common.saved')}
        </p>
      )}
      <Field formId="profile" name="displayName" label={t('account.displayName')} error={error}>
        {(p) => <input {...p} autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy || displayName.trim() === me.displayName}>
        {t('common.save')}
      </button>
    </form>
  );
}

export function AccountPage() {
  const t = useT();
  const locale = useLocale();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('section.account')} />
      <dl className="facts">
        <div>
          <dt>{t('account.username')}</dt>
          <dd>
            <code>{me.username}</code>
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.unit')}</dt>
          <dd>{unitName(me.unit, locale)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.roles')}</dt>
          <dd>{me.roles.map((r) => roleName(t, r)).join(', ')}</dd>
        </div>
      </dl>
      <div className="grid-2">
        <ProfileForm />
        <section className="card form" aria-labelledby="lang-title">
          <h2 id="lang-title">{t('account.languageTitle')}</h2>
          <p className="muted">{t('account.languageText')}</p>
          <LanguageSwitch />
        </section>
        <PasswordForm />
      </div>
    </>
  );
}
