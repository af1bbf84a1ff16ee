import { fixedClock, vietnamToday } from '../../lib/clock.js';
import type { Services } from '../../services.js';
import { createTipsService } from '../tips/tips.service.js';

/** Tips the demo starts with: received over the last weeks by every channel, some handled, two overdue. */
const DEMO_TIPS: { daysAgo: number; channel: 'web' | 'email' | 'hotline'; province: string; category: string; description: string; place?: string; then?: 'acknowledge' | 'reply' | 'close' }[] = [
  { daysAgo: 12, channel: 'web', province: '20', category: 'CIGARETTES', description: 'Xe tải biển 12C đỗ đêm ở bãi gần chợ Tân Thanh, bốc thùng thuốc lá không tem sang xe máy.', place: 'Chợ Tân Thanh, Văn Lãng', then: 'reply' },
  { daysAgo: 9, channel: 'hotline', province: '01', category: 'COSMETICS', description: 'Cửa hàng trên phố Hàng Ngang bán mỹ phẩm giả nhãn hiệu Hàn Quốc, giá rẻ bất thường.', place: 'Phố Hàng Ngang, Hoàn Kiếm' },
  { daysAgo: 8, channel: 'email', province: '79', category: 'MEDICINES', description: 'Một trang bán hàng trực tuyến quảng cáo thuốc điều trị ung thư xách tay, không có giấy phép.', then: 'acknowledge' },
  { daysAgo: 6, channel: 'web', province: '22', category: 'PETROLEUM', description: 'Tàu cá cập bến đêm, bơm dầu sang xe bồn không biển hiệu, nghi dầu nhập lậu.', place: 'Cảng cá Cái Rồng, Vân Đồn' },
  { daysAgo: 4, channel: 'web', province: '20', category: 'CIGARETTES', description: 'Thuốc lá điếu nhập lậu được tập kết tại kho sau nhà dân gần chợ Tân Thanh.', place: 'Tân Thanh, Văn Lãng' },
  { daysAgo: 3, channel: 'hotline', province: '31', category: 'MILK_FOOD', description: 'Đại lý phân phối sữa bột không rõ nguồn gốc cho nhiều cửa hàng mẹ và bé.', then: 'acknowledge' },
  { daysAgo: 2, channel: 'email', province: '48', category: 'ELECTRONICS', description: 'Lô điện thoại cũ nhập khẩu khai là linh kiện, bán lẻ tại chợ Hàn.', place: 'Chợ Hàn, Đà Nẵng' },
  { daysAgo: 1, channel: 'web', province: '01', category: 'ALCOHOL', description: 'Rượu ngoại giả được đóng chai tại một nhà kho ven đê, giao hàng ban đêm.', then: 'close' },
  { daysAgo: 0, channel: 'web', province: '44', category: 'LIVESTOCK_POULTRY', description: 'Gà giống nhập lậu qua đường mòn biên giới, vận chuyển bằng xe máy vào sáng sớm.' },
];

/**
 * Demo tips, so the queue, the reminders and the report's tips section have something to show:
 * two routing rules, then tips received at their own past dates (a tips service on a clock set back,
 * so their deadlines are real), a few acknowledged, answered or closed by the demo triage officer.
 * Skipped when any tip exists or the demo users are missing.
 */
export async function seedDemoTips(services: Services): Promise<number> {
  const { db, auth, clock, config } = services;
  if (await db.kysely.selectFrom('tips').select('id').limit(1).executeTakeFirst()) return 0;
  const users = await db.kysely.selectFrom('users').select(['id', 'username']).where('username', 'in', ['triage', 'admin']).execute();
  const triageUser = users.find((u) => u.username === 'triage');
  const adminUser = users.find((u) => u.username === 'admin');
  if (!triageUser || !adminUser) return 0;
  const triage = (await auth.principalFor(triageUser.id, 'session'))!;
  const admin = (await auth.principalFor(adminUser.id, 'session'))!;

  const units = await db.kysely.selectFrom('org_units').select(['id', 'code']).where('code', 'in', ['CUSTOMS-LS', 'MARKET_SURVEILLANCE-HN']).execute();
  const unit = (code: string) => units.find((u) => u.code === code)?.id;
  if (unit('CUSTOMS-LS')) await services.tipRouting.create(admin, { provinceCode: '20', category: 'CIGARETTES', unitId: unit('CUSTOMS-LS')!, mode: 'assign' });
  if (unit('MARKET_SURVEILLANCE-HN')) await services.tipRouting.create(admin, { provinceCode: '01', category: null, unitId: unit('MARKET_SURVEILLANCE-HN')!, mode: 'propose' });

  const today = Date.parse(`${vietnamToday(clock)}T03:00:00Z`); // 10:00 in Vietnam
  let n = 0;
  for (const t of DEMO_TIPS) {
    const at = new Date(today - t.daysAgo * 86_400_000);
    const then = fixedClock(at.getTime() > clock.now().getTime() ? clock.now() : at);
    const past = createTipsService({ db, clock: then, audit: services.audit, cases: services.cases, acknowledgeDays: config.tipAcknowledgeDays, concludeDays: config.tipConcludeDays });
    const fields = { description: t.description, category: t.category, provinceCode: t.province, place: t.place ?? null, occurredOn: new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10) };
    const { id } = t.channel === 'hotline'
      ? (await past.recordHotline(triage, fields)).tip
      : await past.intake({ channel: t.channel, fields, badFiles: 'refuse' });
    n++;
    if (!t.then) continue;
    let tip = await services.tips.get(triage, id);
    tip = await services.tips.setStatus(triage, id, { version: tip.version, to: 'acknowledged' });
    if (t.then === 'reply') await services.tips.addMessage(triage, id, { kind: 'public_reply', body: 'Cảm ơn anh/chị. Tin báo đã được chuyển đến đơn vị có thẩm quyền xác minh.' });
    if (t.then === 'close') await services.tips.close(triage, id, { version: tip.version, reason: 'insufficient_information', note: 'Không đủ thông tin để xác minh.' });
  }
  return n;
}
