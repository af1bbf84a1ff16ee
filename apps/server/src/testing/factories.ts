import type { CreateCaseBody } from '@cordon/contracts';

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
