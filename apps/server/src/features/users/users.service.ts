import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiTokenView, CreateApiTokenBody, CreateUserBody, Role, UpdateUserBody, UserView } from '@cordon/contracts';
import { foldVietnamese } from '@cordon/reference';
import { sql, type Db } from '@cordon/db';
import { AppError, invalidField, notFound, staleVersion } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { AuditService } from '../audit/audit.service.js';
import { sha256, TOKEN_PREFIX } from '../auth/auth.service.js';
import { hashPassword } from '../auth/passwords.js';
import { actorOf, type Principal } from '../auth/principal.js';

export const userSearchText = (username: string, displayName: string) => foldVietnamese(`${username} ${displayName}`);

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function createUsersService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  const base = () =>
    db.kysely
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.unit_id')
      .select([
        'users.id', 'users.username', 'users.display_name', 'users.unit_id', 'org_units.code as unit_code', 'users.roles',
        'users.locale', 'users.disabled', 'users.locked_until', 'users.last_login_at', 'users.version', 'users.created_at',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toView = (r: Row): UserView => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    unitId: r.unit_id,
    unitCode: r.unit_code,
    roles: r.roles as Role[],
    locale: r.locale as 'vi' | 'en',
    disabled: r.disabled,
    lockedUntil: r.locked_until && r.locked_until > clock.now() ? iso(r.locked_until) : null,
    lastLoginAt: iso(r.last_login_at),
    version: r.version,
    createdAt: iso(r.created_at)!,
  });

  async function get(id: string): Promise<UserView> {
    const r = await base().where('users.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('User');
    return toView(r);
  }

  async function list(q: { q?: string; unitId?: string; role?: Role; status: 'active' | 'disabled' | 'all'; cursor?: string; limit: number }) {
    let query = base();
    if (q.q) query = query.where('users.search_text', 'like', `%${foldVietnamese(q.q).replace(/[%_\\]/g, '\\$&')}%`);
    if (q.unitId) query = query.where('users.unit_id', '=', q.unitId);
    if (q.role) query = query.where(sql<boolean>`${q.role} = ANY(users.roles)`);
    if (q.status !== 'all') query = query.where('users.disabled', '=', q.status === 'disabled');
    const after = decodeCursor(q.cursor, 1);
    if (after) query = query.where('users.username', '>', String(after[0]));
    const rows = await query.orderBy('users.username').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    return { items: page.map(toView), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.username]) : null };
  }

  async function assertUnit(unitId: string, field = 'unitId') {
    const u = await db.kysely.selectFrom('org_units').select(['id', 'active']).where('id', '=', unitId).executeTakeFirst();
    if (!u) throw invalidField(field, 'invalid_value', 'no such unit');
    if (!u.active) throw invalidField(field, 'invalid_value', 'the unit is inactive');
  }

  async function create(p: Principal | null, body: CreateUserBody, requestId?: string): Promise<UserView> {
    await assertUnit(body.unitId);
    const id = randomUUID();
    const passwordHash = await hashPassword(body.password);
    await db.kysely.transaction().execute(async (trx) => {
      // Two requests for one new name both pass this check; the unique index refuses the second (below).
      const clash = await trx.selectFrom('users').select('id').where('username', '=', body.username).executeTakeFirst();
      if (clash) throw invalidField('username', 'not_unique', 'is already taken');
      await trx
        .insertInto('users')
        .values({
          id,
          username: body.username,
          display_name: body.displayName,
          search_text: userSearchText(body.username, body.displayName),
          unit_id: body.unitId,
          roles: [...new Set(body.roles)],
          locale: body.locale,
          password_hash: passwordHash,
          locked_until: null,
          last_login_at: null,
          created_at: clock.now(),
          updated_at: clock.now(),
          password_changed_at: clock.now(),
        })
        .execute();
      const { password: _secret, ...detail } = body;
      await audit.record({ action: 'user.create', actor: p ? actorOf(p) : null, entityType: 'user', entityId: id, detail, requestId }, trx);
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw invalidField('username', 'not_unique', 'is already taken');
      throw err;
    });
    return get(id);
  }

  async function update(p: Principal, id: string, body: UpdateUserBody, requestId?: string): Promise<UserView> {
    if (body.unitId) await assertUnit(body.unitId);
    if (id === p.userId && (body.disabled === true || (body.roles && !body.roles.includes('admin')))) {
      throw new AppError('CONFLICT', 'You cannot disable yourself or remove your own admin role; ask another administrator');
    }
    await db.kysely.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('User');
      if (cur.version !== body.version) throw staleVersion('This user');
      const displayName = body.displayName ?? cur.display_name;
      await trx
        .updateTable('users')
        .set({
          display_name: displayName,
          search_text: userSearchText(cur.username, displayName),
          unit_id: body.unitId ?? cur.unit_id,
          roles: body.roles ? [...new Set(body.roles)] : cur.roles,
          disabled: body.disabled ?? cur.disabled,
          // Re-enabling also lifts a login lockout.
          ...(body.disabled === false ? { failed_logins: 0, locked_until: null } : {}),
          version: cur.version + 1,
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .execute();
      // Access changes take effect at once: a disabled user or changed roles or unit ends sessions.
      if (body.disabled || body.roles || body.unitId) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      const { version: _v, ...changes } = body;
      await audit.record({ action: 'user.update', actor: actorOf(p), entityType: 'user', entityId: id, detail: changes, requestId }, trx);
    });
    return get(id);
  }

  async function resetPassword(p: Principal, id: string, newPassword: string, requestId?: string) {
    const hash = await hashPassword(newPassword);
    await db.kysely.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('users')
        .set({ password_hash: hash, password_changed_at: clock.now(), failed_logins: 0, locked_until: null, version: sql`version + 1`, updated_at: clock.now() })
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r.numUpdatedRows) throw notFound('User');
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await audit.record({ action: 'user.password_reset', actor: actorOf(p), entityType: 'user', entityId: id, requestId }, trx);
    });
  }

  // ---- API tokens for machine integrations ----

  const tokenBase = () =>
    db.kysely
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.user_id', 'users.username', 'api_tokens.roles', 'api_tokens.prefix',
        'api_tokens.created_at', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at']);
  type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenBase>['executeTakeFirstOrThrow']>>;
  const toTokenView = (t: TokenRow): ApiTokenView => ({
    id: t.id,
    name: t.name,
    userId: t.user_id,
    username: t.username,
    roles: t.roles as Role[],
    prefix: t.prefix,
    createdAt: iso(t.created_at)!,
    expiresAt: iso(t.expires_at),
    lastUsedAt: iso(t.last_used_at),
    revokedAt: iso(t.revoked_at),
  });

  async function listTokens(): Promise<ApiTokenView[]> {
    return (await tokenBase().orderBy('api_tokens.created_at', 'desc').execute()).map(toTokenView);
  }

  async function createToken(p: Principal, body: CreateApiTokenBody, requestId?: string) {
    const owner = await db.kysely.selectFrom('users').select(['id', 'roles', 'disabled']).where('id', '=', body.userId).executeTakeFirst();
    if (!owner) throw invalidField('userId', 'invalid_value', 'no such user');
    if (owner.disabled) throw invalidField('userId', 'invalid_value', 'the account is disabled');
    const extra = body.roles.filter((r) => !owner.roles.includes(r));
    if (extra.length) throw invalidField('roles', 'not_subset', `the account does not hold: ${extra.join(', ')}`);
    if (body.expiresAt && new Date(body.expiresAt) <= clock.now()) throw invalidField('expiresAt', 'invalid_value', 'is in the past');
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const id = randomUUID();
    await db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_tokens')
        .values({
          id,
          name: body.name,
          user_id: body.userId,
          roles: [...new Set(body.roles)],
          token_hash: sha256(token),
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
          created_by: p.userId,
          created_at: clock.now(),
          expires_at: body.expiresAt ? new Date(body.expiresAt) : null,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      await audit.record({ action: 'api_token.create', actor: actorOf(p), entityType: 'api_token', entityId: id, detail: { name: body.name, userId: body.userId, roles: body.roles }, requestId }, trx);
    });
    const view = toTokenView(await tokenBase().where('api_tokens.id', '=', id).executeTakeFirstOrThrow());
    return { token, view };
  }

  async function revokeToken(p: Principal, id: string, requestId?: string): Promise<ApiTokenView> {
    await db.kysely.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
      if (!t) throw notFound('API token');
      if (!t.revoked_at) await trx.updateTable('api_tokens').set({ revoked_at: clock.now() }).where('id', '=', id).execute();
      await audit.record({ action: 'api_token.revoke', actor: actorOf(p), entityType: 'api_token', entityId: id, requestId }, trx);
    });
    return toTokenView(await tokenBase().where('api_tokens.id', '=', id).executeTakeFirstOrThrow());
  }

  /** Active colleagues matching a name, at most 10: for naming who may open a secret case. */
  async function directory(q: string) {
    const rows = await db.kysely
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'org_units.code'])
      .where('users.disabled', '=', false)
      .where('users.search_text', 'like', `%${foldVietnamese(q).replace(/[%_\\]/g, '\\$&')}%`)
      .orderBy('users.username')
      .limit(10)
      .execute();
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, unitCode: r.code }));
  }

  return { get, list, create, update, resetPassword, listTokens, createToken, revokeToken, directory };
}

export type UsersService = ReturnType<typeof createUsersService>;
