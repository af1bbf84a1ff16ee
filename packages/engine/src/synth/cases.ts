import { mulberry32 } from '../prng.js';
/**
 * Synthetic violation cases for demos, tests and benchmarks: deterministic by seed, pure (no I/O, no
 * clock), streamed so a million cases never sit in memory at once.
 *
 * The shape follows what the 389 committees report: Market Surveillance and trade/tax fraud dominate;
 * border and hot-spot provinces weigh more; detections rise in the ten weeks before Lunar New Year;
 * about 1–2% of cases end prosecuted, most are penalized and closed, recent ones are still open. A few
 * planted smuggling rings reuse the same people, phones and plates across cases; `planRings` returns
 * that ground truth so entity resolution and network analysis can be tested against it.
 *
 * Cases detected before 1 July 2025 carry the pre-2025 province code the unit recorded then; the
 * `province2025` field says which of the 34 provinces they count under (the crosswalk's answer).
 */

// ---------------------------------------------------------------------------------------------- types

/** Structurally a `CreateCaseBody` of @cordon/contracts (the engine imports nothing internal). */
export interface SynthCaseBody {
  title: string;
  summary: string;
  violationType: string;
  detectedOn: string;
  provinceCode: string;
  borderGate: string | null;
  place: string | null;
  route: string | null;
  sensitivity: 'internal' | 'restricted';
  coordinatingUnitIds: string[];
  namedUserIds: string[];
  sourceRef: string;
  goods: SynthGoodsLine[];
  subjects: SynthSubject[];
}

export interface SynthGoodsLine {
  category: string;
  hsCode: string | null;
  description: string;
  quantity: number;
  unit: string;
  valueVnd: number;
  brand: string | null;
}

export type SynthSubjectKind = 'person' | 'company' | 'vehicle' | 'vessel' | 'phone' | 'online_shop';
export type SynthSubjectRole = 'owner' | 'organiser' | 'financier' | 'transporter' | 'driver' | 'seller' | 'accomplice';

export interface SynthSubject {
  kind: SynthSubjectKind;
  role: SynthSubjectRole;
  name: string;
  idNumber: string | null;
  taxCode: string | null;
  plate: string | null;
  phone: string | null;
  dateOfBirth: string | null;
  address: string | null;
  nationality: string | null;
}

export type SynthStatus = 'detected' | 'verifying' | 'handling' | 'penalized' | 'transferred' | 'prosecuted' | 'closed' | 'dropped';

export interface SynthOutcome {
  status: SynthStatus;
  /** Every step from creation, oldest first; `at` is an ISO instant (UTC). */
  history: { from: SynthStatus | null; to: SynthStatus; at: string; note: string | null }[];
  penalty: { decisionNo: string; decidedOn: string; fineVnd: number; confiscatedValueVnd: number; collectedVnd: number } | null;
  transferredOn: string | null;
  prosecutedOn: string | null;
  defendants: number;
  droppedReason: string | null;
}

export interface SynthCase {
  /** Position in the stream (0-based). */
  index: number;
  /** Code of the recording unit, `FORCE-PP` with the 2025 province code: `CUSTOMS-20`. */
  unitCode: string;
  force: string;
  province2025: string;
  /** Set when the case belongs to a planted ring. */
  ringId: number | null;
  body: SynthCaseBody;
  outcome: SynthOutcome;
}

export interface SynthOptions {
  seed?: number;
  /** How many cases. Default: `perYear` × `years`. */
  count?: number;
  years?: number;
  /** National volume; the default is about what the 389 committees report a year. */
  perYear?: number;
  /** Last day of the period (yyyy-MM-dd). The caller passes today: the generator reads no clock. */
  until: string;
  /** Planted rings (default 4). */
  rings?: number;
}

export interface RingMember {
  name: string;
  idNumber: string;
  phone: string;
  dateOfBirth: string;
  role: SynthSubjectRole;
}

export interface PlantedRing {
  id: number;
  name: string;
  category: string;
  provinces: string[];
  members: RingMember[];
  plates: string[];
  /** Stream indexes and source references of the ring's cases. */
  caseIndexes: number[];
  sourceRefs: string[];
}

// ----------------------------------------------------------------------------------------------- PRNG

/** mulberry32: 32-bit state, fast, good enough for synthetic data (period 2^32 ≫ draws per run). */
export function createRng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  /** Log-uniform: amounts spread over orders of magnitude the way seizures do. */
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)));
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(next() * 10));
    return s;
  };
  return { next, int, pick, chance, logUniform, digits };
}
export type Rng = ReturnType<typeof createRng>;

/** Weighted choice over [value, weight] pairs, with the cumulative table built once. */
function weighted<T>(pairs: readonly (readonly [T, number])[]) {
  const values = pairs.map((p) => p[0]);
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of pairs) cum.push((total += w));
  return (rng: Rng): T => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}

// ----------------------------------------------------------------------------------------------- data

/** Lunar New Year (Tết Nguyên Đán), first day: detections peak in the weeks before it. */
export const TET_DATES: Readonly<Record<number, string>> = {
  2019: '2019-02-05', 2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13', 2030: '2030-02-03',
};
/** Days before Tết in which the peak builds, and how much higher it is at its top (×). */
export const TET_PEAK_DAYS = 75;
export const TET_PEAK_FACTOR = 1.9;
export const PROVINCE_MERGER_DATE = '2025-07-01';

/** The 34 provinces (2025 GSO codes) with the pre-2025 codes merged into each (the first kept the code). */
const PROVINCES_2025: readonly (readonly [code: string, name: string, formerCodes: string])[] = [
  ['01', 'Hà Nội', '01'], ['04', 'Cao Bằng', '04'], ['08', 'Tuyên Quang', '08 02'], ['11', 'Điện Biên', '11'], ['12', 'Lai Châu', '12'],
  ['14', 'Sơn La', '14'], ['15', 'Lào Cai', '10 15'], ['19', 'Thái Nguyên', '19 06'], ['20', 'Lạng Sơn', '20'], ['22', 'Quảng Ninh', '22'],
  ['24', 'Bắc Ninh', '27 24'], ['25', 'Phú Thọ', '25 17 26'], ['31', 'Hải Phòng', '31 30'], ['33', 'Hưng Yên', '33 34'],
  ['37', 'Ninh Bình', '37 35 36'], ['38', 'Thanh Hóa', '38'], ['40', 'Nghệ An', '40'], ['42', 'Hà Tĩnh', '42'], ['44', 'Quảng Trị', '45 44'],
  ['46', 'Huế', '46'], ['48', 'Đà Nẵng', '48 49'], ['51', 'Quảng Ngãi', '51 62'], ['52', 'Gia Lai', '64 52'], ['56', 'Khánh Hòa', '56 58'],
  ['66', 'Đắk Lắk', '66 54'], ['68', 'Lâm Đồng', '68 60 67'], ['75', 'Đồng Nai', '75 70'], ['79', 'Hồ Chí Minh', '79 74 77'],
  ['80', 'Tây Ninh', '72 80'], ['82', 'Đồng Tháp', '87 82'], ['86', 'Vĩnh Long', '86 83 84'], ['91', 'An Giang', '89 91'],
  ['92', 'Cần Thơ', '92 93 94'], ['96', 'Cà Mau', '96 95'],
];
export const SYNTH_PROVINCE_CODES: readonly string[] = PROVINCES_2025.map((p) => p[0]);
const provinceName = new Map(PROVINCES_2025.map((p) => [p[0], p[1]]));
const formerCodes = new Map(PROVINCES_2025.map((p) => [p[0], p[2].split(' ')]));

