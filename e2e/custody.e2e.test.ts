import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHONE, apiAs, fitsWidth, login, shot, text, useCordon } from './support.js';

const { vi } = text;

describe('seized goods custody in a browser', () => {
  const cordon = useCordon();
  let caseId = '';

  beforeAll(async () => {
    const customs = await apiAs(cordon.url, 'customs.officer');
    const yesterday = new Date(Date.now() + 7 * 3600_000 - 24 * 3600_000).toISOString().slice(0, 10);
    caseId = (await customs<{ id: string }>('POST', '/api/cases', {
      title: `Xe tải chở thuốc lá lậu, kiểm tra tang vật ${Date.now().toString(36)}`, violationType: 'SMUGGLING', detectedOn: yesterday, provinceCode: '20',
      goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 3000, unit: 'bao', valueVnd: 90_000_000 }],
    })).id;
  });

  it('a customs officer registers the seized goods from the case page, receives them and transfers one to the border guard, then prints its label', async () => {
    const page = await cordon.newPage();
    await login(page, cordon.url, 'customs.officer');
    await page.goto(`${cordon.url}/cases/${caseId}`);
    const section = page.getByRole('region', { name: vi['custody.caseSection'] });
    await section.getByText(vi['custody.caseNone']).waitFor();
    await section.getByRole('button', { name: vi['custody.createFromGoods'] }).click();
    const itemLink = section.getByRole('link', { name: /^TV-\d{4}-\d{6}$/ });
    await itemLink.waitFor();
    const code = (await itemLink.textContent())!.trim();
    await itemLink.click();
    await page.getByRole('heading', { name: 'Thuốc lá điếu Jet' }).waitFor();
    const itemId = new URL(page.url()).pathname.split('/').at(-1)!;

    const form = page.getByRole('region', { name: vi['custody.record'] });
    await form.getByLabel(vi['custody.chooseEvent'], { exact: true }).selectOption('received');
    await form.getByLabel(vi['custody.documentNo'], { exact: true }).fill('BB 21/BB-TG');
    await form.getByRole('button', { name: vi['custody.recordSubmit'] }).click();
    await page.getByRole('status').filter({ hasText: vi['custodyEvent.received'] }).waitFor();

    // The transfer: refused without its record number, named beside the field; then recorded.
    await form.getByLabel(vi['custody.chooseEvent'], { exact: true }).selectOption('transferred');
    // The unit is searched by name without diacritics, grouped under its force.
    await form.getByRole('combobox', { name: vi['custody.toUnit'] }).fill('bien phong lang son');
    await form.getByRole('listbox').getByRole('option', { name: /BORDER_GUARD-LS$/ }).click();
    expect(await form.getByRole('combobox', { name: vi['custody.toUnit'] }).inputValue()).toBe('Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn (BORDER_GUARD-LS)');
    await form.getByRole('button', { name: vi['custody.recordSubmit'] }).click();
    const summary = page.getByRole('alert').filter({ hasText: vi['error.INVALID_INPUT'] });
    await summary.getByRole('link', { name: vi['custody.documentNo'] }).waitFor();
    await form.getByLabel(vi['custody.documentNo'], { exact: true }).fill('BB 22/BB-BG');
    await form.getByLabel(vi['custody.where'], { exact: true }).fill('Cửa khẩu Hữu Nghị');
    await form.getByRole('button', { name: vi['custody.recordSubmit'] }).click();
    await page.getByRole('status').filter({ hasText: vi['custodyEvent.transferred'] }).waitFor();
    const chain = page.getByRole('list', { name: vi['custody.chainCaption'] });
    expect(await chain.getByRole('listitem').count()).toBe(2);
    await chain.getByText(vi['custodyEvent.transferred']).waitFor();
    await page.getByText(vi['custody.onlyHolder']).waitFor(); // the sender no longer records
    await shot(page, 'custody-item-transferred');

    await page.getByRole('link', { name: vi['custody.printLabel'] }).click();
    const label = page.getByRole('article', { name: vi['custody.label'] });
    await label.waitFor();
    expect(await label.getByText(code, { exact: true }).count()).toBe(1);
    expect(await label.getByText(itemId, { exact: true }).count()).toBe(1);
    const qr = label.getByRole('img', { name: vi['custody.qrAlt'].replace('{code}', code) });
    await qr.waitFor();
    // Read the QR image back module by module and compare with the code for the item's address.
    const expected = QRCode.create(`${cordon.url}/custody/items/${itemId}`, { errorCorrectionLevel: 'M' }).modules;
    // (A string: the e2e files are typed for Node, without the DOM's types.)
    const read = await page.evaluate<number[]>(`(async () => {
      const img = document.querySelector('img.custody-label-qr');
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const size = ${expected.size};
      const cell = img.naturalWidth / (size + 4); // margin: 2 modules each side
      const bits = [];
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) {
          const px = ctx.getImageData(Math.floor((c + 2.5) * cell), Math.floor((r + 2.5) * cell), 1, 1).data;
          bits.push(px[0] < 128 ? 1 : 0);
        }
      }
      return bits;
    })()`);
    expect(read).toEqual(Array.from(expected.data, (b) => (b ? 1 : 0)));
    // The label stands alone: no navigation to print along with it.
    expect(await page.getByRole('navigation', { name: vi['shell.nav'] }).count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: vi['custody.labelPrint'] }).isVisible()).toBe(false);
    await shot(page, 'custody-label');
    await page.context().close();

    // On a phone, the border guard opens the label's address: the item, its holder and the chain, and
    // records receiving it.
    const phone = await cordon.newPage();
    await login(phone, cordon.url, 'border.officer');
    await phone.setViewportSize(PHONE); // signed in at desktop width, where the menu is open
    await phone.goto(`${cordon.url}/custody/items/${itemId}`);
    await phone.getByRole('heading', { name: 'Thuốc lá điếu Jet' }).waitFor();
    await fitsWidth(phone, PHONE.width);
    const phoneForm = phone.getByRole('region', { name: vi['custody.record'] });
    await phoneForm.getByLabel(vi['custody.chooseEvent'], { exact: true }).selectOption('received');
    await phoneForm.getByLabel(vi['custody.documentNo'], { exact: true }).fill('BB 22/BB-BG');
    await phoneForm.getByRole('button', { name: vi['custody.recordSubmit'] }).click();
    await phone.getByRole('status').filter({ hasText: vi['custodyEvent.received'] }).waitFor();
    expect(await phone.getByRole('list', { name: vi['custody.chainCaption'] }).getByRole('listitem').count()).toBe(3);
    await fitsWidth(phone, PHONE.width);
    await shot(phone, 'custody-item-phone');

    // The warehouse screen: the demo's warehouses and items, with the overdue flag.
    await phone.goto(`${cordon.url}/custody`);
    await phone.getByRole('heading', { name: vi['custody.warehouses'] }).waitFor();
    await phone.getByRole('link', { name: code }).waitFor();
    await fitsWidth(phone, PHONE.width);
    await shot(phone, 'custody-warehouses-phone');
    await phone.context().close();
  });

  it('keeps the item page and label from a user who may not see the case', async () => {
    const market = await apiAs(cordon.url, 'market.officer');
    const items = await market<{ items: unknown[]; hiddenCount: number }>('GET', `/api/custody/cases/${caseId}/items`);
    expect(items.items).toEqual([]);
    const page = await cordon.newPage();
    await login(page, cordon.url, 'market.officer');
    const customs = await apiAs(cordon.url, 'customs.officer');
    const { items: mine } = await customs<{ items: { id: string }[] }>('GET', `/api/custody/cases/${caseId}/items`);
    await page.goto(`${cordon.url}/custody/items/${mine[0]!.id}/label`);
    await page.getByRole('alert').filter({ hasText: vi['error.NOT_FOUND'] }).waitFor();
    expect(await page.getByRole('article', { name: vi['custody.label'] }).count()).toBe(0);
    await page.context().close();
  });
});
