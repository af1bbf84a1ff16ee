import { expect } from 'vitest';
import type { Client } from '../../testing/harness.js';
import { makeCase } from '../../testing/factories.js';

/** The two Customs branches many suites share (testing/factories.ts). */
export { addCustomsBranches } from '../../testing/factories.js';

/** Records a case through the API as `c` and returns it (fails the test on anything but 201). */
export async function postCase(c: Client, body: Record<string, unknown>) {
  const res = await c.request('POST', '/api/cases', makeCase(body));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; subjects: { id: string; name: string }[] };
}