/** Hot spots: the capital and HCMC markets, the northern border and seaports, the Cambodian and Lao borders. */
export const HOT_SPOT_PROVINCES: readonly string[] = ['01', '79', '31', '22', '20', '91', '80', '44'];
const generalProvince = weighted<string>(
  SYNTH_PROVINCE_CODES.map((c) => [c, ({ '01': 11, '79': 13, '31': 5, '22': 5, '20': 5, '91': 5, '80': 5, '44': 4 } as Record<string, number>)[c] ?? 1.6] as const),
);

/** Land border gates, with the pre-2025 province each lay in. */
const GATES: Readonly<Record<string, readonly (readonly [name: string, former: string])[]>> = {
  '20': [['Cửa khẩu quốc tế Hữu Nghị', '20'], ['Cửa khẩu Tân Thanh', '20'], ['Cửa khẩu Chi Ma', '20'], ['Cửa khẩu Cốc Nam', '20']],
  '22': [['Cửa khẩu quốc tế Móng Cái', '22'], ['Cửa khẩu Hoành Mô', '22'], ['Cửa khẩu Bắc Phong Sinh', '22']],
  '15': [['Cửa khẩu quốc tế Lào Cai', '10'], ['Cửa khẩu Mường Khương', '10']],
  '04': [['Cửa khẩu Trà Lĩnh', '04'], ['Cửa khẩu Tà Lùng', '04']],
  '44': [['Cửa khẩu quốc tế Lao Bảo', '45'], ['Cửa khẩu La Lay', '45'], ['Cửa khẩu Cha Lo', '44']],
  '91': [['Cửa khẩu quốc tế Tịnh Biên', '89'], ['Cửa khẩu Vĩnh Xương', '89'], ['Cửa khẩu Khánh Bình', '89'], ['Cửa khẩu Hà Tiên', '91']],
  '80': [['Cửa khẩu quốc tế Mộc Bài', '72'], ['Cửa khẩu Xa Mát', '72'], ['Cửa khẩu Bình Hiệp', '80']],
  '82': [['Cửa khẩu Dinh Bà', '87'], ['Cửa khẩu Thường Phước', '87']],
  '40': [['Cửa khẩu Nậm Cắn', '40']], '42': [['Cửa khẩu quốc tế Cầu Treo', '42']], '11': [['Cửa khẩu Tây Trang', '11']],
  '14': [['Cửa khẩu Lóng Sập', '14']], '38': [['Cửa khẩu Na Mèo', '38']], '52': [['Cửa khẩu Lệ Thanh', '64']],
};
const PORTS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  '31': [['Cảng Hải Phòng', '31'], ['Cảng Lạch Huyện', '31']], '79': [['Cảng Cát Lái', '79'], ['Cảng Cái Mép', '77']],
  '22': [['Cảng Cái Lân', '22']], '48': [['Cảng Tiên Sa', '48']],
};
const AIRPORTS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  '01': [['Sân bay quốc tế Nội Bài', '01']], '79': [['Sân bay quốc tế Tân Sơn Nhất', '79']], '48': [['Sân bay quốc tế Đà Nẵng', '48']],
};
const SEAS: Readonly<Record<string, string>> = {
  '22': 'vùng biển Vân Đồn, Quảng Ninh', '31': 'vùng biển Bạch Long Vĩ, Hải Phòng', '96': 'vùng biển Tây Nam, Cà Mau',
  '91': 'vùng biển Phú Quốc, An Giang', '79': 'vùng biển Vũng Tàu, TP. Hồ Chí Minh', '56': 'vùng biển Khánh Hòa', '40': 'vùng biển Nghệ An',
};
const MARKETS = ['chợ Đồng Xuân', 'chợ Ninh Hiệp', 'chợ Bến Thành', 'chợ An Đông', 'chợ Tân Bình', 'chợ Kim Biên', 'chợ đầu mối', 'chợ trung tâm', 'kho hàng', 'cửa hàng tạp hóa', 'cơ sở kinh doanh', 'điểm tập kết hàng'];
const STREETS = ['Quốc lộ 1A', 'Quốc lộ 4B', 'Quốc lộ 18', 'Quốc lộ 22', 'Quốc lộ 9', 'Quốc lộ 91', 'đường tỉnh 955A', 'đường mòn biên giới', 'đường Trần Phú', 'đường Lê Lợi', 'đường Nguyễn Trãi', 'đường Hùng Vương'];
/** Plate prefixes by 2025 province (the largest old prefix); others get a random valid prefix. */
const PLATE_PREFIX: Readonly<Record<string, string>> = { '01': '29', '79': '51', '31': '15', '22': '14', '20': '12', '91': '67', '80': '70', '44': '74', '15': '24', '04': '11', '40': '37', '38': '36', '48': '43' };

const FAMILY = weighted<string>([
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 4], ['Huỳnh', 3], ['Phan', 4.5], ['Vũ', 4], ['Võ', 3.5], ['Đặng', 2],
  ['Bùi', 2], ['Đỗ', 1.5], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.6], ['Đinh', 0.6], ['Lâm', 0.5], ['Trịnh', 0.5], ['Mai', 0.4],
  ['Hà', 0.4], ['Tạ', 0.3], ['Chu', 0.3], ['Lương', 0.3], ['Triệu', 0.3], ['Nông', 0.3], ['Thái', 0.2],
]);
const MIDDLE_M = ['Văn', 'Văn', 'Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Công', 'Thanh', 'Xuân', 'Đình', 'Ngọc', 'Trọng', 'Quang'];
const MIDDLE_F = ['Thị', 'Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Kim', 'Hồng', 'Mai', 'Phương', 'Bích'];
const GIVEN_M = ['Hùng', 'Dũng', 'Tuấn', 'Nam', 'Long', 'Hải', 'Sơn', 'Thắng', 'Cường', 'Hiếu', 'Khánh', 'Phong', 'Quang', 'Trung', 'Tú', 'Vinh', 'Bình', 'Đạt', 'Huy', 'Lâm', 'Tài', 'Toàn', 'Hưng', 'Kiên', 'Lợi', 'Phúc', 'Thành', 'Tiến', 'Việt', 'An', 'Quân', 'Hoàng', 'Thịnh', 'Mạnh', 'Tâm'];
const GIVEN_F = ['Lan', 'Hương', 'Hoa', 'Mai', 'Hà', 'Linh', 'Ngọc', 'Trang', 'Thảo', 'Hằng', 'Nhung', 'Yến', 'Phương', 'Thủy', 'Vân', 'Oanh', 'Dung', 'Hạnh', 'Loan', 'Tuyết', 'Nga', 'Huyền', 'Giang', 'My', 'Chi', 'Anh', 'Quyên'];
const COMPANY_FORMS = ['Công ty TNHH', 'Công ty TNHH Thương mại', 'Công ty TNHH Xuất nhập khẩu', 'Công ty Cổ phần', 'Công ty TNHH MTV', 'Hộ kinh doanh'];
const COMPANY_WORDS = ['Hoàng Phát', 'Minh Long', 'Thành Đạt', 'Phú Gia', 'An Khang', 'Việt Hưng', 'Đại Phát', 'Tân Tiến', 'Hưng Thịnh', 'Kim Ngân', 'Phúc Lộc', 'Trường Sơn', 'Sao Mai', 'Đông Á', 'Hải Long', 'Bảo An', 'Nam Việt', 'Thiên Phú', 'Quang Minh', 'Hòa Bình', 'Gia Huy', 'Tín Nghĩa', 'Vạn Lợi', 'Ánh Dương', 'Kim Phát'];
const SHOP_WORDS = ['Beauty', 'Authentic', 'Store', 'Mẹ và Bé', 'Hàng Xách Tay', 'Official', 'Sale', 'House', 'Shop', 'Kids'];
const PLATFORMS = ['Shopee', 'TikTok Shop', 'Lazada', 'Facebook', 'Zalo'];

interface GoodsItem {
  category: string;
  desc: string;
  unit: string;
  hs: string | null;
  qty: readonly [number, number];
  /** VND per unit. */
  price: readonly [number, number];
  brands?: readonly string[];
}

