import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ROLES, formatDateTime, type Locale, type OrgUnitView, type Role, type UserView } from '../../contracts.js';
import { ApiError, api } from '../../api/client.js';
import { ErrorAlert, ErrorSummary, Field, FieldSet } from '../../components/form.js';
import { Loading, roleName, unitName, LoadMore } from '../../components/ui.js';
import { useLocale, useT } from '../../i18n/i18n.js';
import { useAllOrgUnits } from './use-org-units.js';
import { UnitPicker } from '../../components/unit-picker.js';

type Status = 'all' | 'active' | 'disabled';
const PAGE = 50;

/** The user's unit: the searchable picker; `allowAll` offers "all units" (the list filter). */
function UnitSelect({ units, value, onChange, props, allowAll }: { units: OrgUnitView[]; value: string; onChange: (v: string) => void; props: object; allowAll?: string }) {
  return <UnitPicker {...props} units={units} value={value} onChange={onChange} emptyLabel={allowAll} />;
}

function RoleChecks({ formId, value, onChange, error, allowed }: { formId: string; value: Role[]; onChange: (r: Role[]) => void; error: unknown; allowed?: readonly Role[] }) {
  const t = useT();
  const choices = allowed ?? ROLES;
  return (
    <FieldSet formId={formId} name="roles" legend={t('user.roles')} error={error}>
      <div className="checks">
        {choices.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={value.includes(r)}
              onChange={(e) => onChange(e.target.checked ? ROLES.filter((x) => x === r || value.includes(x)) : value.filter((x) => x !== r))}
            />
            {roleName(t, r)}
          </label>
        ))}
      </div>
    </FieldSet>
  );
}

