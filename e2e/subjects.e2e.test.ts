import { beforeAll, describe, expect, it } from 'vitest';
import { PHONE, login, shot, text, useCordon, apiCall as call, apiSignIn as signIn } from './support.js';

const { vi } = text;
const KHOA_CCCD = '011085000777';
const SLOW = 240_000;

describe('subjects and networks in a browser', () => {
  const cordon = useCordon({ viewport: { width: 1280, height: 900 }, pageTimeout: 90_000 });

  beforeAll(async () => {
    // A Customs officer in Lạng Sơn records a small ring (the national office coordinates, so its analyst
    // sees the cases in full) and a namesake with another CCCD; the administrator runs the resolver.
    const officer = await signIn(cordon.url, 'customs.officer');
    const national = (await call(cordon.url, officer, 'GET', '/api/org-units?q=BCD389')).items.find((u: { code: string }) => u.code === 'BCD389').id;
    const base = { violationType: 'SMUGGLING', detectedOn: '2026-10-05', provinceCode: '20', borderGate: 'Tân Thanh', route: 'ROAD', sensitivity: 'internal', coordinatingUnitIds: [national], goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 3000, unit: 'bao', valueVnd: 90_000_000 }] };
    const boss = { kind: 'person', role: 'organiser', name: 'Lò Văn Tổ', idNumber: '011080000001', phone: '0987000001' };
    const truck = { kind: 'vehicle', role: 'transporter', name: 'Xe tải', plate: '12C-111.11' };
    for (let k = 0; k < 3; k++) {
      await call(cordon.url, officer, 'POST', '/api/cases', {
        ...base,
        title: `Đường dây thuốc lá Lò Văn Tổ, vụ ${k + 1}`,
        summary: 'Vận chuyển thuốc lá lậu qua biên giới.',
        subjects: [k === 1 ? { ...boss, name: 'LO VAN TO' } : boss, { kind: 'person', role: 'driver', name: `Vi Văn Lái ${k}`, idNumber: `01108000002${k}` }, truck],
      });
    }
    await call(cordon.url, officer, 'POST', '/api/cases', { ...base, title: 'Vụ của người trùng tên', summary: 'Một người khác trùng tên.', subjects: [{ kind: 'person', role: 'owner', name: 'Lò Văn Tổ', idNumber: '011090000099' }] });
    // One man recorded twice: with his CCCD, and without it (same phone and birth date): a fuzzy match
    // that must wait in the review queue.
    await call(cordon.url, officer, 'POST', '/api/cases', { ...base, detectedOn: '2026-09-01', title: 'Kho hàng Phạm Văn Khoa', summary: 'Kho chứa hàng lậu.', subjects: [{ kind: 'person', role: 'owner', name: 'Phạm Văn Khoa', idNumber: KHOA_CCCD, phone: '0977123456', dateOfBirth: '1985-02-14' }] });
    await call(cordon.url, officer, 'POST', '/api/cases', { ...base, detectedOn: '2026-09-20', title: 'Xe chở hàng của Khoa', summary: 'Xe chở hàng lậu.', subjects: [{ kind: 'person', role: 'owner', name: 'Khoa Phạm', phone: '+84977123456', dateOfBirth: '1985-02-14' }] });
    await call(cordon.url, await signIn(cordon.url, 'admin'), 'POST', '/api/admin/subjects/sync');
  }, SLOW);

  it('an analyst finds a subject without diacritics, sees its cases and network, merges a namesake and reverts it, and sees the group and its key player', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst');
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.subjects'] }).click();
    await page.getByRole('heading', { name: vi['subjects.title'] }).waitFor();
    await page.getByLabel(vi['subjects.search.label']).fill('lo van to');
    await page.getByRole('button', { name: vi['subjects.search.submit'] }).click();
    const results = page.locator('.subject-results li');
    await results.first().waitFor();
    expect(await results.count()).toBe(2); // the organiser (3 cases) and the namesake (1 case)
    await results.filter({ hasText: '011080000001' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Lò Văn Tổ', level: 1 }).waitFor();
    await page.getByRole('heading', { name: vi['subjects.cases'].replace('{n}', '3') }).waitFor();
    await page.getByText(vi['subjects.rule.identifier']).first().waitFor();
    // the network: the truck and the drivers one step out
    const net = page.getByRole('img', { name: vi['subjects.network'] });
    await net.waitFor();
    expect(await net.locator('.network-node').count()).toBeGreaterThanOrEqual(5);
    await shot(page, 'subjects-page');

    // merge the namesake in, see the decision, then revert it
    await page.getByLabel(vi['subjects.merge.search']).fill('011090000099');
    await page.getByRole('button', { name: vi['subjects.search.submit'] }).click();
    await page.getByRole('radio').first().check();
    await page.locator('#merge-reason').fill('Xác minh cùng một người');
    await page.getByRole('button', { name: vi['subjects.merge.submit'] }).click();
    await page.getByRole('heading', { name: vi['subjects.cases'].replace('{n}', '4') }).waitFor();
    await page.getByText(vi['subjects.rule.analyst-merge']).first().waitFor();
    await page.getByRole('status').filter({ hasText: vi['subjects.merge.done'].replace('{name}', 'Lò Văn Tổ') }).waitFor();
    const decision = page.locator('.decision-list li').first();
    expect(await decision.textContent()).toContain(vi['subjects.decision.mergeFrom'].replace('{n}', '1').replace('{name}', 'Lò Văn Tổ'));
    await page.getByRole('button', { name: vi['subjects.decision.revert'] }).click();
    await page.getByRole('heading', { name: vi['subjects.cases'].replace('{n}', '3') }).waitFor();
    // the undo says what it did, and the decision still counts the record it had moved
    const undone = vi['subjects.decision.undone.out'].replace('{n}', '1').replace('{name}', 'Lò Văn Tổ');
    await page.getByRole('status').filter({ hasText: `${vi['subjects.decision.undone']} ${undone}` }).waitFor();
    await decision.getByText(undone).waitFor();
    expect(await decision.textContent()).toContain(vi['subjects.decision.mergeFrom'].replace('{n}', '1').replace('{name}', 'Lò Văn Tổ'));
    // the follow button sits with the back link at the right of the title, not between them
    const follow = (await page.getByRole('button', { name: vi['subjects.watch.follow'] }).boundingBox())!;
    const back = (await page.getByRole('link', { name: vi['subjects.back'] }).boundingBox())!;
    expect(back.x - (follow.x + follow.width)).toBeLessThan(24);
    await shot(page, 'subjects-undone');

    // the group and its key player
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.subjects'] }).click();
    await page.getByRole('link', { name: vi['subjects.tab.groups'] }).click();
    const group = page.locator('.group-card').filter({ hasText: 'Lò Văn Tổ' });
    await group.waitFor();
    expect(await group.locator('.key-players li').first().textContent()).toContain('Lò Văn Tổ');
    await shot(page, 'subjects-groups');
    await page.context().close();
  }, SLOW);

  it('an analyst confirms a proposed merge on a phone, follows the subject and sees an alert and a repeat flag after a new case', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'analyst'); // waits for the side navigation, folded away on a phone
    await page.setViewportSize(PHONE);
    await page.goto(`${cordon.url}/subjects/review`);
    const card = page.getByTestId('proposal').filter({ hasText: 'Khoa Phạm' });
    await card.waitFor();
    // the two records side by side (stacked on a phone) with the agency that recorded each, and per-field reasons
    expect(await card.locator('.proposal-record').count()).toBe(2);
    await card.getByRole('cell', { name: vi['subjects.field.phone'] }).first().waitFor();
    await shot(page, 'subjects-review-phone');
    await card.getByLabel(vi['subjects.review.reason']).fill('Cùng số điện thoại và ngày sinh, đã xác minh');
    await card.getByRole('button', { name: vi['subjects.review.confirm'] }).click();
    const confirmed = page.getByRole('status').filter({ hasText: vi['subjects.review.confirmed'].replace(' {name}.', '') });
    await confirmed.waitFor();
    await page.getByTestId('proposal').filter({ hasText: 'Khoa Phạm' }).waitFor({ state: 'detached' });

    // the message links to the merged subject, which holds both records
    await confirmed.getByRole('link', { name: vi['subjects.review.openMerged'] }).click();
    await page.getByRole('heading', { name: vi['subjects.cases'].replace('{n}', '2') }).waitFor();
    // on a phone the network is drawn at the screen's own scale: its labels are not shrunk
    const svg = page.getByRole('img', { name: vi['subjects.network'] });
    await svg.locator('.network-node').first().waitFor();
    const scale = await svg.evaluate((el) => el.getBoundingClientRect().width / Number(el.getAttribute('viewBox')!.split(' ')[2]));
    expect(scale).toBeGreaterThan(0.95);
    await shot(page, 'subjects-merged-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phạm Văn Khoa');
    // follow it
    await page.getByRole('button', { name: vi['subjects.watch.follow'] }).click();
    await page.getByRole('button', { name: `✓ ${vi['subjects.watch.followed']}` }).waitFor();

    // a Customs officer records a new case naming his CCCD: the analyst sees a badge, the alert and the flag
    const officer = await signIn(cordon.url, 'customs.officer');
    const national = (await call(cordon.url, officer, 'GET', '/api/org-units?q=BCD389')).items.find((u: { code: string }) => u.code === 'BCD389').id;
    const created = await call(cordon.url, officer, 'POST', '/api/cases', {
      violationType: 'SMUGGLING', detectedOn: '2026-10-20', provinceCode: '20', route: 'ROAD', sensitivity: 'internal', coordinatingUnitIds: [national],
      title: 'Khoa lại vận chuyển hàng lậu', summary: 'Tái phạm.', goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá', quantity: 100, unit: 'bao', valueVnd: 3_000_000 }],
      subjects: [{ kind: 'person', role: 'owner', name: 'Phạm Văn Khoa', idNumber: KHOA_CCCD }],
    });
    await page.getByRole('navigation', { name: vi['shell.nav'] }).getByRole('link', { name: vi['section.subjects'] }).click();
    await page.getByTestId('watch-alerts-badge').waitFor();
    expect((await page.getByTestId('watch-alerts-badge').textContent())?.startsWith('1')).toBe(true);
    await page.getByRole('link', { name: vi['subjects.tab.watch'] }).click();
    const alert = page.getByTestId('watch-alert').filter({ hasText: 'Khoa lại vận chuyển hàng lậu' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(KHOA_CCCD);
    await shot(page, 'subjects-watchlist');
    await alert.getByRole('link').click();
    await page.waitForURL(`**/cases/${created.id}`);
    const flag = page.getByTestId('repeat-subjects');
    await flag.waitFor();
    expect(await flag.textContent()).toContain(vi['subjects.repeat.count'].replace('{n}', '2'));
    await shot(page, 'subjects-repeat-flag');
    await page.context().close();
  }, SLOW);

  it('a provincial coordinator follows a phone number and sees an alert when a public tip names it, and opens the tip', async () => {
    const coordinator = await signIn(cordon.url, 'province.coordinator');
    await call(cordon.url, coordinator, 'POST', '/api/watchlists', { identifier: { kind: 'PHONE', value: '0966 123 789' } });
    const tip = await fetch(`${cordon.url}/api/public/tips`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Có người dùng số +84 966.123.789 gom thuốc lá lậu ở chợ Đông Kinh, giao hàng ban đêm', category: 'CIGARETTES', provinceCode: '20' }),
    });
    expect(tip.status).toBe(201);
    const { receipt } = (await tip.json()) as { receipt: string };
    const page = await cordon.newPage();
    await login(page, cordon.url, 'province.coordinator');
    await page.goto(`${cordon.url}/subjects/watch`);
    const alert = page.getByTestId('watch-alert').filter({ hasText: receipt });
    await alert.waitFor();
    expect(await alert.getByTestId('watch-alert-source').textContent()).toBe(vi['subjects.watch.source.tip']);
    expect(await alert.textContent()).toContain('0966123789');
    await shot(page, 'subjects-watchlist-tip');
    await alert.getByRole('link', { name: receipt }).click();
    await page.waitForURL(/\/tips\/[0-9a-f-]{36}$/);
    await page.getByText(receipt).first().waitFor();
    await page.context().close();
  }, SLOW);
});
