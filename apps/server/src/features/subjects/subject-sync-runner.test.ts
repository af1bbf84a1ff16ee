import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@cordon/db/testing';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addCustomsBranches, postCase } from './subjects.fixtures.js';
import { createSubjectSyncRunner } from './subject-sync-runner.js';
import { SyncDeclined } from './subjects.service.js';

const search = async (c: Client, q: string) => (await c.request('GET', `/api/subjects?q=${encodeURIComponent(q)}`)).json().items as { name: string; caseCount: number }[];
const runsOf = async (h: Harness) => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subject_sync_runs'))[0]!.n;

describe.each(testEngines())('subjects resolved in the background on %s', (engine) => {
  let h: Harness;
  let ls: Client;
  beforeAll(async () => {
    h = await createHarness(engine);
    await addCustomsBranches(h);
    await h.makeUser({ username: 'ls', roles: ['officer'], unit: 'CUSTOMS-LS' });
    ls = await h.login('ls');
  });
  afterAll(async () => {
    await h.services.subjectSync.stop();
    await h.close();
  });

  it('finds the subjects of a case recorded by hand without anyone running the sync', async () => {
    // Not started (as in every other test): recording a case resolves nothing.
    await postCase(ls, { title: 'Vụ việc trước khi chạy nền', subjects: [{ kind: 'person', role: 'driver', name: 'Hoàng Văn Thắng', idNumber: '020089004321' }] });
    await new Promise((r) => setTimeout(r, 50));
    expect(await search(ls, 'hoang van thang')).toEqual([]);
    expect(await runsOf(h)).toBe(0);

    h.services.subjectSync.start();
    await postCase(ls, { title: 'Vụ việc thứ hai', subjects: [{ kind: 'person', role: 'owner', name: 'HOANG VAN THANG', idNumber: '020089004321' }, { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-045.67' }] });
    await h.services.subjectSync.idle();
    // Both records, the one recorded before the runner started too, are one person now.
    expect(await search(ls, 'hoang van thang')).toEqual([expect.objectContaining({ name: 'Hoàng Văn Thắng', caseCount: 2 })]);
    expect((await search(ls, '12C-045.67')).map((s) => s.caseCount)).toEqual([1]);
  });

  it('makes one run of several cases recorded in a row', async () => {
    const before = await runsOf(h);
    await Promise.all(['A', 'B', 'C'].map((x) => postCase(ls, { title: `Vụ việc liên tiếp ${x}`, subjects: [{ kind: 'company', role: 'owner', name: `Công ty TNHH ${x}`, taxCode: `010123456${'ABC'.indexOf(x)}` }] })));
    await h.services.subjectSync.idle();
    expect(await runsOf(h)).toBe(before + 1);
    expect(await search(ls, 'cong ty tnhh b')).toEqual([expect.objectContaining({ caseCount: 1 })]);
  });

  it('leaves a big run to the command line: declines it, writes nothing, and stays quiet for a while', async () => {
    await h.services.subjectSync.stop(); // the server's own runner would take the case first
    const errors: unknown[] = [];
    const runner = createSubjectSyncRunner({ subjects: h.services.subjects, delayMs: 10, maxRecords: 1 });
    runner.start({ onError: (e) => errors.push(e) });
    const before = await runsOf(h);
    await postCase(ls, { title: 'Vụ việc có hai đối tượng', subjects: [{ kind: 'person', role: 'owner', name: 'Lò Văn Sáu', idNumber: '011090007777' }, { kind: 'person', role: 'driver', name: 'Lò Văn Bảy', idNumber: '011090008888' }] });
    runner.nudge();
    await runner.idle();
    expect(errors).toEqual([expect.any(SyncDeclined)]);
    expect((errors[0] as Error).message).toContain('cordon entities sync');
    expect(await runsOf(h)).toBe(before);
    expect(await search(ls, 'lo van sau')).toEqual([]);
    runner.nudge(); // within the quiet time: no new attempt
    await runner.idle();
    expect(runner.runs()).toBe(1);
    await runner.stop();
  });

  it('waits for quiet, but not for ever, and stops cleanly', async () => {
    const calls: number[] = [];
    const runner = createSubjectSyncRunner({ subjects: { sync: async () => { calls.push(Date.now()); return {} as never; } }, delayMs: 40, maxDelayMs: 100 });
    runner.nudge(); // not started: ignored
    runner.start();
    // A nudge every 20 ms for 300 ms: the quiet never comes, so the longest wait decides.
    for (let i = 0; i < 15; i++) {
      runner.nudge();
      await new Promise((r) => setTimeout(r, 20));
    }
    await runner.stop();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    runner.nudge();
    await new Promise((r) => setTimeout(r, 80));
    expect(runner.runs()).toBe(calls.length); // nothing after stop
  });
});
