import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAccess, SENSITIVITIES, type Sensitivity } from '@cordon/engine';
import { sql } from '@cordon/db';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { visibleRowsCondition } from './access.service.js';

// A scratch table shaped like the records that will use the policy (cases, tips, subjects).
const SCRATCH = `CREATE TABLE sample_records (id uuid PRIMARY KEY, sensitivity text NOT NULL, handling_units uuid[] NOT NULL, named_users uuid[] NOT NULL)`;

describe.each(testEngines())('need-to-know on the server (%s)', (engine) => {
  let h: Harness;
  let people: Record<string, Principal>;
  let units: Record<string, string>;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.db.exec(SCRATCH);
    const customs = await h.unitId('CUSTOMS');
    const branch = await h.services.org.create({ userId: randomUUID(), username: 'seed', unitId: customs } as Principal, { code: 'CUSTOMS-LS', kind: 'unit', parentId: customs, forceCode: 'CUSTOMS', provinceCode: '20', nameVi: 'Hải quan Lạng Sơn', nameEn: 'Lang Son Customs' });
    units = { customs, branch: branch.id, border: await h.unitId('BORDER_GUARD'), office: await h.unitId('BCD389') };
    const specs = {
      branchOfficer: { unit: 'CUSTOMS-LS', roles: ['officer'] },
      hqAnalyst: { unit: 'CUSTOMS', roles: ['analyst'] },
      borderOfficer: { unit: 'BORDER_GUARD', roles: ['officer'] },
      admin: { unit: 'BCD389', roles: ['admin'] },
      auditor: { unit: 'BCD389', roles: ['auditor'] },
    } as const;
    people = {};
    for (const [name, s] of Object.entries(specs)) {
      const u = await h.makeUser({ username: name.toLowerCase(), roles: [...s.roles], unit: s.unit });
      people[name] = (await h.services.auth.principalFor(u.id, 'session'))!;
    }
  });
  afterAll(() => h.close());

  it('lists exactly what the policy allows, for every actor and every kind of record', async () => {
    // Every sensitivity × handled by the branch / by the border guard × shared or not × named or not.
    const records: { id: string; sensitivity: Sensitivity; handling: string[]; named: string[]; shareUnit?: string; shareUser?: string }[] = [];
    for (const sensitivity of SENSITIVITIES) {
      for (const handling of [[units.branch!], [units.border!], [units.branch!, units.border!]]) {
        records.push({ id: randomUUID(), sensitivity, handling, named: [] });
        records.push({ id: randomUUID(), sensitivity, handling, named: [people.branchOfficer!.userId] });
        records.push({ id: randomUUID(), sensitivity, handling, named: [], shareUnit: units.border! });
        records.push({ id: randomUUID(), sensitivity, handling, named: [], shareUser: people.admin!.userId });
      }
    }
    for (const r of records) {
      await h.db.query('INSERT INTO sample_records VALUES ($1, $2, $3, $4)', [r.id, r.sensitivity, r.handling, r.named]);
      if (r.shareUnit || r.shareUser) {
        await h.db.query(`INSERT INTO record_shares (id, record_type, record_id, unit_id, user_id, reason) VALUES ($1, 'sample', $2, $3, $4, 'joint operation')`, [randomUUID(), r.id, r.shareUnit ?? null, r.shareUser ?? null]);
      }
    }
    for (const [name, p] of Object.entries(people)) {
      const visible = await h.db.kysely
        .selectFrom('sample_records' as never)
        .select(sql<string>`r.id`.as('id'))
        .where(visibleRowsCondition(p, { alias: 'r', recordType: 'sample', handlingUnits: 'r.handling_units', namedUsers: 'r.named_users' }))
        .$call((q) => q)
        .execute()
        .catch(async () => {
          // Kysely needs the alias in FROM; build it the plain way.
          return h.db.kysely.selectFrom(sql`sample_records`.as('r')).select(sql<string>`r.id`.as('id')).where(visibleRowsCondition(p, { alias: 'r', recordType: 'sample', handlingUnits: 'r.handling_units', namedUsers: 'r.named_users' })).execute();
        });
      const expected = records
        .filter((r) => decideAccess(p, { sensitivity: r.sensitivity, handlingUnitIds: r.handling, namedUserIds: r.named, sharedUnitIds: r.shareUnit ? [r.shareUnit] : [], sharedUserIds: r.shareUser ? [r.shareUser] : [] }).level !== 'none')
        .map((r) => r.id)
        .sort();
      expect(visible.map((v) => (v as { id: string }).id).sort(), name).toEqual(expected);
    }
  });

  it('answers a denied read as "not found" and audits the denial', async () => {
    const record = { type: 'sample', id: randomUUID(), facts: { sensitivity: 'restricted' as const, handlingUnitIds: [units.branch!], namedUserIds: [] } };
    await expect(h.services.access.checkRead(people.borderOfficer!, record)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const rows = await h.db.query<{ outcome: string; actor_username: string }>(`SELECT outcome, actor_username FROM audit_log WHERE entity_id = $1`, [record.id]);
    expect(rows).toEqual([{ outcome: 'denied', actor_username: 'borderofficer' }]);
  });

  it('audits reads of restricted records but not of internal ones', async () => {
    const restricted = { type: 'sample', id: randomUUID(), facts: { sensitivity: 'restricted' as const, handlingUnitIds: [units.branch!], namedUserIds: [] } };
    const internal = { type: 'sample', id: randomUUID(), facts: { sensitivity: 'internal' as const, handlingUnitIds: [units.branch!], namedUserIds: [] } };
    await h.services.access.checkRead(people.hqAnalyst!, restricted);
    await h.services.access.checkRead(people.hqAnalyst!, internal);
    const audited = await h.db.query<{ entity_id: string }>(`SELECT entity_id FROM audit_log WHERE action = 'sample.read' AND outcome = 'success'`);
    expect(audited.map((a) => a.entity_id)).toContain(restricted.id);
    expect(audited.map((a) => a.entity_id)).not.toContain(internal.id);
  });

  it('lets only a user with full access share a record, and the share opens it', async () => {
    const record = { type: 'sample', id: randomUUID(), facts: { sensitivity: 'restricted' as const, handlingUnitIds: [units.branch!], namedUserIds: [] } };
    await expect(h.services.access.share(people.borderOfficer!, record, { unitId: units.border!, reason: 'let me in' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(h.services.access.share(people.branchOfficer!, record, { unitId: units.border!, reason: ' ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await h.services.access.share(people.branchOfficer!, record, { unitId: units.border!, reason: 'joint patrol at Tân Thanh' });
    await expect(h.services.access.checkRead(people.borderOfficer!, record)).resolves.toMatchObject({ level: 'full', rule: 'shared-unit' });
  });
});