function CreateUserForm({ units, onDone, onCancel }: { units: OrgUnitView[]; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [unitId, setUnitId] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [locale, setLocale] = useState<Locale>('vi');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formId = 'user-new';
  const labels = {
    username: t('user.username'),
    displayName: t('user.displayName'),
    unitId: t('user.unit'),
    roles: t('user.roles'),
    locale: t('user.locale'),
    password: t('user.initialPassword'),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<UserView>('/api/users', { username: username.trim(), displayName, unitId: unitId || undefined, roles, locale, password });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="user-new-title">
      <h2 id="user-new-title">{t('user.createTitle')}</h2>
      <ErrorSummary error={error} formId={formId} labels={labels} />
      <div className="form-grid">
        <Field formId={formId} name="username" label={labels.username} hint={t('user.usernameHint')} error={error}>
          {(p) => <input {...p} autoComplete="off" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value.toLowerCase())} />}
        </Field>
        <Field formId={formId} name="displayName" label={labels.displayName} error={error}>
          {(p) => <input {...p} autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <Field formId={formId} name="unitId" label={labels.unitId} error={error}>
          {(p) => <UnitSelect units={units} value={unitId} onChange={setUnitId} props={p} />}
        </Field>
        <Field formId={formId} name="locale" label={labels.locale} error={error}>
          {(p) => (
            <select {...p} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
        <Field formId={formId} name="password" label={labels.password} hint={t('user.passwordHint')} error={error}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
      </div>
      <RoleChecks formId={formId} value={roles} onChange={setRoles} error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('user.create')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function EditUserForm({ user, units, onDone, onCancel }: { user: UserView; units: OrgUnitView[]; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [unitId, setUnitId] = useState(user.unitId);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [pwError, setPwError] = useState<unknown>(null);
  const [pwDone, setPwDone] = useState(false);
  const formId = 'user-edit';
  const labels = { displayName: t('user.displayName'), unitId: t('user.unit'), roles: t('user.roles') };

  async function patch(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      await api.patch<UserView>(`/api/users/${user.id}`, { version: user.version, ...body });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function resetPassword(e: FormEvent) {
    e.preventDefault();
    setPwError(null);
    setPwDone(false);
    try {
      await api.post<void>(`/api/users/${user.id}/password`, { newPassword });
      setNewPassword('');
      setPwDone(true);
    } catch (err) {
      setPwError(err);
    }
  }

  const conflict = error instanceof ApiError && error.code === 'CONFLICT';
  return (
    <div className="card form">
      <h2 id="user-edit-title">{t('user.editTitle', { username: user.username })}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void patch({ displayName, unitId, roles });
        }}
        noValidate
        aria-labelledby="user-edit-title"
      >
        {conflict ? (
          <div className="alert alert-warning" role="alert">
            <p className="alert-title">{t('error.CONFLICT')}</p>
            <button type="button" className="btn" onClick={onDone}>
              {t('common.reload')}
            </button>
          </div>
        ) : (
          <ErrorSummary error={error} formId={formId} labels={labels} />
        )}
        <div className="form-grid">
          <Field formId={formId} name="displayName" label={labels.displayName} error={error}>
            {(p) => <input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
          </Field>
          <Field formId={formId} name="unitId" label={labels.unitId} error={error}>
            {(p) => <UnitSelect units={units} value={unitId} onChange={setUnitId} props={p} />}
          </Field>
        </div>
        <RoleChecks formId={formId} value={roles} onChange={setRoles} error={error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('common.save')}
          </button>
          <button type="button" className={user.disabled ? 'btn' : 'btn btn-danger'} disabled={busy} onClick={() => void patch({ disabled: !user.disabled })}>
            {user.disabled ? t('user.enable') : t('user.disable')}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      <form className="subform" onSubmit={resetPassword} noValidate aria-labelledby="user-reset-title">
        <h3 id="user-reset-title">{t('user.resetTitle')}</h3>
        <ErrorSummary error={pwError} formId="user-reset" labels={{ newPassword: t('user.newPassword') }} />
        {pwDone && (
          <p className="alert alert-success" role="status">
            {t('user.resetDone')}
          </p>
        )}
        <div className="inline-form">
          <Field formId="user-reset" name="newPassword" label={t('user.newPassword')} hint={t('user.passwordHint')} error={pwError}>
            {(p) => <input {...p} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />}
          </Field>
          <button type="submit" className="btn">
            {t('user.reset')}
          </button>
        </div>
      </form>
    </div>
  );
}

export function UsersTab() {
  const t = useT();
  const locale = useLocale();
  const { units, error: unitsError } = useAllOrgUnits();
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<Status>('all');
  const [items, setItems] = useState<UserView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [mode, setMode] = useState<{ type: 'none' } | { type: 'create' } | { type: 'edit'; user: UserView }>({ type: 'none' });
  const [tick, setTick] = useState(0);

  const filters = useMemo(() => ({ q: q.trim(), unitId, role, status, limit: PAGE }), [q, unitId, role, status]);

  useEffect(() => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.get<{ items: UserView[]; nextCursor: string | null }>('/api/users', filters, { signal: ctrl.signal }).then(
        (r) => {
          setItems(r.items);
          setNextCursor(r.nextCursor);
          setError(null);
        },
        (e: unknown) => {
          if (!(e instanceof DOMException)) setError(e);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [filters, tick]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const r = await api.get<{ items: UserView[]; nextCursor: string | null }>('/api/users', { ...filters, cursor: nextCursor });
      setItems((prev) => [...(prev ?? []), ...r.items]);
      setNextCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [filters, nextCursor]);

  const unitById = useMemo(() => new Map((units ?? []).map((u) => [u.id, u])), [units]);
  const done = () => {
    setMode({ type: 'none' });
    setTick((n) => n + 1);
  };

  if (unitsError) return <ErrorAlert error={unitsError} />;
  if (!units) return <Loading />;

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title" className="visually-hidden">
        {t('admin.users')}
      </h2>
      <div className="toolbar">
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="user-q">{t('common.search')}</label>
            <input id="user-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="user-unit">{t('user.unit')}</label>
            <UnitSelect units={units} value={unitId} onChange={setUnitId} props={{ id: 'user-unit' }} allowAll={t('common.all')} />
          </div>
          <div className="field">
            <label htmlFor="user-role">{t('user.role')}</label>
            <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t('common.all')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleName(t, r)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="user-status">{t('common.status')}</label>
            <select id="user-status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
              <option value="all">{t('common.all')}</option>
              <option value="active">{t('status.active')}</option>
              <option value="disabled">{t('status.disabled')}</option>
            </select>
          </div>
        </form>
        {mode.type === 'none' && (
          <button type="button" className="btn btn-primary" onClick={() => setMode({ type: 'create' })}>
            {t('user.create')}
          </button>
        )}
      </div>
      {mode.type === 'create' && <CreateUserForm units={units} onDone={done} onCancel={() => setMode({ type: 'none' })} />}
      {mode.type === 'edit' && <EditUserForm key={mode.user.id} user={mode.user} units={units} onDone={done} onCancel={() => setMode({ type: 'none' })} />}
      <ErrorAlert error={error} />
      {!items ? (
        <Loading />
      ) : (
        <>
          <p className="muted small" role="status">
            {t('common.shown', { n: items.length })}
          </p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('user.username')}</th>
                  <th scope="col">{t('user.displayName')}</th>
                  <th scope="col">{t('user.unit')}</th>
                  <th scope="col">{t('user.roles')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('user.lastLogin')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      {t('common.none')}
                    </td>
                  </tr>
                )}
                {items.map((u) => {
                  const unit = unitById.get(u.unitId);
                  const locked = u.lockedUntil && new Date(u.lockedUntil) > new Date();
                  return (
                    <tr key={u.id} className={u.disabled ? 'inactive' : ''}>
                      <td>
                        <code>{u.username}</code>
                      </td>
                      <td>{u.displayName}</td>
                      <td title={unit ? unitName(unit, locale) : undefined}>{u.unitCode}</td>
                      <td>{u.roles.map((r) => roleName(t, r)).join(', ')}</td>
                      <td>
                        {u.disabled ? t('status.disabled') : locked ? t('status.lockedUntil', { time: formatDateTime(u.lockedUntil ?? '', locale) }) : t('status.active')}
                      </td>
                      <td className="nowrap">{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : '—'}</td>
                      <td className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => setMode({ type: 'edit', user: u })} aria-label={t('user.editLabel', { username: u.username })}>
                          {t('common.edit')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <LoadMore nextCursor={nextCursor} loadingMore={loadingMore} loadMore={loadMore} />
        </>
      )}
    </section>
  );
}