const ITEMS: Readonly<Record<string, GoodsItem>> = {
  cigarettes: { category: 'CIGARETTES', desc: 'Thuốc lá điếu nhập lậu', unit: 'bao', hs: '24022090', qty: [200, 20_000], price: [15_000, 32_000], brands: ['Jet', 'Hero', 'Esse', '555', 'Marlboro', 'Zest', 'Scott', 'Craven A'] },
  sugar: { category: 'SUGAR', desc: 'Đường cát trắng nhập lậu từ Campuchia (bao 50 kg)', unit: 'kg', hs: '17019990', qty: [500, 40_000], price: [16_000, 22_000] },
  diesel: { category: 'PETROLEUM', desc: 'Dầu DO không rõ nguồn gốc', unit: 'lít', hs: '27101943', qty: [3_000, 250_000], price: [17_000, 23_000] },
  petrol: { category: 'PETROLEUM', desc: 'Xăng RON 95 bán sai đo lường', unit: 'lít', hs: '27101224', qty: [200, 8_000], price: [20_000, 26_000] },
  cosmetics: { category: 'COSMETICS', desc: 'Mỹ phẩm giả mạo nhãn hiệu', unit: 'sản phẩm', hs: '33049930', qty: [50, 20_000], price: [60_000, 900_000], brands: ['Ohui', 'Sulwhasoo', 'The Whoo', 'Chanel', 'Dior', 'La Roche-Posay', 'Innisfree', 'Estée Lauder'] },
  milk: { category: 'MILK_FOOD', desc: 'Sữa bột giả nhãn hiệu', unit: 'hộp', hs: '19011020', qty: [20, 6_000], price: [250_000, 950_000], brands: ['Similac', 'Meiji', 'Friso', 'Aptamil', 'Enfa', 'Glucerna'] },
  food: { category: 'MILK_FOOD', desc: 'Bánh kẹo, thực phẩm nhập khẩu không nhãn phụ tiếng Việt', unit: 'kg', hs: '19059090', qty: [50, 10_000], price: [40_000, 200_000] },
  garments: { category: 'GARMENTS_FOOTWEAR', desc: 'Quần áo may sẵn không rõ nguồn gốc xuất xứ', unit: 'chiếc', hs: '62034290', qty: [100, 30_000], price: [30_000, 350_000] },
  shoes: { category: 'GARMENTS_FOOTWEAR', desc: 'Giày dép giả mạo nhãn hiệu', unit: 'đôi', hs: '64041990', qty: [50, 10_000], price: [80_000, 600_000], brands: ['Nike', 'Adidas', 'Gucci', 'Louis Vuitton', 'Converse', 'Vans', 'Balenciaga'] },
  phones: { category: 'ELECTRONICS', desc: 'Điện thoại di động, phụ kiện không rõ nguồn gốc', unit: 'chiếc', hs: '85171300', qty: [10, 3_000], price: [150_000, 12_000_000] },
  electronics: { category: 'ELECTRONICS', desc: 'Máy móc, thiết bị điện tử khai sai mã HS', unit: 'chiếc', hs: '84716090', qty: [20, 5_000], price: [500_000, 30_000_000] },
  parts: { category: 'VEHICLES_PARTS', desc: 'Phụ tùng ô tô khai thấp trị giá', unit: 'bộ', hs: '87089999', qty: [20, 8_000], price: [300_000, 15_000_000] },
  medicines: { category: 'MEDICINES', desc: 'Thuốc tân dược không rõ nguồn gốc', unit: 'hộp', hs: '30049099', qty: [20, 8_000], price: [40_000, 1_500_000] },
  fertiliser: { category: 'FERTILISER_PESTICIDES', desc: 'Phân bón kém chất lượng', unit: 'kg', hs: '31059000', qty: [500, 80_000], price: [6_000, 18_000] },
  alcohol: { category: 'ALCOHOL', desc: 'Rượu ngoại giả nhãn hiệu', unit: 'chai', hs: '22083000', qty: [12, 3_000], price: [250_000, 3_500_000], brands: ['Chivas', 'Johnnie Walker', 'Hennessy', 'Ballantine\'s', 'Macallan'] },
  fireworks: { category: 'OTHER', desc: 'Pháo nổ các loại', unit: 'kg', hs: '36041000', qty: [5, 2_000], price: [300_000, 800_000] },
  drugs: { category: 'DRUGS', desc: 'Ma túy tổng hợp (methamphetamine)', unit: 'gam', hs: null, qty: [5, 30_000], price: [200_000, 600_000] },
  heroin: { category: 'DRUGS', desc: 'Heroin', unit: 'bánh', hs: null, qty: [1, 60], price: [150_000_000, 400_000_000] },
  poultry: { category: 'LIVESTOCK_POULTRY', desc: 'Gà giống, chân gà, nội tạng động vật nhập lậu chưa kiểm dịch', unit: 'kg', hs: '02071499', qty: [100, 20_000], price: [15_000, 60_000] },
  livestock: { category: 'LIVESTOCK_POULTRY', desc: 'Trâu, bò, lợn vận chuyển trái phép qua biên giới', unit: 'con', hs: '01029090', qty: [2, 200], price: [8_000_000, 35_000_000] },
  gold: { category: 'GOLD', desc: 'Vàng miếng, vàng trang sức không có hóa đơn', unit: 'chỉ', hs: '71081210', qty: [10, 3_000], price: [7_500_000, 12_000_000] },
  currency: { category: 'FOREIGN_CURRENCY', desc: 'Ngoại tệ (USD, CNY) không khai báo hải quan', unit: 'USD', hs: null, qty: [5_000, 500_000], price: [24_000, 26_000] },
  wildlife: { category: 'WILDLIFE', desc: 'Sản phẩm động vật hoang dã (vảy tê tê, ngà voi)', unit: 'kg', hs: '05079020', qty: [1, 2_000], price: [2_000_000, 40_000_000] },
  timber: { category: 'OTHER', desc: 'Gỗ tròn, gỗ xẻ không có hồ sơ lâm sản hợp pháp', unit: 'm3', hs: '44039990', qty: [1, 120], price: [8_000_000, 40_000_000] },
  fruit: { category: 'MILK_FOOD', desc: 'Trái cây nhập khẩu chưa kiểm dịch thực vật', unit: 'kg', hs: '08081000', qty: [200, 30_000], price: [15_000, 80_000] },
  invoices: { category: 'OTHER', desc: 'Hóa đơn giá trị gia tăng mua bán trái phép', unit: 'số hóa đơn', hs: null, qty: [10, 3_000], price: [2_000_000, 60_000_000] },
  revenue: { category: 'OTHER', desc: 'Doanh thu bán hàng trực tuyến không kê khai thuế', unit: 'đồng doanh thu', hs: null, qty: [1, 1], price: [300_000_000, 60_000_000_000] },
  transfer: { category: 'OTHER', desc: 'Chi phí, giá chuyển nhượng với bên liên kết không phù hợp', unit: 'đồng', hs: null, qty: [1, 1], price: [1_000_000_000, 200_000_000_000] },
};

type Actor = 'driver' | 'owner' | 'company' | 'shop' | 'vessel' | 'passenger' | 'courier';
type Place = 'gate' | 'port' | 'airport' | 'sea' | 'market' | 'road' | 'online' | 'office';

interface Scenario {
  key: string;
  force: string;
  weight: number;
  type: string;
  route: string;
  items: readonly string[];
  place: Place;
  actors: readonly Actor[];
  provinces?: readonly (readonly [string, number])[];
  titles: readonly string[];
}

