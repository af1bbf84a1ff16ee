import type { CreateCaseBody } from '@cordon/contracts';
import type { Principal } from '../features/auth/principal.js';
import type { Harness } from './harness.js';

/** A realistic case body (a cigarette seizure at a Lạng Sơn border gate); override what a test is about. */
export function makeCase(over: Partial<CreateCaseBody> = {}): Record<string, unknown> {
  return {
    title: 'Bắt giữ xe tải chở thuốc lá điếu nhập lậu',
    summary: 'Tổ công tác phát hiện xe tải biển 12C-045.67 chở 3.000 bao thuốc lá Jet không có hóa đơn.',
    violationType: 'SMUGGLING',
    detectedOn: '2026-10-05',
    provinceCode: '20',
    borderGate: 'Tân Thanh',
    route: 'ROAD',
    goods: [{ category: 'CIGARETTES', hsCode: '2402.20', description: 'Thuốc lá điếu Jet', quantity: 3000, unit: 'bao', valueVnd: 90_000_000 }],
    subjects: [
      { kind: 'person', role: 'driver', name: 'Nguyễn Văn Hùng', idNumber: '020089001234', phone: '+84912345678' },
      { kind: 'vehicle', role: 'transporter', name: 'Xe tải Hino', plate: '12C-045.67' },
    ],
    ...over,
  };
}

/**
 * The case and subject suites' shared setting: two Customs branches (Lạng Sơn, Hải Phòng) under Customs
 * headquarters, so one branch's internal cases are the other's summary-only ones.
 */
export async function addCustomsBranches(h: Harness): Promise<void> {
  const seed = { userId: '00000000-0000-4000-8000-000000000000', username: 'seed', unitId: await h.unitId('CUSTOMS') } as Principal;
  for (const [code, province] of [['CUSTOMS-LS', '20'], ['CUSTOMS-HP', '31']] as const) {
    await h.services.org.create(seed, { code, kind: 'unit', parentId: await h.unitId('CUSTOMS'), forceCode: 'CUSTOMS', provinceCode: province, nameVi: `Hải quan ${code}`, nameEn: `Customs ${code}` });
  }
}
