import type { Services } from '../../services.js';
import { vietnamToday } from '../../lib/clock.js';

export interface DemoCustodyResult {
  warehouses: number;
  items: number;
  events: number;
}

/** An instant on a Vietnamese calendar day, `hours` after 08:00 there, never after now. */
function atOn(date: string, hours: number, now: Date): string {
  const t = new Date(`${date}T08:00:00+07:00`).getTime() + hours * 3_600_000;
  return new Date(Math.min(t, now.getTime() - 60_000)).toISOString();
}

/**
 * A few seized goods in custody so the demo's custody screens are not empty: a warehouse for the Lạng
 * Sơn customs and border guard demo units, items from three of each unit's recent and older cases
 * (received and stored; one transferred between them; one auctioned), through the custody service so
 * every chain and audit event is real. Skipped when any custody item exists or the demo users are missing.
 */
export async function seedDemoCustody(services: Services): Promise<DemoCustodyResult> {
  const { db, custody, auth, clock } = services;
  const result: DemoCustodyResult = { warehouses: 0, items: 0, events: 0 };
  if (await db.kysely.selectFrom('custody_items').select('id').limit(1).executeTakeFirst()) return result;
  const users = await db.kysely.selectFrom('users').select(['id', 'username']).where('username', 'in', ['customs.officer', 'border.officer']).execute();
  const customsUser = users.find((u) => u.username === 'customs.officer');
  const borderUser = users.find((u) => u.username === 'border.officer');
  if (!customsUser || !borderUser) return result;
  const customs = (await auth.principalFor(customsUser.id, 'session'))!;
  const border = (await auth.principalFor(borderUser.id, 'session'))!;
  const now = clock.now();
  const today = vietnamToday(clock);
  const old = new Date(Date.parse(`${today}T00:00:00Z`) - 120 * 86_400_000).toISOString().slice(0, 10);

  const warehouses = new Map<string, string>();
  for (const [p, code, name, address] of [
    [customs, 'KHO-TT', 'Kho tang vật Tân Thanh', 'Cửa khẩu Tân Thanh, Lạng Sơn'],
    [border, 'KHO-HN', 'Kho tang vật Đồn Biên phòng Hữu Nghị', 'Cửa khẩu quốc tế Hữu Nghị, Lạng Sơn'],
  ] as const) {
    const w = await custody.createWarehouse(p, { code, name, address });
    warehouses.set(p.unitId, w.id);
    result.warehouses++;
  }

  for (const p of [customs, border]) {
    const candidates = async (before: string | null) => {
      let q = db.kysely.selectFrom('cases').select(['id', 'detected_on']).where('source_unit_id', '=', p.unitId).where('sensitivity', '=', 'internal')
        .where((eb) => eb.exists(eb.selectFrom('case_goods').select('case_id').whereRef('case_goods.case_id', '=', 'cases.id')));
      if (before) q = q.where('detected_on', '<=', before);
      return q.orderBy('detected_on', 'desc').limit(before ? 1 : 2).execute();
    };
    const picked = [...new Map([...(await candidates(null)), ...(await candidates(old))].map((c) => [c.id, c])).values()];
    for (const [n, c] of picked.entries()) {
      const { items } = await custody.createFromCase(p, c.id, {});
      for (const [i, item] of items.slice(0, 3).entries()) {
        let version = item.version;
        const step = async (who: typeof p, body: Parameters<typeof custody.recordEvent>[2]) => {
          const r = await custody.recordEvent(who, item.id, { ...body, version });
          version = r.version;
          result.events++;
        };
        await step(p, { version, kind: 'received', at: atOn(c.detected_on, 2, now), documentNo: `BB ${100 + n}/BB-TG`, place: 'Tại nơi phát hiện vi phạm' });
        await step(p, { version, kind: 'stored', at: atOn(c.detected_on, 5, now), warehouseId: warehouses.get(p.unitId)!, shelf: `${String.fromCharCode(65 + n)}-${String(i + 1).padStart(2, '0')}` });
        // Customs' newest case: its first item goes to the border guard for safekeeping and is stored
        // there; the next case's first item is auctioned (proceeds go to the case's amount collected).
        if (p === customs && n === 0 && i === 0) {
          await step(p, { version, kind: 'transferred', at: atOn(c.detected_on, 24, now), toUnitId: border.unitId, documentNo: 'BB 07/BB-BG', place: 'Cửa khẩu Hữu Nghị' });
          await step(border, { version, kind: 'received', at: atOn(c.detected_on, 26, now), documentNo: 'BB 07/BB-BG' });
          await step(border, { version, kind: 'stored', at: atOn(c.detected_on, 27, now), warehouseId: warehouses.get(border.unitId)!, shelf: 'BP-01' });
        }
        if (p === customs && n === 1 && i === 0) {
          await step(p, { version, kind: 'auctioned', at: atOn(c.detected_on, 30, now), documentNo: 'BB ĐG 03', decisionNo: 'QĐ 45/QĐ-TLTV', auctionValueVnd: Math.round((item.estimatedValueVnd ?? 10_000_000) * 0.8) });
        }
        result.items++;
      }
    }
  }
  return result;
}