const BORDER_NORTH = [['20', 5], ['22', 4], ['15', 2], ['04', 1.5]] as const;
const BORDER_SOUTH = [['91', 5], ['80', 4], ['82', 1.5]] as const;
const BORDER_LAOS = [['44', 4], ['40', 2], ['42', 1], ['11', 1], ['14', 1], ['38', 1]] as const;
const MARKETS_BIG = [['01', 8], ['79', 9], ['31', 2], ['48', 2], ['92', 1], ['75', 1.5], ['24', 1], ['22', 1]] as const;
const SEAPORTS = [['31', 5], ['79', 6], ['22', 2], ['48', 1]] as const;

/**
 * What gets detected, by whom, how often (weights are percent of all cases). Forces: Market
 * Surveillance 38, Police 22, Customs 12, Tax 12, Border Guard 8, Coast Guard 2, Forest Rangers 2,
 * Quarantine 2, others 2. Report groups come out near trade fraud 41, smuggling 33, counterfeit 26.
 */
export const SCENARIOS: readonly Scenario[] = [
  { key: 'ms-unknown-origin', force: 'MARKET_SURVEILLANCE', weight: 10, type: 'TRADE_FRAUD', route: 'INLAND_MARKET', items: ['garments', 'phones', 'food', 'cosmetics'], place: 'market', actors: ['owner'], titles: ['Tạm giữ {qty} {unit} {goods} tại {place}', 'Kiểm tra {place}, phát hiện {goods} không rõ nguồn gốc xuất xứ', 'Xử lý cơ sở kinh doanh {goods} không có hóa đơn, chứng từ'] },
  { key: 'ms-fake-cosmetics', force: 'MARKET_SURVEILLANCE', weight: 6, type: 'COUNTERFEIT', route: 'ECOMMERCE', items: ['cosmetics'], place: 'online', actors: ['shop', 'owner'], provinces: MARKETS_BIG, titles: ['Thu giữ {qty} {unit} mỹ phẩm giả mạo nhãn hiệu {brand} bán trên {platform}', 'Triệt phá kho mỹ phẩm giả nhãn hiệu {brand} kinh doanh qua mạng'] },
  { key: 'ms-fake-milk', force: 'MARKET_SURVEILLANCE', weight: 4, type: 'COUNTERFEIT', route: 'ECOMMERCE', items: ['milk'], place: 'online', actors: ['shop', 'owner'], provinces: MARKETS_BIG, titles: ['Phát hiện {qty} {unit} sữa bột giả nhãn hiệu {brand} bán qua {platform}', 'Thu giữ sữa bột giả mạo nhãn hiệu {brand} tại kho hàng online'] },
  { key: 'ms-fake-fashion', force: 'MARKET_SURVEILLANCE', weight: 5, type: 'IP_INFRINGEMENT', route: 'INLAND_MARKET', items: ['shoes', 'garments'], place: 'market', actors: ['owner'], provinces: MARKETS_BIG, titles: ['Tạm giữ {qty} {unit} hàng giả mạo nhãn hiệu {brand} tại {place}', 'Xử lý hàng hóa xâm phạm quyền sở hữu trí tuệ nhãn hiệu {brand}'] },
  { key: 'ms-labelling', force: 'MARKET_SURVEILLANCE', weight: 5, type: 'OTHER', route: 'INLAND_MARKET', items: ['food', 'milk', 'alcohol'], place: 'market', actors: ['company'], titles: ['Xử phạt vi phạm về nhãn hàng hóa tại {place}', 'Kinh doanh {goods} không có nhãn phụ tiếng Việt'] },
  { key: 'ms-petrol-station', force: 'MARKET_SURVEILLANCE', weight: 2, type: 'TRADE_FRAUD', route: 'INLAND_MARKET', items: ['petrol'], place: 'road', actors: ['company'], titles: ['Cửa hàng xăng dầu gian lận đo lường trên {place}', 'Phát hiện cây xăng can thiệp bo mạch cột bơm'] },
  { key: 'ms-smuggled-cigarettes', force: 'MARKET_SURVEILLANCE', weight: 3, type: 'SMUGGLING', route: 'INLAND_MARKET', items: ['cigarettes'], place: 'market', actors: ['owner'], titles: ['Thu giữ {qty} {unit} thuốc lá ngoại nhập lậu nhãn hiệu {brand} tại {place}', 'Kinh doanh thuốc lá điếu nhập lậu tại {place}'] },
  { key: 'ms-medicines', force: 'MARKET_SURVEILLANCE', weight: 1.5, type: 'POOR_QUALITY', route: 'INLAND_MARKET', items: ['medicines'], place: 'market', actors: ['company'], titles: ['Tạm giữ {qty} {unit} thuốc tân dược không rõ nguồn gốc tại {place}'] },
  { key: 'ms-fertiliser', force: 'MARKET_SURVEILLANCE', weight: 1.5, type: 'POOR_QUALITY', route: 'INLAND_MARKET', items: ['fertiliser'], place: 'market', actors: ['company'], titles: ['Phát hiện {qty} {unit} phân bón kém chất lượng tại {place}'] },

  { key: 'police-invoices', force: 'POLICE', weight: 4, type: 'INVOICE_FRAUD', route: 'INLAND_MARKET', items: ['invoices'], place: 'office', actors: ['company', 'owner'], provinces: MARKETS_BIG, titles: ['Triệt phá đường dây mua bán trái phép {qty} số hóa đơn giá trị gia tăng', 'Khởi tố vụ án mua bán trái phép hóa đơn'] },
  { key: 'police-fireworks', force: 'POLICE', weight: 3, type: 'PROHIBITED_GOODS', route: 'ROAD', items: ['fireworks'], place: 'road', actors: ['driver'], provinces: [...BORDER_LAOS, ['01', 2], ['79', 1], ['37', 1]], titles: ['Bắt giữ đối tượng vận chuyển {qty} {unit} pháo nổ trên {place}', 'Thu giữ {qty} {unit} pháo nổ tàng trữ trái phép'] },
  { key: 'police-drugs', force: 'POLICE', weight: 3, type: 'DRUGS', route: 'ROAD', items: ['drugs', 'heroin'], place: 'road', actors: ['driver'], provinces: [['11', 3], ['14', 3], ['40', 3], ['12', 1], ['44', 2], ['01', 2], ['79', 3], ['31', 1]], titles: ['Bắt quả tang đối tượng vận chuyển {qty} {unit} {goods}', 'Triệt phá đường dây mua bán, vận chuyển trái phép chất ma túy'] },
  { key: 'police-cigarettes', force: 'POLICE', weight: 3, type: 'SMUGGLING', route: 'ROAD', items: ['cigarettes'], place: 'road', actors: ['driver', 'owner'], provinces: [...BORDER_SOUTH, ...BORDER_NORTH, ['79', 2]], titles: ['Bắt giữ xe ô tô chở {qty} {unit} thuốc lá điếu nhập lậu nhãn hiệu {brand}', 'Phát hiện {qty} {unit} thuốc lá lậu cất giấu trên xe tải'] },
  { key: 'police-counterfeit', force: 'POLICE', weight: 4, type: 'COUNTERFEIT', route: 'INLAND_MARKET', items: ['milk', 'medicines', 'alcohol', 'food'], place: 'market', actors: ['company', 'owner'], titles: ['Triệt phá cơ sở sản xuất {goods} giả quy mô lớn', 'Khởi tố vụ án sản xuất, buôn bán hàng giả là {goods}'] },
  { key: 'police-alcohol', force: 'POLICE', weight: 2, type: 'COUNTERFEIT', route: 'INLAND_MARKET', items: ['alcohol'], place: 'market', actors: ['owner'], titles: ['Thu giữ {qty} {unit} rượu ngoại giả nhãn hiệu {brand}'] },
  { key: 'police-gold-currency', force: 'POLICE', weight: 1, type: 'ILLEGAL_TRANSPORT', route: 'ROAD', items: ['gold', 'currency'], place: 'road', actors: ['driver'], provinces: [...BORDER_SOUTH, ['20', 2], ['15', 1]], titles: ['Bắt giữ đối tượng vận chuyển trái phép {goods} qua biên giới'] },
  { key: 'police-wildlife', force: 'POLICE', weight: 1, type: 'PROHIBITED_GOODS', route: 'ROAD', items: ['wildlife'], place: 'road', actors: ['driver'], provinces: [['40', 3], ['42', 2], ['44', 2], ['79', 2], ['01', 2]], titles: ['Bắt giữ vụ vận chuyển {qty} {unit} {goods}'] },
  { key: 'police-petroleum', force: 'POLICE', weight: 1, type: 'TRADE_FRAUD', route: 'RIVER', items: ['diesel'], place: 'road', actors: ['vessel'], provinces: [['92', 2], ['86', 2], ['82', 2], ['96', 1], ['91', 1]], titles: ['Phát hiện phương tiện kinh doanh {qty} {unit} xăng dầu không hóa đơn trên sông'] },

  { key: 'customs-false-declaration', force: 'CUSTOMS', weight: 5, type: 'TAX_FRAUD', route: 'SEA', items: ['electronics', 'parts', 'garments'], place: 'port', actors: ['company'], provinces: SEAPORTS, titles: ['Phát hiện doanh nghiệp khai sai mã số, trị giá lô hàng {goods} tại {place}', 'Xử lý vi phạm khai báo hải quan, truy thu thuế nhập khẩu lô {goods}'] },
  { key: 'customs-border-cigarettes', force: 'CUSTOMS', weight: 2, type: 'SMUGGLING', route: 'ROAD', items: ['cigarettes', 'poultry', 'phones'], place: 'gate', actors: ['driver'], provinces: [...BORDER_NORTH, ...BORDER_SOUTH, ['44', 2]], titles: ['Bắt giữ {qty} {unit} {goods} nhập lậu tại {place}', 'Phát hiện xe tải cất giấu {goods} qua {place}'] },
  { key: 'customs-airport', force: 'CUSTOMS', weight: 2, type: 'ILLEGAL_TRANSPORT', route: 'AIR', items: ['gold', 'currency', 'medicines', 'phones', 'wildlife'], place: 'airport', actors: ['passenger'], provinces: [['01', 4], ['79', 5], ['48', 1]], titles: ['Hành khách nhập cảnh cất giấu {goods} tại {place}', 'Phát hiện {qty} {unit} {goods} không khai báo tại {place}'] },
  { key: 'customs-origin', force: 'CUSTOMS', weight: 2, type: 'TRADE_FRAUD', route: 'SEA', items: ['electronics', 'garments', 'parts'], place: 'port', actors: ['company'], provinces: SEAPORTS, titles: ['Gian lận xuất xứ, ghi nhãn "Made in Vietnam" lô {goods} tại {place}'] },
  { key: 'customs-courier', force: 'CUSTOMS', weight: 1, type: 'SMUGGLING', route: 'COURIER_POST', items: ['cosmetics', 'medicines', 'phones'], place: 'airport', actors: ['courier'], provinces: [['01', 4], ['79', 5]], titles: ['Phát hiện {qty} {unit} {goods} gửi qua đường chuyển phát nhanh'] },

  { key: 'tax-ecommerce', force: 'TAX', weight: 6, type: 'TAX_FRAUD', route: 'ECOMMERCE', items: ['revenue'], place: 'online', actors: ['shop', 'owner'], provinces: MARKETS_BIG, titles: ['Truy thu thuế người bán hàng trên {platform} không kê khai doanh thu', 'Xử lý vi phạm thuế đối với hoạt động livestream bán hàng trên {platform}'] },
  { key: 'tax-invoices', force: 'TAX', weight: 4, type: 'INVOICE_FRAUD', route: 'INLAND_MARKET', items: ['invoices'], place: 'office', actors: ['company'], titles: ['Doanh nghiệp sử dụng {qty} số hóa đơn bất hợp pháp để khấu trừ thuế', 'Phát hiện doanh nghiệp "ma" mua bán hóa đơn'] },
  { key: 'tax-transfer-pricing', force: 'TAX', weight: 2, type: 'TAX_FRAUD', route: 'INLAND_MARKET', items: ['transfer'], place: 'office', actors: ['company'], provinces: MARKETS_BIG, titles: ['Thanh tra giá chuyển nhượng, truy thu thuế thu nhập doanh nghiệp'] },

  { key: 'bg-sugar', force: 'BORDER_GUARD', weight: 2.5, type: 'SMUGGLING', route: 'RIVER', items: ['sugar'], place: 'gate', actors: ['driver', 'owner'], provinces: BORDER_SOUTH, titles: ['Bắt giữ {qty} {unit} đường cát nhập lậu từ Campuchia', 'Phát hiện đối tượng vận chuyển đường lậu qua khu vực biên giới gần {place}'] },
  { key: 'bg-cigarettes', force: 'BORDER_GUARD', weight: 2, type: 'SMUGGLING', route: 'ROAD', items: ['cigarettes'], place: 'gate', actors: ['driver', 'owner'], provinces: [...BORDER_SOUTH, ...BORDER_NORTH, ['44', 2]], titles: ['Bắt giữ {qty} {unit} thuốc lá điếu nhập lậu nhãn hiệu {brand} tại khu vực {place}', 'Truy đuổi xe máy chở thuốc lá lậu qua đường mòn biên giới'] },
  { key: 'bg-poultry', force: 'BORDER_GUARD', weight: 1.5, type: 'ILLEGAL_TRANSPORT', route: 'ROAD', items: ['poultry', 'livestock'], place: 'gate', actors: ['driver'], provinces: BORDER_NORTH, titles: ['Bắt giữ {qty} {unit} {goods} không rõ nguồn gốc tại khu vực {place}'] },
  { key: 'bg-drugs', force: 'BORDER_GUARD', weight: 1, type: 'DRUGS', route: 'ROAD', items: ['drugs', 'heroin'], place: 'gate', actors: ['driver'], provinces: [['11', 2], ['14', 2], ['40', 2], ['44', 2], ['12', 1]], titles: ['Bộ đội Biên phòng bắt giữ đối tượng vận chuyển {qty} {unit} {goods}'] },
  { key: 'bg-fireworks', force: 'BORDER_GUARD', weight: 1, type: 'PROHIBITED_GOODS', route: 'ROAD', items: ['fireworks'], place: 'gate', actors: ['driver'], provinces: BORDER_LAOS, titles: ['Thu giữ {qty} {unit} pháo nổ vận chuyển qua biên giới'] },

  { key: 'cg-petroleum', force: 'COAST_GUARD', weight: 2, type: 'SMUGGLING', route: 'SEA', items: ['diesel'], place: 'sea', actors: ['vessel'], provinces: [['22', 3], ['31', 2], ['96', 3], ['91', 3], ['79', 2], ['56', 1], ['40', 1]], titles: ['Cảnh sát biển bắt giữ tàu chở {qty} {unit} dầu DO không rõ nguồn gốc tại {place}', 'Tạm giữ tàu vận chuyển trái phép xăng dầu trên {place}'] },
  { key: 'fr-wildlife', force: 'FOREST_RANGERS', weight: 2, type: 'PROHIBITED_GOODS', route: 'ROAD', items: ['timber', 'wildlife'], place: 'road', actors: ['driver', 'owner'], provinces: [['66', 2], ['52', 2], ['68', 2], ['40', 2], ['38', 1], ['11', 1]], titles: ['Kiểm lâm phát hiện vận chuyển {qty} {unit} {goods}'] },
  { key: 'quarantine-livestock', force: 'QUARANTINE', weight: 1, type: 'ILLEGAL_TRANSPORT', route: 'ROAD', items: ['livestock', 'poultry'], place: 'gate', actors: ['driver'], provinces: [...BORDER_NORTH, ...BORDER_LAOS], titles: ['Phát hiện {qty} {unit} {goods} chưa qua kiểm dịch'] },
  { key: 'quarantine-fruit', force: 'QUARANTINE', weight: 1, type: 'TRADE_FRAUD', route: 'ROAD', items: ['fruit'], place: 'gate', actors: ['driver', 'company'], provinces: BORDER_NORTH, titles: ['Lô {goods} nhập khẩu không có giấy chứng nhận kiểm dịch'] },
  { key: 'other-local', force: 'OTHER', weight: 2, type: 'OTHER', route: 'INLAND_MARKET', items: ['food', 'garments', 'fertiliser'], place: 'market', actors: ['owner'], titles: ['Đoàn kiểm tra liên ngành xử lý vi phạm kinh doanh {goods} tại {place}'] },
];

