import type { Role } from '@cordon/contracts';
import { addCalendarDays, addWorkingDays, vietnamDateOf } from '@cordon/engine';
import type { Db } from '@cordon/db';
import { fixedClock, type Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { createCommendationsService } from '../commendations/commendations.service.js';
import { createDirectivesService } from './directives.service.js';
import { createTasksService } from './tasks.service.js';
import { unitSubtree } from '../org/subtree.js';

/** The Lunar New Year peak campaign: before, during and after the holiday, counted from its first day. */
export const TET_TEMPLATE = {
  code: 'TET-PEAK',
  nameVi: 'Cao điểm chống buôn lậu, gian lận thương mại và hàng giả dịp Tết Nguyên đán',
  nameEn: 'Lunar New Year peak campaign against smuggling, trade fraud and counterfeits',
  description: 'Ngày mốc: mùng 1 Tết. Trước Tết: kế hoạch và rà soát địa bàn; trong Tết: báo cáo nhanh; sau Tết: tổng kết.',
  items: [
    { phase: 'before' as const, title: 'Ban hành kế hoạch cao điểm và rà soát địa bàn trọng điểm', reportRequirement: 'Kế hoạch đã ban hành; danh sách địa bàn, tuyến, mặt hàng trọng điểm', priority: 'high' as const, offsetDays: -30, instructions: '' },
    { phase: 'before' as const, title: 'Báo cáo kết quả tháng đầu cao điểm', reportRequirement: 'Số vụ, số đối tượng, trị giá hàng vi phạm, số thu nộp ngân sách', priority: 'normal' as const, offsetDays: -7, instructions: '' },
    { phase: 'during' as const, title: 'Báo cáo nhanh tình hình trong dịp Tết', reportRequirement: 'Vụ việc nổi bật, phát sinh mới; đề xuất chỉ đạo', priority: 'urgent' as const, offsetDays: 4, instructions: 'Trực 24/24; báo cáo ngay khi có vụ việc lớn.' },
    { phase: 'after' as const, title: 'Tổng kết đợt cao điểm', reportRequirement: 'Báo cáo tổng kết có số liệu so sánh cùng kỳ; đề xuất khen thưởng', priority: 'normal' as const, offsetDays: 20, instructions: '' },
  ],
};

async function principalOf(db: Db, username: string): Promise<Principal | undefined> {
  const u = await db.kysely.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!u) return undefined;
  return { userId: u.id, username: u.username, displayName: u.display_name, unitId: u.unit_id, unitIds: await unitSubtree(db.kysely, u.unit_id), roles: u.roles as Role[], locale: u.locale as 'vi' | 'en', via: 'session', userVersion: u.version };
}

/**
 * Demo directives so the screens are not empty on `npm start`: the Tết template, a directive on fake milk
 * with tasks in every state (done on time, waiting for acceptance, sent back, in progress and due soon,
 * overdue and escalated), the campaign created from the template, an older directive done (one late),
 * and two commendations. Everything goes through the services, so history and audit are real. Dates
 * follow today. Runs once: skipped when any directive exists.
 */
