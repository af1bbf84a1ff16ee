import { randomUUID } from 'node:crypto';
import type { OrgUnitKind, Role } from '@cordon/contracts';
import { FORCES, PROVINCES } from '@cordon/reference';
import type { Db } from '@cordon/db';
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../auth/passwords.js';
import { orgSearchText } from '../org/org.service.js';
import { userSearchText } from '../users/users.service.js';
import { seedDemoDirectives } from '../directives/directives.seed.js';

interface UnitSeed {
  code: string;
  kind: OrgUnitKind;
  parent: string | null;
  forceCode: string | null;
  provinceCode: string | null;
  nameVi: string;
  nameEn: string;
}

export const NATIONAL_OFFICE_CODE = 'BCD389';

/**
 * The organisation every installation starts with: the national standing office, the member forces
 * (each the root of its own hierarchy: need-to-know follows the tree) and the 34 provincial steering
 * committees.
 */
export function baseOrganisation(): UnitSeed[] {
  return [
    { code: NATIONAL_OFFICE_CODE, kind: 'national_office', parent: null, forceCode: null, provinceCode: null, nameVi: 'Văn phòng Thường trực Ban Chỉ đạo 389 quốc gia', nameEn: 'Standing Office of the National Steering Committee 389' },
    ...FORCES.map((f) => ({ code: f.code, kind: 'force' as const, parent: null, forceCode: f.code, provinceCode: null, nameVi: f.nameVi, nameEn: f.nameEn })),
    ...PROVINCES.map((p) => ({
      code: `BCD389-${p.code}`,
      kind: 'provincial_committee' as const,
      parent: null,
      forceCode: null,
      provinceCode: p.code,
      nameVi: `Ban Chỉ đạo 389 ${p.fullName.replace(/^Tỉnh /, 'tỉnh ').replace(/^Thành phố /, 'thành phố ')}`,
      nameEn: `Steering Committee 389 of ${p.nameEn}`,
    })),
  ];
}

/** Demo units below the forces, in two border provinces and the capital. */
const DEMO_UNITS: UnitSeed[] = [
  { code: 'CUSTOMS-LS', kind: 'unit', parent: 'CUSTOMS', forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Chi cục Hải quan khu vực Lạng Sơn', nameEn: 'Lang Son Regional Customs Branch' },
  { code: 'CUSTOMS-HP', kind: 'unit', parent: 'CUSTOMS', forceCode: 'CUSTOMS', provinceCode: '31', nameVi: 'Chi cục Hải quan khu vực Hải Phòng', nameEn: 'Hai Phong Regional Customs Branch' },
  { code: 'BORDER_GUARD-LS', kind: 'unit', parent: 'BORDER_GUARD', forceCode: 'BORDER_GUARD', provinceCode: '20', nameVi: 'Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn', nameEn: 'Lang Son Border Guard Command' },
  { code: 'MARKET_SURVEILLANCE-HN', kind: 'unit', parent: 'MARKET_SURVEILLANCE', forceCode: 'MARKET_SURVEILLANCE', provinceCode: '01', nameVi: 'Chi cục Quản lý thị trường Hà Nội', nameEn: 'Hanoi Market Surveillance Department' },
];

export const DEMO_USERS: { username: string; displayName: string; unit: string; roles: Role[] }[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống', unit: NATIONAL_OFFICE_CODE, roles: ['admin'] },
  { username: 'analyst', displayName: 'Trần Thị Mai', unit: NATIONAL_OFFICE_CODE, roles: ['analyst'] },
  // sees every Customs case in full: the demo's merge proposals (features/demo/demo-review.seed.ts) are hers to decide
  { username: 'customs.analyst', displayName: 'Lương Thị Thu', unit: 'CUSTOMS', roles: ['analyst'] },
  { username: 'customs.officer', displayName: 'Nguyễn Văn Hùng', unit: 'CUSTOMS-LS', roles: ['officer'] },
  { username: 'border.officer', displayName: 'Lê Minh Đức', unit: 'BORDER_GUARD-LS', roles: ['officer'] },
  { username: 'market.officer', displayName: 'Phạm Thu Hà', unit: 'MARKET_SURVEILLANCE-HN', roles: ['officer'] },
  { username: 'province.coordinator', displayName: 'Hoàng Văn Nam', unit: 'BCD389-20', roles: ['provincial_coordinator'] },
  { username: 'triage', displayName: 'Đặng Thị Lan', unit: NATIONAL_OFFICE_CODE, roles: ['tip_triage'] },
  { username: 'risk', displayName: 'Vũ Quốc Bảo', unit: 'CUSTOMS', roles: ['risk_analyst'] },
  { username: 'auditor', displayName: 'Bùi Thanh Tâm', unit: NATIONAL_OFFICE_CODE, roles: ['auditor'] },
  { username: 'viewer', displayName: 'Đỗ Hải Yến', unit: NATIONAL_OFFICE_CODE, roles: ['viewer'] },
];

async function insertUnits(db: Db, units: UnitSeed[], clock: Clock) {
  const ids = new Map<string, string>(
    (await db.kysely.selectFrom('org_units').select(['id', 'code']).execute()).map((r) => [r.code, r.id]),
  );
  let added = 0;
  for (const u of units) {
    if (ids.has(u.code)) continue;
    const id = randomUUID();
    await db.kysely
      .insertInto('org_units')
      .values({
        id,
        code: u.code,
        kind: u.kind,
        parent_id: u.parent ? ids.get(u.parent)! : null,
        force_code: u.forceCode,
        province_code: u.provinceCode,
        name_vi: u.nameVi,
        name_en: u.nameEn,
        search_text: orgSearchText(u.code, u.nameVi, u.nameEn),
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    ids.set(u.code, id);
    added++;
  }
  return { ids, added };
}

/** Idempotent: units that exist (by code) are left alone, so a rerun after a crash adds only what is missing. */
export async function seedOrganisation(db: Db, audit: AuditService, clock: Clock) {
  const { added } = await insertUnits(db, baseOrganisation(), clock);
  if (added) await audit.record({ action: 'seed.organisation', detail: { unitsAdded: added } });
  return added;
}

export async function seedDemo(db: Db, audit: AuditService, clock: Clock, password: string) {
  await seedOrganisation(db, audit, clock);
  const { ids, added } = await insertUnits(db, DEMO_UNITS, clock);
  const hash = await hashPassword(password);
  let users = 0;
  for (const u of DEMO_USERS) {
    const r = await db.kysely
      .insertInto('users')
      .values({
        id: randomUUID(),
        username: u.username,
        display_name: u.displayName,
        search_text: userSearchText(u.username, u.displayName),
        unit_id: ids.get(u.unit)!,
        roles: u.roles,
        password_hash: hash,
        locked_until: null,
        last_login_at: null,
        created_at: clock.now(),
        updated_at: clock.now(),
        password_changed_at: clock.now(),
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    users += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  if (added || users) await audit.record({ action: 'seed.demo', detail: { unitsAdded: added, usersAdded: users } });
  // Directives with tasks in every state, the Tết template and commendations (once; features/directives).
  await seedDemoDirectives(db, audit, clock);
  return { units: added, users };
}