const FORCE_VI: Readonly<Record<string, string>> = {
  CUSTOMS: 'Lực lượng Hải quan', BORDER_GUARD: 'Bộ đội Biên phòng', POLICE: 'Lực lượng Công an', MARKET_SURVEILLANCE: 'Đội Quản lý thị trường',
  COAST_GUARD: 'Cảnh sát biển', TAX: 'Cơ quan thuế', FOREST_RANGERS: 'Hạt Kiểm lâm', QUARANTINE: 'Cơ quan kiểm dịch', OTHER: 'Đoàn kiểm tra liên ngành',
};
const DROP_REASONS = ['Không đủ căn cứ xác định vi phạm', 'Hàng hóa có chứng từ hợp pháp được xuất trình bổ sung', 'Hết thời hiệu xử phạt', 'Chuyển cơ quan khác có thẩm quyền xử lý'];

// -------------------------------------------------------------------------------------------- helpers

const DAY = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(iso + 'T00:00:00Z') / DAY);
const isoOfDay = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);
const fmtVnd = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const fmtDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
/** Round to what people write: 2–3 significant figures. */
function roundNice(n: number): number {
  if (n < 100) return Math.max(1, Math.round(n));
  const p = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / p) * p;
}

/** Relative daily detection rate: a ramp up to Tết (×TET_PEAK_FACTOR on its eve), a lull the week after. */
export function tetFactor(iso: string): number {
  const d = dayNumber(iso);
  const y = Number(iso.slice(0, 4));
  for (const year of [y, y + 1]) {
    const tet = TET_DATES[year];
    if (!tet) continue;
    const before = dayNumber(tet) - d;
    if (before > 0 && before <= TET_PEAK_DAYS) return 1 + (TET_PEAK_FACTOR - 1) * (1 - before / TET_PEAK_DAYS);
    if (before <= 0 && before > -8) return 0.5;
  }
  return 1;
}

