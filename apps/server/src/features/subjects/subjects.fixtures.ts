import { expect } from 'vitest';
import type { Client, Harness } from '../../testing/harness.js';
import type { Principal } from '../auth/principal.js';
import { makeCase } from '../../testing/factories.js';

/**
 * The subjects suites' shared setting: two Customs branches (Lạng Sơn, Hải Phòng) under Customs
 * headquarters, so one branch's internal cases are the other's summary-only ones.
 */
export async function addCustomsBranches(h: Harness): Promise<void> {
  const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
  for (const [code, province] of [['CUSTOMS-LS', '20'], ['CUSTOMS-HP', '31']] as const) {
    await h.services.org.create(seed, { code, kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: province, nameVi: `Hải quan ${code}`, nameEn: `Customs ${code}` });
  }
}

/** Records a case through the API as `c` and returns it (fails the test on anything but 201). */
export async function postCase(c: Client, body: Record<string, unknown>) {
  const res = await c.request('POST', '/api/cases', makeCase(body));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; subjects: { id: string; name: string }[] };
}
