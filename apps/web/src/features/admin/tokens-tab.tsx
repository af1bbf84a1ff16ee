import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { formatDateTime, type ApiTokenView, type Role, type UserView } from '../../contracts.js';
import { api } from '../../api/client.js';
import { ErrorAlert, ErrorSummary, Field, FieldSet } from '../../components/form.js';
import { DATE_REASONS, DateField } from '../../components/date-field.js';
import { todayInVietnam } from '../../components/dates.js';
import { CopyButton, Loading, roleName } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';

/** The chosen expiry day ends at midnight Vietnam time (UTC+7, no daylight saving). */
function endOfVietnamDay(date: string): string {
  return `${date}T23:59:59+07:00`;
}

function IssueForm({ users, onIssued, onCancel }: { users: UserView[]; onIssued: (token: string, view: ApiTokenView) => void; onCancel: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [userId, setUserId] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'token-new';
  const account = users.find((u) => u.id === userId);
  const labels = { name: t('token.name'), userId: t('token.account'), roles: t('token.roles'), expiresAt: t('token.expires') };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ token: string; view: ApiTokenView }>('/api/tokens', {
        name,
        userId: userId || undefined,
        roles,
        expiresAt: expires ? endOfVietnamDay(expires) : null,
      });
      onIssued(r.token, r.view);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="token-new-title">
      <h2 id="token-new-title">{t('token.issueTitle')}</h2>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <div className="form-grid">
        <Field formId={formId} name="name" label={labels.name} hint={t('token.nameHint')} error={error}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field formId={formId} name="userId" label={labels.userId} hint={t('token.accountHint')} error={error}>
          {(p) => (
            <select
              {...p}
              value={userId}
              onChange={(e) => {
                setUserId(e.target.value);
                setRoles([]);
              }}
            >
              <option value="">—</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.username} — {u.displayName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={formId} name="expiresAt" label={labels.expiresAt} hint={t('token.expiresHint')} error={error} reasons={DATE_REASONS}>
          {(p) => <DateField {...p} value={expires} min={todayInVietnam()} onChange={setExpires} />}
        </Field>
      </div>
      <FieldSet formId={formId} name="roles" legend={labels.roles} error={error}>
        {!account ? (
          <p className="muted small">{t('token.pickAccountFirst')}</p>
        ) : (
          <div className="checks">
            {account.roles.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  onChange={(e) => setRoles(e.target.checked ? account.roles.filter((x) => x === r || roles.includes(x)) : roles.filter((x) => x !== r))}
                />
                {roleName(t, r)}
              </label>
            ))}
          </div>
        )}
      </FieldSet>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('token.issue')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ShowOnce({ token, view, onClose }: { token: string; view: ApiTokenView; onClose: () => void }) {
  const t = useT();
  return (
    <section className="card token-once" aria-labelledby="token-once-title" role="alert">
      <h2 id="token-once-title">{t('token.onceTitle', { name: view.name })}</h2>
      <p className="alert alert-warning">{t('token.onceWarning')}</p>
      <div className="token-value">
        <code aria-label={t('token.value')}>{token}</code>
        <CopyButton text={token} />
      </div>
      <p className="muted small">{t('token.usage')}</p>
      <button type="button" className="btn" onClick={onClose}>
        {t('token.onceDone')}
      </button>
    </section>
  );
}

export function TokensTab() {
  const t = useT();
  const locale = useLocale();
  const [items, setItems] = useState<ApiTokenView[] | null>(null);
  const [users, setUsers] = useState<UserView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<{ token: string; view: ApiTokenView } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api.get<{ items: ApiTokenView[] }>('/api/tokens').then(
      (r) => !cancelled && setItems(r.items),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [tick]);

  useEffect(() => {
    // Accounts a token may act as: active ones. 200 is the page limit; integrations are few.
    api.get<{ items: UserView[] }>('/api/users', { status: 'active', limit: 200 }).then(
      (r) => setUsers(r.items),
      (e: unknown) => setError(e),
    );
  }, []);

  const sorted = useMemo(() => [...(items ?? [])].sort((a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.localeCompare(a.createdAt)), [items]);

  async function revoke(tok: ApiTokenView) {
    if (!window.confirm(t('token.revokeConfirm', { name: tok.name, prefix: tok.prefix }))) return;
    try {
      await api.post(`/api/tokens/${tok.id}/revoke`);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }

  const when = (v: string | null) => (v ? formatDateTime(v, locale) : '—');
  const expired = (v: string | null) => !!v && new Date(v) < new Date();

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title" className="visually-hidden">
        {t('admin.tokens')}
      </h2>
      <div className="toolbar">
        <p className="muted">{t('token.intro')}</p>
        {!issuing && !issued && (
          <button type="button" className="btn btn-primary" onClick={() => setIssuing(true)}>
            {t('token.issue')}
          </button>
        )}
      </div>
      {issued && <ShowOnce token={issued.token} view={issued.view} onClose={() => setIssued(null)} />}
      {issuing && (
        <IssueForm
          users={users}
          onIssued={(token, view) => {
            setIssuing(false);
            setIssued({ token, view });
            setTick((n) => n + 1);
          }}
          onCancel={() => setIssuing(false)}
        />
      )}
      <ErrorAlert error={error} />
      {!items ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('token.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('token.name')}</th>
                <th scope="col">{t('token.account')}</th>
                <th scope="col">{t('token.roles')}</th>
                <th scope="col">{t('token.prefix')}</th>
                <th scope="col">{t('token.created')}</th>
                <th scope="col">{t('token.expires')}</th>
                <th scope="col">{t('token.lastUsed')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.length === 0 && (
                <tr>
                  <td colSpan={9} className="empty">
                    {t('common.none')}
                  </td>
                </tr>
              )}
              {sorted.map((tok) => (
                <tr key={tok.id} className={tok.revokedAt || expired(tok.expiresAt) ? 'inactive' : ''}>
                  <td>{tok.name}</td>
                  <td>
                    <code>{tok.username}</code>
                  </td>
                  <td>{tok.roles.map((r) => roleName(t, r)).join(', ')}</td>
                  <td>
                    <code>{tok.prefix}…</code>
                  </td>
                  <td className="nowrap">{when(tok.createdAt)}</td>
                  <td className="nowrap">{tok.expiresAt ? when(tok.expiresAt) : t('token.never')}</td>
                  <td className="nowrap">{when(tok.lastUsedAt)}</td>
                  <td className="nowrap">
                    {tok.revokedAt ? t('token.revokedAt', { time: when(tok.revokedAt) }) : expired(tok.expiresAt) ? t('token.expired') : t('status.active')}
                  </td>
                  <td className="row-actions">
                    {!tok.revokedAt && (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(tok)} aria-label={t('token.revokeLabel', { name: tok.name })}>
                        {t('token.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