// -------------------------------------------------------------------------------------------- subjects

interface Person { name: string; idNumber: string; phone: string; dateOfBirth: string; address: string }

function makePerson(rng: Rng, province: string): Person {
  const female = rng.chance(0.28); // most people caught transporting goods are men
  const name = `${FAMILY(rng)} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(female ? GIVEN_F : GIVEN_M)}`;
  const year = rng.int(1962, 2004);
  const dob = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  // CCCD: 3-digit place of birth, century+sex digit, two-digit year, six random digits
  const cs = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const idNumber = `0${formerCodes.get(province)![0]}${cs}${String(year).slice(2)}${rng.digits(6)}`;
  const phone = `0${rng.pick(['3', '7', '8', '9', '5'])}${rng.digits(8)}`;
  return { name, idNumber, phone, dateOfBirth: dob, address: `${rng.pick(['Thôn', 'Tổ', 'Khu phố', 'Ấp'])} ${rng.int(1, 12)}, ${provinceName.get(province)}` };
}

const personSubject = (p: Person, role: SynthSubjectRole): SynthSubject => ({
  kind: 'person', role, name: p.name, idNumber: p.idNumber, taxCode: null, plate: null, phone: p.phone, dateOfBirth: p.dateOfBirth, address: p.address, nationality: 'VN',
});

function makePlate(rng: Rng, province: string, truck: boolean): string {
  const prefix = PLATE_PREFIX[province] ?? String(rng.int(11, 99));
  return truck ? `${prefix}C-${rng.digits(3)}.${rng.digits(2)}` : `${prefix}${rng.pick(['A', 'B', 'D', 'E', 'F', 'G', 'H', 'K', 'L'])}${rng.int(1, 9)}-${rng.digits(3)}.${rng.digits(2)}`;
}

interface Company { name: string; taxCode: string; address: string }

// ---------------------------------------------------------------------------------------------- rings

const RING_TEMPLATES = [
  { name: 'Đường dây thuốc lá lậu biên giới Tây Nam', scenario: 'bg-cigarettes', provinces: ['91', '80'] },
  { name: 'Đường dây đường cát lậu Campuchia', scenario: 'bg-sugar', provinces: ['80', '91', '82'] },
  { name: 'Đường dây mỹ phẩm giả bán online', scenario: 'ms-fake-cosmetics', provinces: ['01', '79'] },
  { name: 'Đường dây xăng dầu lậu trên biển', scenario: 'cg-petroleum', provinces: ['22', '31'] },
  { name: 'Đường dây vận chuyển gà giống, nội tạng qua biên giới phía Bắc', scenario: 'bg-poultry', provinces: ['20', '22'] },
  { name: 'Đường dây pháo nổ từ Lào', scenario: 'bg-fireworks', provinces: ['44', '40'] },
] as const;

const RING_ROLES: readonly SynthSubjectRole[] = ['organiser', 'financier', 'transporter', 'driver', 'accomplice', 'transporter', 'driver', 'seller'];

/** Cases per ring: enough to co-occur, few enough to hide among the rest. */
const ringCaseCount = (total: number) => Math.max(6, Math.min(60, Math.round(total / 4000)));

function sourceRefOf(index: number) {
  return `BB-${String(index + 1).padStart(7, '0')}`;
}

/**
 * The planted rings and which cases are theirs. Drawn from its own stream (seed + 1), so it is the same
 * for `generateCases` and for a test that only wants the ground truth.
 */
export function planRings(options: SynthOptions): PlantedRing[] {
  const total = totalOf(options);
  const rng = createRng(((options.seed ?? 389) + 1) >>> 0);
  const n = Math.min(options.rings ?? 4, RING_TEMPLATES.length);
  const perRing = ringCaseCount(total);
  if (total < perRing * n * 4) return [];
  const taken = new Set<number>();
  return RING_TEMPLATES.slice(0, n).map((t, id) => {
    const size = rng.int(5, 12);
    const members: RingMember[] = [];
    for (let m = 0; m < size; m++) {
      const p = makePerson(rng, rng.pick(t.provinces));
      members.push({ name: p.name, idNumber: p.idNumber, phone: p.phone, dateOfBirth: p.dateOfBirth, role: m === 0 ? 'organiser' : RING_ROLES[m % RING_ROLES.length]! });
    }
    const plates = Array.from({ length: rng.int(2, 4) }, () => (t.scenario === 'cg-petroleum' ? vesselNumber(rng, t.provinces[0]) : makePlate(rng, rng.pick(t.provinces), true)));
    const caseIndexes: number[] = [];
    while (caseIndexes.length < perRing) {
      const i = rng.int(0, total - 1);
      if (taken.has(i)) continue;
      taken.add(i);
      caseIndexes.push(i);
    }
    caseIndexes.sort((a, b) => a - b);
    return { id: id + 1, name: t.name, category: ITEMS[SCENARIOS.find((s) => s.key === t.scenario)!.items[0]!]!.category, provinces: [...t.provinces], members, plates, caseIndexes, sourceRefs: caseIndexes.map(sourceRefOf) };
  });
}

