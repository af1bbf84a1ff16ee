import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Me, Role } from '@cordon/contracts';
import { sql, type Db } from '@cordon/db';
import type { Config } from '../../config.js';
import { AppError, invalidField } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { userSearchText } from '../users/users.service.js';
import { subtreeIdsSql, unitSubtree as unitSubtreeOf } from '../org/subtree.js';

export const SESSION_COOKIE = 'cordon_sid';
export const TOKEN_PREFIX = 'cordon_';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  config: Pick<Config, 'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'loginMaxFailures' | 'loginLockMinutes'>;
}

export function createAuthService({ db, clock, audit, config }: Deps) {
  const minutes = (n: number) => n * 60_000;

  /** The user's unit and all units below it (need-to-know covers one's own sub-units). */
  function unitSubtree(unitId: string): Promise<string[]> {
    return unitSubtreeOf(db.kysely, unitId);
  }

  /**
   * Everything a principal needs, from `users u JOIN org_units o`: the user, whether their unit is
   * active, and the unit's subtree (need-to-know covers one's own sub-units) — one statement, so a
   * request's authentication is one round trip to the database, read fresh every time (a logout,
   * deactivation or role change is seen by the next request, in every server process).
   */
  const PRINCIPAL_COLUMNS = sql`u.id AS user_id, u.username, u.display_name, u.unit_id, u.roles, u.locale, u.disabled, u.version AS user_version, o.active AS unit_active,
    (SELECT json_agg(s.id) FROM ${subtreeIdsSql(sql.ref('u.unit_id'))} AS s(id)) AS unit_ids`;

  interface PrincipalRow {
    user_id: string;
    username: string;
    display_name: string;
    unit_id: string;
    roles: string[];
    locale: string;
    disabled: boolean;
    user_version: number;
    unit_active: boolean;
    unit_ids: string[] | string;
  }

  /** A row of PRINCIPAL_COLUMNS → the principal, or undefined for a disabled user or an inactive unit. */
  function principalOf(u: PrincipalRow | undefined, via: Principal['via'], extra: Partial<Principal> & { tokenRoles?: string[] } = {}): Principal | undefined {
    if (!u || u.disabled || !u.unit_active) return undefined;
    const roles = (extra.tokenRoles ? u.roles.filter((r) => extra.tokenRoles!.includes(r)) : u.roles) as Role[];
    const { tokenRoles: _ignored, ...rest } = extra;
    return {
      userId: u.user_id,
      username: u.username,
      displayName: u.display_name,
      unitId: u.unit_id,
      unitIds: typeof u.unit_ids === 'string' ? (JSON.parse(u.unit_ids) as string[]) : u.unit_ids,
      roles,
      locale: u.locale as 'vi' | 'en',
      via,
      userVersion: u.user_version,
      ...rest,
    };
  }

  async function principalFor(
    userId: string,
    via: Principal['via'],
    extra: Partial<Principal> & { tokenRoles?: string[] } = {},
  ): Promise<Principal | undefined> {
    const { rows } = await sql<PrincipalRow>`SELECT ${PRINCIPAL_COLUMNS} FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.id = ${userId}`.execute(db.kysely);
    return principalOf(rows[0], via, extra);
  }

  /**
   * Checks a username and password. Failures count towards a temporary lockout; the same answer is
   * given for an unknown user and a wrong password so usernames cannot be probed.
   */
  async function login(username: string, password: string, requestId?: string) {
    const now = clock.now();
    const user = await db.kysely
      .selectFrom('users')
      .select(['id', 'username', 'unit_id', 'password_hash', 'disabled', 'failed_logins', 'locked_until'])
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    const wrong = new AppError('UNAUTHENTICATED', 'Wrong username or password');
    if (!user) {
      await verifyPassword(await dummyHash(), password);
      await audit.record({ action: 'auth.login', outcome: 'failure', actorUsername: username.slice(0, 100), detail: { reason: 'unknown_user' }, requestId });
      throw wrong;
    }
    const actor = { userId: user.id, username: user.username, unitId: user.unit_id };
    if (user.locked_until && user.locked_until > now) {
      // Same work as a real check, so a locked account does not answer faster than an unknown one.
      await verifyPassword(user.password_hash, password);
      const wait = Math.ceil((user.locked_until.getTime() - now.getTime()) / 1000);
      await audit.record({ action: 'auth.login', outcome: 'denied', actor, detail: { reason: 'locked' }, requestId });
      throw new AppError('RATE_LIMITED', `Too many failed logins; try again in ${Math.ceil(wait / 60)} minutes`, undefined, wait);
    }
    const ok = await verifyPassword(user.password_hash, password);
    if (!ok || user.disabled) {
      await db.kysely.transaction().execute(async (trx) => {
        let lock = false;
        if (!ok) {
          // Counted in SQL, not from the row read above: parallel guesses must each add one, or a burst
          // of them (all reading the same count while argon2 runs) would never reach the limit.
          const { failed_logins: failures } = await trx
            .updateTable('users')
            .set({ failed_logins: sql`failed_logins + 1` })
            .where('id', '=', user.id)
            .returning('failed_logins')
            .executeTakeFirstOrThrow();
          lock = failures >= config.loginMaxFailures;
          if (lock) {
            await trx
              .updateTable('users')
              .set({ failed_logins: 0, locked_until: new Date(now.getTime() + minutes(config.loginLockMinutes)) })
              .where('id', '=', user.id)
              .execute();
          }
        }
        await audit.record(
          { action: 'auth.login', outcome: 'failure', actor, detail: { reason: user.disabled ? 'disabled' : 'wrong_password', ...(lock ? { lockedMinutes: config.loginLockMinutes } : {}) }, requestId },
          trx,
        );
      });
      throw wrong;
    }
    const sessionId = randomToken();
    const csrfToken = randomToken();
    await db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
      await trx
        .insertInto('sessions')
        .values({
          id_hash: sha256(sessionId),
          user_id: user.id,
          csrf_token: csrfToken,
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + minutes(config.sessionAbsoluteHours * 60)),
        })
        .execute();
      await audit.record({ action: 'auth.login', actor, requestId }, trx);
    });
    const principal = await principalFor(user.id, 'session', { sessionIdHash: sha256(sessionId), csrfToken });
    return { sessionId, principal: principal! };
  }

  /** A session cookie → the principal, or undefined when it is unknown, idle too long or too old. One query (two once a minute). */
  async function authenticateSession(sessionId: string): Promise<Principal | undefined> {
    const now = clock.now();
    const idHash = sha256(sessionId);
    const { rows } = await sql<PrincipalRow & { csrf_token: string; last_seen_at: Date; expires_at: Date }>`
      SELECT s.csrf_token, s.last_seen_at, s.expires_at, ${PRINCIPAL_COLUMNS}
      FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_units o ON o.id = u.unit_id WHERE s.id_hash = ${idHash}`.execute(db.kysely);
    const s = rows[0];
    if (!s) return undefined;
    const idleLimit = new Date(new Date(s.last_seen_at).getTime() + minutes(config.sessionIdleMinutes));
    if (s.expires_at <= now || idleLimit <= now) {
      await db.kysely.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return undefined;
    }
    // Touch at most once a minute: idle expiry needs minute precision, not a write per request.
    if (now.getTime() - new Date(s.last_seen_at).getTime() > 60_000) {
      await db.kysely.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    }
    return principalOf(s, 'session', { sessionIdHash: idHash, csrfToken: s.csrf_token });
  }

  async function authenticateToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const now = clock.now();
    const { rows } = await sql<PrincipalRow & { token_id: string; token_roles: string[]; revoked_at: Date | null; expires_at: Date | null; last_used_at: Date | null }>`
      SELECT t.id AS token_id, t.roles AS token_roles, t.revoked_at, t.expires_at, t.last_used_at, ${PRINCIPAL_COLUMNS}
      FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN org_units o ON o.id = u.unit_id WHERE t.token_hash = ${sha256(token)}`.execute(db.kysely);
    const t = rows[0];
    if (!t || t.revoked_at || (t.expires_at && t.expires_at <= now)) return undefined;
    if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() > 60_000) {
      await db.kysely.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', t.token_id).execute();
    }
    return principalOf(t, 'token', { tokenId: t.token_id, tokenRoles: t.token_roles });
  }

  async function logout(p: Principal, requestId?: string) {
    if (!p.sessionIdHash) return;
    await db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('sessions').where('id_hash', '=', p.sessionIdHash!).execute();
      await audit.record({ action: 'auth.logout', actor: p, requestId }, trx);
    });
  }

  async function changeOwnPassword(p: Principal, currentPassword: string, newPassword: string, requestId?: string) {
    const u = await db.kysely.selectFrom('users').select(['password_hash']).where('id', '=', p.userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(u.password_hash, currentPassword))) {
      await audit.record({ action: 'auth.password_change', outcome: 'failure', actor: p, requestId, detail: { reason: 'wrong_password' } });
      throw invalidField('currentPassword', 'wrong_password', 'is not your current password');
    }
    if (currentPassword === newPassword) throw invalidField('newPassword', 'invalid_value', 'must differ from the current password');
    const hash = await hashPassword(newPassword);
    await db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, password_changed_at: clock.now(), version: sql`version + 1`, updated_at: clock.now() })
        .where('id', '=', p.userId)
        .execute();
      // Other sessions of this user end; this one stays.
      let del = trx.deleteFrom('sessions').where('user_id', '=', p.userId);
      if (p.sessionIdHash) del = del.where('id_hash', '<>', p.sessionIdHash);
      await del.execute();
      await audit.record({ action: 'auth.password_change', actor: p, entityType: 'user', entityId: p.userId, requestId }, trx);
    });
  }

  async function me(p: Principal): Promise<Me> {
    // The unit's force is its own or the nearest above it (a Customs branch created without one is still
    // Customs, as the risk access rule reads it): the menu offers sections by it.
    const unit = await db.kysely
      .selectFrom('org_units')
      .select(['id', 'code', 'kind', 'name_vi', 'name_en'])
      .select(sql<string | null>`(WITH RECURSIVE up AS (
          SELECT id, parent_id, force_code, 0 AS depth FROM org_units WHERE id = ${p.unitId}
          UNION ALL SELECT o.id, o.parent_id, o.force_code, up.depth + 1 FROM org_units o JOIN up ON o.id = up.parent_id WHERE up.depth < 20
        ) SELECT force_code FROM up WHERE force_code IS NOT NULL ORDER BY depth LIMIT 1)`.as('force_code'))
      .where('id', '=', p.unitId)
      .executeTakeFirstOrThrow();
    return {
      id: p.userId,
      username: p.username,
      displayName: p.displayName,
      locale: p.locale,
      roles: p.roles,
      unit: { id: unit.id, code: unit.code, kind: unit.kind as Me['unit']['kind'], nameVi: unit.name_vi, nameEn: unit.name_en, forceCode: unit.force_code },
      version: p.userVersion,
      csrfToken: p.csrfToken ?? null,
      authMethod: p.via,
    };
  }

  async function updateMe(p: Principal, patch: { locale?: 'vi' | 'en'; displayName?: string }, requestId?: string) {
    await db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          ...(patch.locale ? { locale: patch.locale } : {}),
          ...(patch.displayName ? { display_name: patch.displayName, search_text: userSearchText(p.username, patch.displayName) } : {}),
          version: sql`version + 1`,
          updated_at: clock.now(),
        })
        .where('id', '=', p.userId)
        .execute();
      await audit.record({ action: 'user.update_self', actor: p, entityType: 'user', entityId: p.userId, detail: patch, requestId }, trx);
    });
    const fresh = await principalFor(p.userId, p.via, { sessionIdHash: p.sessionIdHash, csrfToken: p.csrfToken, tokenId: p.tokenId });
    return me(fresh!);
  }

  /** Sessions past their absolute or idle limit; run at start-up and hourly. */
  async function purgeExpiredSessions(): Promise<number> {
    const now = clock.now();
    const idleCutoff = new Date(now.getTime() - minutes(config.sessionIdleMinutes));
    const r = await db.kysely
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  return { login, logout, authenticateSession, authenticateToken, changeOwnPassword, me, updateMe, principalFor, purgeExpiredSessions, unitSubtree };
}

export type AuthService = ReturnType<typeof createAuthService>;
