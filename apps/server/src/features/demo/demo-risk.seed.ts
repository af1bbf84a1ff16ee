// Declaration risk demo: what a new user opening /risk (account `risk`) sees after `npm start`. A saved
// mapping; six months of generated import declarations (plausible HS codes, origins, offices and
// importers, a few of them repeat offenders) with inspection outcomes; a trained and promoted model;
// two rules (one active, one shadow); the later weeks scored week by week with outcomes recorded for
// what was inspected; the last days scored and waiting for their outcomes. Generated from a seed, not
// copied from any shared data: the same day gives the same declarations.
//
// Everything goes through the risk service (the import, rules, training in its worker, scoring, outcome
// recording), so the audit trail and the stored records are the real ones. `npm start` runs it in the
// background (about 7 s on a loaded 2-core machine, mostly training); each step checks what is already
// done, so a restart resumes where it stopped.
import type { CreateRiskRuleBody } from '@cordon/contracts';
import { riskRng } from '@cordon/engine';
import { vietnamToday } from '../../lib/clock.js';
import type { Services } from '../../services.js';
import type { Principal } from '../auth/principal.js';

export const DEMO_RISK_MAPPING_NAME = 'Tờ khai nhập khẩu (dữ liệu mẫu)';

const COL = {
  id: 'Số tờ khai', date: 'Ngày đăng ký', office: 'Chi cục', hs: 'Mã HS', origin: 'Xuất xứ', importer: 'Mã số thuế DN nhập khẩu', transport: 'Phương thức vận chuyển',
  value: 'Trị giá khai báo (USD)', mass: 'Trọng lượng (kg)', tax: 'Thuế suất (%)', label: 'Vi phạm', revenue: 'Số thu hồi (VNĐ)',
} as const;

export const DEMO_RISK_MAPPING = {
  id: COL.id, date: COL.date, label: COL.label, revenue: COL.revenue, office: COL.office,
  categorical: [COL.office, COL.hs, COL.origin, COL.importer, COL.transport],
  numeric: [COL.value, COL.mass, COL.tax],
  dateFormat: 'dd/MM/yyyy',
};

/** Customs branch codes of the demo (the Lạng Sơn and Hải Phòng ones match the demo Customs units), and how they are reached. */
const OFFICES = [
  { code: '20BC', transport: ['Đường bộ'] }, // Lạng Sơn: Hữu Nghị border gate
  { code: '20BD', transport: ['Đường bộ', 'Đường sắt'] }, // Lạng Sơn: Tân Thanh, Đồng Đăng station
  { code: '03CE', transport: ['Đường biển'] }, // Hải Phòng port
  { code: '01B1', transport: ['Đường hàng không'] }, // Nội Bài airport
  { code: '02CI', transport: ['Đường biển', 'Đường hàng không'] }, // Hồ Chí Minh City
];
/**
 * Which demo Customs unit each office belongs to (per-office scoping): the Lạng Sơn officer sees 20BC and
 * 20BD only; 01B1 and 02CI have no demo unit, so only root-level users (account `risk`) see them.
 */
export const DEMO_OFFICE_UNITS: Record<string, string> = { '20BC': 'CUSTOMS-LS', '20BD': 'CUSTOMS-LS', '03CE': 'CUSTOMS-HP' };

/** HS6 code, its tax rate (%), a typical declared unit value (USD/kg) and how often it hides something (log-odds). */
const GOODS = [
  { hs: '240220', tax: 135, usdPerKg: 30, risk: 1.6 }, // cigarettes
  { hs: '220830', tax: 45, usdPerKg: 18, risk: 1.0 }, // whisky
  { hs: '330499', tax: 20, usdPerKg: 40, risk: 0.9 }, // cosmetics
  { hs: '300490', tax: 0, usdPerKg: 90, risk: 0.6 }, // medicines
  { hs: '851713', tax: 0, usdPerKg: 400, risk: 0.5 }, // smartphones
  { hs: '847130', tax: 0, usdPerKg: 300, risk: 0.1 }, // laptops
  { hs: '610910', tax: 20, usdPerKg: 12, risk: 0.2 }, // cotton T-shirts
  { hs: '640399', tax: 30, usdPerKg: 25, risk: 0.4 }, // leather footwear
  { hs: '030617', tax: 10, usdPerKg: 9, risk: -0.6 }, // frozen shrimp
  { hs: '080810', tax: 8, usdPerKg: 1.2, risk: -0.8 }, // apples
  { hs: '392690', tax: 15, usdPerKg: 4, risk: -0.4 }, // plastic articles
  { hs: '940360', tax: 25, usdPerKg: 6, risk: -0.2 }, // wooden furniture
  { hs: '720839', tax: 0, usdPerKg: 0.7, risk: -1.0 }, // hot-rolled steel
  { hs: '271019', tax: 10, usdPerKg: 0.9, risk: 0.0 }, // diesel oil
];
const ORIGINS = [
  { code: 'CN', weight: 40, risk: 0.2 }, { code: 'KR', weight: 10, risk: -0.3 }, { code: 'JP', weight: 8, risk: -0.6 }, { code: 'TH', weight: 8, risk: 0 },
  { code: 'US', weight: 6, risk: -0.4 }, { code: 'DE', weight: 4, risk: -0.6 }, { code: 'MY', weight: 5, risk: 0 }, { code: 'IN', weight: 5, risk: 0.2 },
  { code: 'HK', weight: 5, risk: 0.9 }, { code: 'LA', weight: 4, risk: 1.0 }, { code: 'KH', weight: 3, risk: 0.8 }, { code: 'SG', weight: 2, risk: 0.3 },
];
const IMPORTERS = 120;
/** Importers (by index) who are caught again and again: the model and the dashboard should find them. */
const REPEAT_OFFENDERS = new Set([7, 23, 58, 91]);