function vesselNumber(rng: Rng, province: string): string {
  const prefix = ({ '22': 'QN', '31': 'HP', '96': 'CM', '91': 'KG', '79': 'BV', '56': 'KH', '40': 'NA' } as Record<string, string>)[province] ?? 'TS';
  return `${prefix}-${rng.digits(5)}-TS`;
}

function totalOf(o: SynthOptions) {
  return o.count ?? Math.round((o.perYear ?? 150_000) * (o.years ?? 3));
}

// ------------------------------------------------------------------------------------------ generator

/**
 * Streams `count` cases (default three years at national volume) detected in the `years` years up to
 * `until`. Same options → same cases, in the same order.
 */
export function* generateCases(options: SynthOptions): Generator<SynthCase> {
  const total = totalOf(options);
  const years = options.years ?? 3;
  const seed = options.seed ?? 389;
  const rng = createRng(seed);
  const last = dayNumber(options.until);
  const first = last - Math.round(years * 365.25) + 1;

  // detection days, weighted by the Tết cycle
  const dayPick = weighted(Array.from({ length: last - first + 1 }, (_, k) => [first + k, tetFactor(isoOfDay(first + k))] as const));
  const scenarioPick = weighted(SCENARIOS.map((s) => [s, s.weight] as const));
  const scenarioProvince = new Map(SCENARIOS.filter((s) => s.provinces).map((s) => [s.key, weighted(s.provinces!)]));

  const rings = planRings(options);
  const ringOf = new Map<number, PlantedRing>();
  for (const r of rings) for (const i of r.caseIndexes) ringOf.set(i, r);

  // recurring people and companies: repeat offenders are drawn with a skew, so some recur often
  const repeatPersons: { p: Person; province: string }[] = [];
  const repeatCount = Math.max(40, Math.floor(total / 150));
  for (let i = 0; i < repeatCount; i++) {
    const province = generalProvince(rng);
    repeatPersons.push({ p: makePerson(rng, province), province });
  }
  const companies: Company[] = [];
  const companyCount = Math.max(30, Math.floor(total / 60));
  for (let i = 0; i < companyCount; i++) {
    const province = generalProvince(rng);
    companies.push({
      name: `${rng.pick(COMPANY_FORMS)} ${rng.pick(COMPANY_WORDS)} ${rng.pick(['', '', 'Sài Gòn', 'Hà Nội', 'Miền Bắc', 'Miền Nam', 'Quốc tế', 'Toàn Cầu', `${rng.int(1, 99)}`])}`.replace(/\s+/g, ' ').trim(),
      taxCode: `${formerCodes.get(province)![0]}0${rng.digits(7)}`,
      address: `Số ${rng.int(1, 300)} ${rng.pick(STREETS)}, ${provinceName.get(province)}`,
    });
  }
  const pickCompany = () => companies[Math.floor(companies.length * rng.next() ** 2)]!;
  const pickPerson = (province: string): Person => (rng.chance(0.12) ? repeatPersons[Math.floor(repeatPersons.length * rng.next() ** 2)]!.p : makePerson(rng, province));

  let decisionNo = 0;
  for (let index = 0; index < total; index++) {
    const ring = ringOf.get(index);
    const scenario = ring ? SCENARIOS.find((s) => s.key === RING_TEMPLATES[ring.id - 1]!.scenario)! : scenarioPick(rng);
    const province = ring ? rng.pick(ring.provinces) : (scenarioProvince.get(scenario.key)?.(rng) ?? generalProvince(rng));
    const day = dayPick(rng);
    const detectedOn = isoOfDay(day);
    const pre2025 = detectedOn < PROVINCE_MERGER_DATE;

    // where
    const formers = formerCodes.get(province)!;
    let recorded = pre2025 ? (rng.chance(0.6) ? formers[0]! : rng.pick(formers)) : province;
    let borderGate: string | null = null;
    let place: string;
    const provName = provinceName.get(province)!;
    const site = (list: readonly (readonly [string, string])[] | undefined) => {
      if (!list) return null;
      const [name, former] = rng.pick(list);
      if (pre2025) recorded = former;
      return name;
    };
    switch (scenario.place) {
      case 'gate': borderGate = site(GATES[province]); place = borderGate ? `Khu vực ${borderGate}, ${provName}` : `${rng.pick(STREETS)}, ${provName}`; break;
      case 'port': borderGate = site(PORTS[province]); place = borderGate ?? `Cảng ${provName}`; break;
      case 'airport': borderGate = site(AIRPORTS[province]); place = borderGate ?? `Bưu cục ngoại dịch ${provName}`; break;
      case 'sea': place = SEAS[province] ?? `vùng biển ${provName}`; break;
      case 'road': place = `${rng.pick(STREETS)}, ${provName}`; break;
      case 'online': place = `Kho hàng bán online tại ${provName}`; break;
      case 'office': place = `Trụ sở doanh nghiệp tại ${provName}`; break;
      default: place = `${rng.pick(MARKETS)}, ${provName}`;
    }

    // goods
    const goods: SynthGoodsLine[] = [];
    const lines = rng.chance(0.2) ? 2 : 1;
    for (let l = 0; l < lines; l++) {
      const item = ITEMS[l === 0 ? scenario.items[0]! : rng.pick(scenario.items)]!;
      const qty = roundNice(rng.logUniform(item.qty[0], item.qty[1]) * (ring ? 2 : 1));
      const price = rng.int(item.price[0], item.price[1]);
      const brand = item.brands ? rng.pick(item.brands) : null;
      goods.push({ category: item.category, hsCode: item.hs, description: brand ? `${item.desc} ${brand}` : item.desc, quantity: qty, unit: item.unit, valueVnd: roundNice(qty * price), brand: scenario.type === 'COUNTERFEIT' || scenario.type === 'IP_INFRINGEMENT' ? brand : null });
    }
    const value = goods.reduce((s, g) => s + g.valueVnd, 0);
    if (goods.length === 2 && goods[0]!.description === goods[1]!.description) goods.pop();

    // who
    const subjects: SynthSubject[] = [];
    const platform = rng.pick(PLATFORMS);
    if (ring) {
      const k = rng.int(2, Math.min(4, ring.members.length));
      const start = rng.int(0, ring.members.length - 1);
      for (let m = 0; m < k; m++) {
        const member = ring.members[(start + m) % ring.members.length]!;
        subjects.push({ kind: 'person', role: member.role, name: member.name, idNumber: member.idNumber, taxCode: null, plate: null, phone: member.phone, dateOfBirth: member.dateOfBirth, address: null, nationality: 'VN' });
      }
      const plate = rng.pick(ring.plates);
      subjects.push({ kind: scenario.key === 'cg-petroleum' ? 'vessel' : 'vehicle', role: 'transporter', name: scenario.key === 'cg-petroleum' ? `Tàu ${plate}` : `Xe tải ${plate}`, idNumber: null, taxCode: null, plate, phone: null, dateOfBirth: null, address: null, nationality: null });
    } else {
      for (const actor of scenario.actors) {
        switch (actor) {
          case 'driver': {
            const plate = makePlate(rng, province, rng.chance(0.7));
            subjects.push(personSubject(pickPerson(province), 'driver'));
            subjects.push({ kind: 'vehicle', role: 'transporter', name: plate.includes('C-') ? `Xe tải ${plate}` : `Xe ô tô ${plate}`, idNumber: null, taxCode: null, plate, phone: null, dateOfBirth: null, address: null, nationality: null });
            break;
          }
          case 'owner': subjects.push(personSubject(pickPerson(province), scenario.route === 'ECOMMERCE' ? 'seller' : 'owner')); break;
          case 'passenger': subjects.push(personSubject(pickPerson(province), 'transporter')); break;
          case 'courier': subjects.push(personSubject(pickPerson(province), 'owner')); break;
          case 'company': {
            const c = pickCompany();
            subjects.push({ kind: 'company', role: 'owner', name: c.name, idNumber: null, taxCode: c.taxCode, plate: null, phone: null, dateOfBirth: null, address: c.address, nationality: 'VN' });
            break;
          }
          case 'shop': {
            const p = pickPerson(province);
            subjects.push({ kind: 'online_shop', role: 'seller', name: `${p.name.split(' ').at(-1)} ${rng.pick(SHOP_WORDS)} (${platform})`, idNumber: null, taxCode: null, plate: null, phone: p.phone, dateOfBirth: null, address: null, nationality: null });
            break;
          }
          case 'vessel': {
            const v = vesselNumber(rng, province);
            subjects.push({ kind: 'vessel', role: 'transporter', name: `Tàu ${v}`, idNumber: null, taxCode: null, plate: v, phone: null, dateOfBirth: null, address: null, nationality: 'VN' });
            subjects.push(personSubject(pickPerson(province), 'driver'));
            break;
          }
        }
      }
    }

    // words
    const g0 = goods[0]!;
    const goodsWord = g0.description.replace(/ (nhập lậu|không rõ nguồn gốc|giả mạo nhãn hiệu|giả nhãn hiệu).*$/, '').toLowerCase();
    const title = rng.pick(scenario.titles)
      .replace('{qty}', fmtVnd(g0.quantity)).replace('{unit}', g0.unit).replace('{goods}', goodsWord).replace('{brand}', g0.brand ?? rng.pick(ITEMS[scenario.items[0]!]!.brands ?? ['không rõ']))
      .replace('{place}', borderGate ?? place).replace('{platform}', platform);
    const who = subjects.find((s) => s.kind === 'person' || s.kind === 'company');
    const summary = [
      `Ngày ${fmtDate(detectedOn)}, ${FORCE_VI[scenario.force]} ${provName} kiểm tra tại ${place}${subjects.some((s) => s.kind === 'vehicle') ? `, phương tiện ${subjects.find((s) => s.kind === 'vehicle')!.plate}` : ''}.`,
      `Phát hiện ${goods.map((g) => `${fmtVnd(g.quantity)} ${g.unit} ${g.description.charAt(0).toLowerCase()}${g.description.slice(1)}`).join('; ')}.`,
      who ? `${who.kind === 'company' ? who.name : `Đối tượng ${who.name}`} không xuất trình được hóa đơn, chứng từ chứng minh nguồn gốc hợp pháp của hàng hóa.` : '',
      `Trị giá hàng hóa ước tính ${fmtVnd(value)} đồng.`,
    ].filter(Boolean).join(' ');

    const outcome = outcomeOf(rng, scenario, day, last, value, !!ring, () => ++decisionNo);

    yield {
      index,
      unitCode: `${scenario.force}-${province}`,
      force: scenario.force,
      province2025: province,
      ringId: ring?.id ?? null,
      body: {
        title: title.length > 300 ? title.slice(0, 297) + '…' : title,
        summary,
        violationType: scenario.type,
        detectedOn,
        provinceCode: recorded,
        borderGate,
        place,
        route: scenario.route,
        sensitivity: ring ? (rng.chance(0.5) ? 'restricted' : 'internal') : rng.chance(0.05) ? 'restricted' : 'internal',
        coordinatingUnitIds: [],
        namedUserIds: [],
        sourceRef: sourceRefOf(index),
        goods,
        subjects,
      },
      outcome,
    };
  }
}