export async function seedDemoDirectives(db: Db, audit: AuditService, clock: Clock): Promise<{ directives: number; tasks: number }> {
  const any = await db.kysely.selectFrom('directives').select('id').limit(1).executeTakeFirst();
  if (any) return { directives: 0, tasks: 0 };
  const [office, lsCoord, customsLs, market] = await Promise.all(['analyst', 'province.coordinator', 'customs.officer', 'market.officer'].map((u) => principalOf(db, u)));
  if (!office || !lsCoord || !customsLs || !market) return { directives: 0, tasks: 0 };
  const unit = async (code: string) => (await db.kysely.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const [ls, hp, hn, customsLsUnit, marketHn] = await Promise.all([unit('BCD389-20'), unit('BCD389-31'), unit('BCD389-01'), unit('CUSTOMS-LS'), unit('MARKET_SURVEILLANCE-HN')]);

  // Actions are dated in the past: a clock of our own, moved as the story goes.
  const today = vietnamDateOf(clock.now());
  const at = fixedClock(clock.now());
  const dayAt = (date: string, hourVn = 9) => new Date(`${date}T${String(hourVn - 7 + (hourVn < 7 ? 24 : 0)).padStart(2, '0')}:00:00.000Z`);
  const directives = createDirectivesService({ db, clock: at, audit });
  const tasks = createTasksService({ db, clock: at, audit });
  const commendations = createCommendationsService({ db, clock: at, audit });
  let taskCount = 0;

  const tpl = await directives.createTemplate(office, TET_TEMPLATE);

  // An older directive, finished: Hải Phòng on time, Lạng Sơn a day late.
  const past = addCalendarDays(today, -75);
  at.set(dayAt(past));
  const old = await directives.create(office, {
    number: '152/BCĐ389', issuedOn: past, issuer: 'Ban Chỉ đạo 389 quốc gia', title: 'Tăng cường kiểm soát hàng hóa qua đường bưu chính, chuyển phát',
    body: 'Yêu cầu các địa phương rà soát, kiểm tra các điểm tập kết bưu phẩm, hàng hóa thương mại điện tử không rõ nguồn gốc.',
    tasks: [
      { title: 'Kiểm tra hàng gửi qua bưu chính tại cửa khẩu', reportRequirement: 'Số lô kiểm tra, số vụ phát hiện', assignedUnitId: customsLsUnit, deadline: addCalendarDays(past, 30), priority: 'normal' },
      { title: 'Rà soát điểm tập kết bưu phẩm', reportRequirement: 'Số điểm đã kiểm tra, số vụ phát hiện', assignedUnitId: ls, deadline: addCalendarDays(past, 30), priority: 'normal' },
    ],
  });
  taskCount += old.tasks.length;
  const finish = async (who: Principal, id: string, when: Date, text: string, figures: { label: string; value: number; unit?: string }[]) => {
    at.set(when);
    const r = await tasks.report(who, id, { body: text, figures });
    const s = await tasks.decide(who, id, 'submit', { version: r.version });
    at.set(new Date(when.getTime() + 2 * 86_400_000));
    await tasks.decide(office, id, 'accept', { version: s.version });
  };
  const [oldCustoms, oldLs] = [old.tasks.find((t) => t.assignedUnit.id === customsLsUnit)!, old.tasks.find((t) => t.assignedUnit.id === ls)!];
  await finish(customsLs, oldCustoms.id, dayAt(addCalendarDays(past, 27), 10), 'Kiểm tra 240 lô hàng gửi qua bưu chính, phát hiện 3 lô khai sai tên hàng.', [{ label: 'Lô đã kiểm tra', value: 240 }, { label: 'Số vụ', value: 3, unit: 'vụ' }]);
  await finish(lsCoord, oldLs.id, dayAt(addCalendarDays(past, 31), 10), 'Đã kiểm tra 18 điểm tập kết, phát hiện 4 vụ hàng không rõ nguồn gốc.', [{ label: 'Điểm đã kiểm tra', value: 18 }, { label: 'Số vụ', value: 4, unit: 'vụ' }]);

  // The fake-milk dispatch: tasks in every state.
  const issued = addCalendarDays(today, -12);
  at.set(dayAt(issued));
  const milk = await directives.create(office, {
    number: '40/CĐ-TTg', issuedOn: issued, issuer: 'Thủ tướng Chính phủ',
    title: 'Công điện về tập trung xử lý vụ việc sản xuất, buôn bán sữa giả',
    body: 'Yêu cầu các bộ, ngành, địa phương tập trung kiểm tra, xử lý nghiêm các tổ chức, cá nhân sản xuất, buôn bán sữa giả, sữa kém chất lượng; báo cáo kết quả về Ban Chỉ đạo 389 quốc gia (qua Văn phòng Thường trực).',
    tasks: [
      { title: 'Kiểm tra các cơ sở kinh doanh sữa trên địa bàn', instructions: 'Tập trung chợ đầu mối, cửa hàng mẹ và bé, bán hàng trực tuyến.', reportRequirement: 'Số cơ sở kiểm tra, số vụ vi phạm, trị giá hàng, số tiền phạt', assignedUnitId: ls, deadline: addWorkingDays(today, 2), priority: 'high' },
      { title: 'Kiểm soát sữa nhập khẩu qua cửa khẩu', reportRequirement: 'Số tờ khai kiểm tra, số lô vi phạm', assignedUnitId: customsLsUnit, deadline: addWorkingDays(today, 5), priority: 'high' },
      { title: 'Kiểm tra thị trường sữa tại Hà Nội', reportRequirement: 'Số cơ sở kiểm tra, số vụ, trị giá hàng tạm giữ', assignedUnitId: marketHn, deadline: addCalendarDays(today, -2), priority: 'urgent' },
      { title: 'Báo cáo tình hình sữa giả trên địa bàn thành phố', reportRequirement: 'Đánh giá tình hình, kết quả xử lý, kiến nghị', assignedUnitId: hn, deadline: addCalendarDays(today, -3), priority: 'normal' },
      { title: 'Kiểm tra kho hàng tại cảng', reportRequirement: 'Số container kiểm tra, kết quả', assignedUnitId: hp, deadline: addWorkingDays(today, 8), priority: 'normal' },
    ],
  });
  taskCount += milk.tasks.length;
  const byUnit = (id: string) => milk.tasks.find((t) => t.assignedUnit.id === id)!;
  // Lạng Sơn: in progress, due soon.
  at.set(dayAt(addCalendarDays(today, -4), 15));
  await tasks.report(lsCoord, byUnit(ls).id, { body: 'Đã kiểm tra 12 cơ sở, phát hiện 2 cơ sở bán sữa không rõ nguồn gốc; đang xác minh.', figures: [{ label: 'Cơ sở đã kiểm tra', value: 12 }, { label: 'Số vụ', value: 2, unit: 'vụ' }] });
  // Customs Lạng Sơn: submitted, waiting for the office.
  at.set(dayAt(addCalendarDays(today, -2), 11));
  const c1 = await tasks.report(customsLs, byUnit(customsLsUnit).id, { body: 'Kiểm tra 46 tờ khai sữa nhập khẩu; 1 lô khai sai xuất xứ, đã lập biên bản.', figures: [{ label: 'Tờ khai đã kiểm tra', value: 46 }, { label: 'Lô vi phạm', value: 1 }] });
  await tasks.decide(customsLs, byUnit(customsLsUnit).id, 'submit', { version: c1.version, comment: 'Hoàn thành kiểm tra đợt 1' });
  // Market surveillance Hà Nội: submitted late, sent back.
  at.set(dayAt(addCalendarDays(today, -1), 16));
  const m1 = await tasks.report(market, byUnit(marketHn).id, { body: 'Kiểm tra 30 cửa hàng, tạm giữ 1.200 hộp sữa bột nghi giả.', figures: [{ label: 'Cửa hàng đã kiểm tra', value: 30 }, { label: 'Hộp sữa tạm giữ', value: 1200, unit: 'hộp' }] });
  const m2 = await tasks.decide(market, byUnit(marketHn).id, 'submit', { version: m1.version });
  at.set(dayAt(today, 8));
  await tasks.decide(office, byUnit(marketHn).id, 'return', { version: m2.version, comment: 'Bổ sung kết quả giám định mẫu và trị giá hàng tạm giữ.' });
  // Hà Nội committee: nothing yet, overdue (escalates on the first read).

  // The Tết campaign from the template, for the two border provinces.
  const tet = nextTet(today);
  at.set(dayAt(today, 8));
  const campaign = await directives.create(office, {
    number: `${tet.slice(0, 4)}/KH-BCĐ389`, issuedOn: today, issuer: 'Ban Chỉ đạo 389 quốc gia',
    title: `Kế hoạch cao điểm đấu tranh chống buôn lậu, gian lận thương mại và hàng giả trước, trong và sau Tết Nguyên đán ${tet.slice(0, 4)}`,
    body: 'Áp dụng mẫu nhiệm vụ cao điểm Tết.', tasks: [],
    template: { templateId: tpl.id, anchorDate: tet, unitIds: [ls, hp] },
  });
  taskCount += campaign.tasks.length;

  // Commendations.
  at.set(dayAt(addCalendarDays(today, -20)));
  await commendations.create(office, { decisionNumber: '87/QĐ-BCĐ389', decidedOn: addCalendarDays(today, -20), level: 'national_committee', recipientKind: 'unit', unitId: ls, reason: 'Thành tích xuất sắc trong đợt cao điểm chống buôn lậu thuốc lá qua biên giới.', caseIds: [] });
  await commendations.create(office, { decisionNumber: '88/QĐ-BCĐ389', decidedOn: addCalendarDays(today, -20), level: 'national_committee', recipientKind: 'officer', unitId: customsLsUnit, officerName: 'Nguyễn Văn Hùng', officerTitle: 'Đội trưởng Đội Kiểm soát', reason: 'Trực tiếp phát hiện, bắt giữ vụ vận chuyển 3.000 bao thuốc lá nhập lậu.', caseIds: [] });

  await audit.record({ action: 'seed.directives', detail: { directives: 3, tasks: taskCount } });
  return { directives: 3, tasks: taskCount };
}

/** The first day of the next Lunar New Year at least 45 days away (the table covers the demo's years). */
function nextTet(today: string): string {
  const TET = ['2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03', '2031-01-23', '2032-02-11', '2033-01-31', '2034-02-19', '2035-02-08'];
  return TET.find((d) => d >= addCalendarDays(today, 45)) ?? addCalendarDays(today, 60);
}