const DAYS = 182; // about six months of declarations, up to today
const PER_DAY = 22;
const PENDING_DAYS = 10; // the last days: scored, waiting for their outcomes
const SCORED_WEEKS = 8; // before those: scored week by week, outcomes recorded for what was inspected

export interface DemoDeclaration {
  ref: string;
  day: string; // yyyy-MM-dd
  office: string;
  hs: string;
  origin: string;
  importer: string;
  transport: string;
  valueUsd: number;
  massKg: number;
  tax: number;
  /** What an inspection would find (the generator's truth). */
  found: boolean;
  revenueVnd: number;
}

const dayOf = (today: string, back: number) => new Date(Date.parse(`${today}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const taxCode = (i: number) => String(100_000_000 + ((i * 7_919_993) % 900_000_000)).padStart(10, '0');

/** The demo's declarations, oldest first, for the six months up to `today` (yyyy-MM-dd). Pure. */
export function demoRiskDeclarations(today: string, seed = 389): DemoDeclaration[] {
  const rand = riskRng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const originWeights = ORIGINS.reduce((s, o) => s + o.weight, 0);
  const pickOrigin = () => {
    let x = rand() * originWeights;
    for (const o of ORIGINS) if ((x -= o.weight) < 0) return o;
    return ORIGINS[0]!;
  };
  const out: DemoDeclaration[] = [];
  for (let back = DAYS - 1; back >= 0; back--) {
    const day = dayOf(today, back);
    const n = PER_DAY - 6 + Math.floor(rand() * 13);
    for (let k = 0; k < n; k++) {
      const office = pick(OFFICES);
      const goods = pick(GOODS);
      const origin = pickOrigin();
      // A skewed pick: a few importers file most declarations.
      const importer = Math.floor(IMPORTERS * rand() ** 2);
      const massKg = Math.round(50 + rand() ** 3 * 20_000);
      const undervalued = rand() < 0.12;
      const unitValue = goods.usdPerKg * (0.6 + rand() * 0.8) * (undervalued ? 0.3 : 1);
      const valueUsd = Math.round(massKg * unitValue);
      let logit = -3.6 + goods.risk + origin.risk + (undervalued ? 1.5 : 0) + (REPEAT_OFFENDERS.has(importer) ? 2.4 : 0);
      if (goods.hs === '240220' && (origin.code === 'LA' || origin.code === 'KH')) logit += 1.5;
      if (office.code === '20BD') logit += 0.4;
      const found = rand() < 1 / (1 + Math.exp(-logit));
      out.push({
        ref: `${day.replace(/-/g, '').slice(2)}${office.code}${String(k + 1).padStart(3, '0')}`,
        day, office: office.code, hs: goods.hs, origin: origin.code, importer: taxCode(importer), transport: pick(office.transport),
        valueUsd, massKg, tax: goods.tax, found,
        // VND, whole thousands: taxes and fines recovered, roughly a third of the declared value at 25,000 VND/USD.
        revenueVnd: found ? Math.round((valueUsd * 25_000 * (0.1 + rand() * 0.5)) / 1000) * 1000 : 0,
      });
    }
  }
  return out;
}

/** The three parts of the demo: labelled history, weeks scored as they came, the last days pending. */
export function demoRiskParts(all: DemoDeclaration[], today: string) {
  const pendingFrom = dayOf(today, PENDING_DAYS - 1);
  const scoredFrom = dayOf(today, PENDING_DAYS - 1 + SCORED_WEEKS * 7);
  return {
    history: all.filter((d) => d.day < scoredFrom),
    weeks: Array.from({ length: SCORED_WEEKS }, (_, w) => {
      const from = dayOf(today, PENDING_DAYS - 1 + (SCORED_WEEKS - w) * 7);
      const to = dayOf(today, PENDING_DAYS - 1 + (SCORED_WEEKS - w - 1) * 7);
      return all.filter((d) => d.day >= from && d.day < to);
    }),
    pending: all.filter((d) => d.day >= pendingFrom),
  };
}

/** A declaration as POST /api/risk/score takes it ({ column: value } under the demo mapping), without its outcome. */
export function demoRiskRecord(d: DemoDeclaration): Record<string, string | number> {
  return { [COL.id]: d.ref, [COL.date]: dmy(d.day), [COL.office]: d.office, [COL.hs]: d.hs, [COL.origin]: d.origin, [COL.importer]: d.importer, [COL.transport]: d.transport, [COL.value]: d.valueUsd, [COL.mass]: d.massKg, [COL.tax]: d.tax };
}

function csvOf(rows: DemoDeclaration[], withOutcome: boolean): Buffer {
  const head = [COL.id, COL.date, COL.office, COL.hs, COL.origin, COL.importer, COL.transport, COL.value, COL.mass, COL.tax, ...(withOutcome ? [COL.label, COL.revenue] : [])];
  const lines = rows.map((d) => [d.ref, dmy(d.day), d.office, d.hs, d.origin, d.importer, d.transport, d.valueUsd, d.massKg, d.tax, ...(withOutcome ? [d.found ? 1 : 0, d.revenueVnd] : [])].join(','));
  return Buffer.from([head.join(','), ...lines].join('\r\n') + '\r\n', 'utf8');
}

/** About one green declaration in six, picked by its id (the same ones on every run). */
const postClearanceSample = (ref: string) => [...ref].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 6 === 0;

async function riskPrincipal(services: Services): Promise<Principal | undefined> {
  const u = await services.db.kysely.selectFrom('users').select('id').where('username', '=', 'risk').executeTakeFirst();
  return u ? services.auth.principalFor(u.id, 'session') : undefined;
}

const findDemoMapping = async (services: Services) =>
  (await services.db.query<{ id: string }>('SELECT id FROM risk_mappings WHERE name = $1', [DEMO_RISK_MAPPING_NAME]))[0];

/**
 * The demo's declaration risk data, step by step; each step runs only if it is not done yet, so a
 * start interrupted half-way resumes on the next one. Skipped when another mapping exists (a real
 * installation's data is never mixed with the demo's) or without the demo account `risk`. The server
 * does not wait for it (training takes seconds): `npm start` starts it and listens.
 */
export async function seedDemoRisk(services: Services): Promise<string[]> {
  const p = await riskPrincipal(services);
  if (!p) return [];
  const others = await services.db.query<{ id: string }>('SELECT id FROM risk_mappings WHERE name <> $1 LIMIT 1', [DEMO_RISK_MAPPING_NAME]);
  if (others.length) return [];
  const done = await addDemoRiskData(services, p);
  return [...done, ...(await finishDemoRisk(services, p))];
}

async function addDemoRiskData(services: Services, p: Principal): Promise<string[]> {
  const { risk } = services;
  const today = vietnamToday(services.clock);
  const all = demoRiskDeclarations(today);
  const history = new Set(demoRiskParts(all, today).history);
  const found = await findDemoMapping(services);
  const mapping = found ?? (await risk.createMapping(p, { name: DEMO_RISK_MAPPING_NAME, mapping: DEMO_RISK_MAPPING }));
  const view = (await risk.listMappings(p)).items.find((m) => m.id === mapping.id)!;
  const done: string[] = [];
  if (view.declarations < all.length) {
    // Idempotent by declaration id: a second run only adds what the first did not.
    const a = await risk.importDeclarations(p, { mappingId: mapping.id, fileName: 'to-khai-lich-su.csv', bytes: csvOf([...history], true), mode: 'all_or_nothing' });
    const b = await risk.importDeclarations(p, { mappingId: mapping.id, fileName: 'to-khai-moi.csv', bytes: csvOf(all.filter((d) => !history.has(d)), false), mode: 'all_or_nothing' });
    done.push(`imported ${a.imported + b.imported} declarations, ${a.outcomes} with outcomes`);
  }
  // Offices → demo Customs units, when the units exist and the office is not assigned yet.
  const assigned = new Set((await risk.offices.list(p, mapping.id)).items.filter((o) => o.unit).map((o) => o.office));
  const units = new Map((await services.db.kysely.selectFrom('org_units').select(['id', 'code']).where('code', 'in', [...new Set(Object.values(DEMO_OFFICE_UNITS))]).execute()).map((u) => [u.code, u.id]));
  const assignments = Object.entries(DEMO_OFFICE_UNITS).filter(([office, unit]) => !assigned.has(office) && units.has(unit)).map(([office, unit]) => ({ office, unitId: units.get(unit)! }));
  if (assignments.length) {
    await risk.offices.assign(p, { mappingId: mapping.id, assignments });
    done.push(`assigned offices ${assignments.map((a) => a.office).join(', ')} to their Customs units`);
  }
  const codes = new Set((await risk.listRules(p, mapping.id)).items.map((r) => r.code));
  for (const rule of DEMO_RULES) {
    if (codes.has(rule.code)) continue;
    await risk.createRule(p, { mappingId: mapping.id, weight: null, validFrom: null, validTo: null, ...rule });
    done.push(`rule ${rule.code}`);
  }
  return done;
}

const DEMO_RULES: Omit<CreateRiskRuleBody, 'mappingId' | 'weight' | 'validFrom' | 'validTo'>[] = [
  {
    code: 'thuoc-la-lao-cam', mode: 'active', channel: 'red',
    description: 'Thuốc lá điếu xuất xứ Lào hoặc Campuchia: kiểm tra thực tế (chỉ đạo của Cục).',
    conditions: [{ column: COL.hs, op: 'prefix', value: '2402' }, { column: COL.origin, op: 'in', value: ['LA', 'KH'] }],
  },
  {
    code: 'my-pham-luong-vang', mode: 'shadow', channel: 'yellow',
    description: 'Thử nghiệm: mỹ phẩm xuất xứ Hồng Kông, Trung Quốc, Hàn Quốc vào luồng vàng.',
    conditions: [{ column: COL.hs, op: 'prefix', value: '3304' }, { column: COL.origin, op: 'in', value: ['HK', 'CN', 'KR'] }],
  },
];

/**
 * Train (in the worker) and promote, score the weeks one by one recording the outcomes of what each
 * sent red or yellow, then score the pending days. Returns what it did.
 */
async function finishDemoRisk(services: Services, p: Principal): Promise<string[]> {
  const done: string[] = [];
  const m = (await findDemoMapping(services))!;
  const { risk, db } = services;
  const models = await risk.listModels(p, m.id);
  if (!models.items.some((x) => x.status === 'active')) {
    let model = models.items.find((x) => x.status === 'candidate');
    if (!model) {
      const job = await risk.startTraining(p, { mappingId: m.id, params: {} }, { wait: true });
      if (job.status !== 'succeeded') throw new Error(`demo risk model: ${job.error}`);
      model = (await risk.listModels(p, m.id)).items.find((x) => x.id === job.modelId)!;
      done.push(`trained model v${model.seq}`);
    }
    await risk.promote(p, model.id, model.version);
    done.push(`promoted model v${model.seq}`);
  }
  const today = vietnamToday(services.clock);
  const all = demoRiskDeclarations(today);
  const { weeks, pending } = demoRiskParts(all, today);
  const scored = new Set(
    (await db.query<{ ref: string }>('SELECT d.ref FROM risk_declarations d WHERE d.mapping_id = $1 AND EXISTS (SELECT 1 FROM risk_scores s WHERE s.declaration_id = d.id)', [m.id])).map((r) => r.ref),
  );
  const truth = new Map(all.map((d) => [d.ref, d]));
  for (const [w, week] of weeks.entries()) {
    const refs = week.map((d) => d.ref).filter((r) => !scored.has(r));
    if (!refs.length) continue;
    const r = await risk.score(p, { mappingId: m.id, refs, allocate: 'batch', redShare: 0.05, yellowShare: 0.1, randomShare: 0.005, reasons: 3, seed: 389 + w });
    // Officers inspect what was sent red or yellow and record what they found; post-clearance audits
    // look at a sample of the green ones too (which gives green and shadow rules a hit rate).
    const inspected = r.results.filter((x) => x.channel !== 'green' || postClearanceSample(x.ref)).map((x) => truth.get(x.ref)!);
    if (inspected.length) {
      await risk.recordOutcomes(p, {
        mappingId: m.id, mode: 'partial',
        outcomes: inspected.map((d) => ({
          ref: d.ref, found: d.found, violationType: d.found ? (d.revenueVnd > 500_000_000 ? 'Khai sai trị giá' : 'Khai sai mã số, xuất xứ') : null,
          revenueVnd: d.revenueVnd, inspectedOn: d.day, note: null,
        })),
      });
    }
    done.push(`scored week ${w + 1} (${refs.length}), ${inspected.length} outcomes`);
  }
  const left = pending.map((d) => d.ref).filter((r) => !scored.has(r));
  if (left.length) {
    await risk.score(p, { mappingId: m.id, refs: left, allocate: 'batch', redShare: 0.05, yellowShare: 0.1, randomShare: 0.005, reasons: 3, seed: 3890 });
    done.push(`scored ${left.length} pending`);
  }
  return done;
}