/**
 * The case's path through the workflow with dated steps; steps that would fall after `until` have not
 * happened yet, so recent cases are still open. About 2.5% are transferred for prosecution and most of
 * those prosecuted (≈1.5% of all); 3% are dropped; the rest are penalized and, later, closed.
 */
function outcomeOf(rng: Rng, scenario: Scenario, day: number, last: number, value: number, ring: boolean, nextDecision: () => number): SynthOutcome {
  const at = (d: number) => new Date(d * DAY + rng.int(1, 10) * 3_600_000 + rng.int(0, 59) * 60_000).toISOString();
  const steps: { to: SynthStatus; day: number; note: string | null }[] = [{ to: 'detected', day, note: null }];
  let d = day;
  const push = (to: SynthStatus, after: number, note: string | null = null) => {
    d += after;
    steps.push({ to, day: d, note });
  };
  const criminal = scenario.type === 'DRUGS' ? 0.5 : ring ? 0.6 : 0.02;
  const stalled = rng.chance(0.02); // some files stay open for a long time
  const path = rng.next();
  if (rng.chance(0.5)) push('verifying', rng.int(0, 3));
  push('handling', rng.int(1, 10));
  let penalty: SynthOutcome['penalty'] = null;
  let transferredOn: string | null = null;
  let prosecutedOn: string | null = null;
  let defendants = 0;
  let droppedReason: string | null = null;
  if (stalled) {
    // stays in handling
  } else if (path < 0.03) {
    droppedReason = rng.pick(DROP_REASONS);
    push('dropped', rng.int(5, 60), droppedReason);
  } else if (path < 0.03 + criminal) {
    push('transferred', rng.int(10, 60), 'Chuyển hồ sơ cơ quan điều tra');
    transferredOn = isoOfDay(d);
    if (rng.chance(0.7)) {
      push('prosecuted', rng.int(20, 120), 'Khởi tố vụ án');
      prosecutedOn = isoOfDay(d);
      defendants = ring ? rng.int(2, 8) : rng.int(1, 4);
      if (rng.chance(0.6)) push('closed', rng.int(60, 300));
    } else if (rng.chance(0.6)) {
      penalty = penaltyOf(rng, scenario, value, nextDecision);
      push('penalized', rng.int(15, 60), 'Cơ quan điều tra trả hồ sơ, xử phạt hành chính');
      if (rng.chance(0.9)) push('closed', rng.int(10, 90));
    }
  } else {
    penalty = penaltyOf(rng, scenario, value, nextDecision);
    push('penalized', rng.int(5, 45));
    if (rng.chance(0.95)) push('closed', rng.int(10, 90));
  }
  const done = steps.filter((s) => s.day <= last);
  const history = done.map((s, i) => ({ from: i === 0 ? null : done[i - 1]!.to, to: s.to, at: at(s.day), note: s.note }));
  const reached = new Set(done.map((s) => s.to));
  const penaltyStep = done.find((s) => s.to === 'penalized');
  return {
    status: done.at(-1)!.to,
    history,
    penalty: penalty && penaltyStep ? { ...penalty, decidedOn: isoOfDay(penaltyStep.day) } : null,
    transferredOn: reached.has('transferred') ? transferredOn : null,
    prosecutedOn: reached.has('prosecuted') ? prosecutedOn : null,
    defendants: reached.has('prosecuted') ? defendants : 0,
    droppedReason: reached.has('dropped') ? droppedReason : null,
  };
}

/** Fines: VND 2–500 million, larger for larger seizures; confiscation where goods are seized; collections ≤ fine + confiscation. */
function penaltyOf(rng: Rng, scenario: Scenario, value: number, nextDecision: () => number) {
  const fine = Math.min(500_000_000, Math.max(2_000_000, roundNice(value * (0.05 + rng.next() * 0.25) / 500_000) * 500_000));
  const seized = !['TAX_FRAUD', 'INVOICE_FRAUD', 'OTHER'].includes(scenario.type) || scenario.route !== 'INLAND_MARKET';
  const confiscated = seized && scenario.type !== 'TAX_FRAUD' ? roundNice(value * (0.6 + rng.next() * 0.4)) : 0;
  const collected = Math.min(fine + confiscated, roundNice(fine * (0.7 + rng.next() * 0.3) + confiscated * rng.next() * 0.5));
  return { decisionNo: `${nextDecision()}/QĐ-XPHC`, decidedOn: '', fineVnd: fine, confiscatedValueVnd: confiscated, collectedVnd: collected };
}
