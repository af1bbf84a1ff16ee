import { GOODS_CATEGORIES, TRANSPORT_ROUTES, VIOLATION_TYPES, foldKey } from '@cordon/reference';
import { SENSITIVITY_LEVELS, SUBJECT_KINDS, SUBJECT_ROLES } from '@cordon/contracts';

/**
 * The case import template: one row per case. The same list drives header matching, the downloadable
 * template, the export's column order and the table in docs/case-import-template.md.
 */
export interface TemplateColumn {
  /** English header, also the field named in an import problem. */
  readonly key: string;
  /** Vietnamese header (what the downloadable template shows). */
  readonly vi: string;
  /** Other spellings accepted in a header. Matching ignores case, diacritics and punctuation. */
  readonly aliases?: readonly string[];
  readonly required?: boolean;
  readonly descriptionVi: string;
  readonly descriptionEn: string;
  readonly example: string;
}

/** Subject roles: code, Vietnamese name, other accepted names (English first). */
export const SUBJECT_ROLE_NAMES: readonly (readonly [(typeof SUBJECT_ROLES)[number], string, ...string[]])[] = [
  ['owner', 'chủ hàng', 'owner of the goods'], ['director', 'giám đốc'], ['legal_representative', 'người đại diện theo pháp luật', 'legal representative', 'người đại diện'],
  ['organiser', 'người tổ chức', 'organizer'], ['financier', 'người cấp vốn'], ['transporter', 'người vận chuyển'], ['driver', 'lái xe', 'tài xế'],
  ['seller', 'người bán'], ['buyer', 'người mua'], ['accomplice', 'đồng phạm'], ['witness', 'người làm chứng'], ['other', 'khác'],
];

const SUBJECT_FIELDS = [
  ['kind', 'loại', 'Loại đối tượng (mã hoặc tên)', 'Kind (code or name)', ['person', 'vehicle']],
  ['role', 'vai trò', `Vai trò trong vụ việc: ${SUBJECT_ROLE_NAMES.map((r) => r[1]).join(', ')} (hoặc mã)`, `Role in the case: ${SUBJECT_ROLE_NAMES.map((r) => r[0]).join(', ')} (or the Vietnamese name)`, ['driver', 'transporter']],
  ['name', 'tên', 'Họ tên, tên doanh nghiệp, biển số, tên tàu…', 'Name of the person or company, vehicle, vessel…', ['Nguyễn Văn Hùng', 'Xe tải Hino']],
  ['id_number', 'CCCD', 'CMND/CCCD: 9 hoặc 12 chữ số', 'ID card: 9 or 12 digits', ['020089001234', '']],
  ['tax_code', 'mã số thuế', 'Mã số thuế: 10 hoặc 13 chữ số', 'Tax code: 10 or 13 digits', ['', '']],
  ['plate', 'biển số', 'Biển kiểm soát', 'Licence plate', ['', '12C-045.67']],
  ['phone', 'điện thoại', '0… hoặc +84…', '0… or +84…', ['0912345678', '']],
] as const;

function subjectColumns(n: 1 | 2): TemplateColumn[] {
  return SUBJECT_FIELDS.map(([field, vi, dVi, dEn, ex]) => ({
    key: `subject${n}_${field}`,
    vi: `Đối tượng ${n} - ${vi}`,
    aliases: [`subject ${n} ${field.replace('_', ' ')}`],
    descriptionVi: `${dVi} (đối tượng ${n})`,
    descriptionEn: `${dEn} (subject ${n})`,
    example: ex[n - 1] ?? '',
  }));
}

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  { key: 'source_ref', vi: 'Số hiệu đơn vị', aliases: ['source reference', 'số hiệu', 'số hồ sơ'], required: true, descriptionVi: 'Số hiệu vụ việc của đơn vị (duy nhất trong đơn vị; nhập lại cùng số hiệu không tạo bản trùng)', descriptionEn: "The unit's own case reference (unique in the unit; importing it again creates no duplicate)", example: 'HQLS-2026-0457' },
  { key: 'title', vi: 'Tiêu đề', required: true, descriptionVi: 'Tiêu đề vụ việc (5–300 ký tự)', descriptionEn: 'Case title (5–300 characters)', example: 'Bắt giữ xe tải chở thuốc lá điếu nhập lậu' },
  { key: 'summary', vi: 'Tóm tắt', aliases: ['nội dung'], descriptionVi: 'Tóm tắt nội dung', descriptionEn: 'Summary', example: 'Xe tải chở 3.000 bao thuốc lá Jet không có hóa đơn' },
  { key: 'violation_type', vi: 'Loại vi phạm', aliases: ['hành vi vi phạm'], required: true, descriptionVi: `Mã hoặc tên: ${VIOLATION_TYPES.map((v) => v.code).join(', ')}`, descriptionEn: 'Code or name (Vietnamese or English) of the violation type', example: 'SMUGGLING' },
  { key: 'detected_on', vi: 'Ngày phát hiện', aliases: ['detected', 'ngày'], required: true, descriptionVi: 'dd/MM/yyyy hoặc yyyy-MM-dd (ô ngày của Excel cũng được)', descriptionEn: 'dd/MM/yyyy or yyyy-MM-dd (an Excel date cell too)', example: '05/10/2026' },
  { key: 'province', vi: 'Tỉnh, thành phố', aliases: ['mã tỉnh', 'province code', 'tỉnh'], required: true, descriptionVi: 'Mã tỉnh 2 chữ số (mã 2025; mã cũ cho vụ trước 01/07/2025) hoặc tên tỉnh', descriptionEn: '2-digit province code (2025; a pre-2025 code for cases before 1 July 2025) or the province name', example: '20' },
  { key: 'ward_code', vi: 'Mã xã, phường', aliases: ['ward'], descriptionVi: 'Mã xã/phường 5 chữ số', descriptionEn: '5-digit ward code', example: '' },
  { key: 'border_gate', vi: 'Cửa khẩu', aliases: ['cửa khẩu, cảng'], descriptionVi: 'Cửa khẩu hoặc cảng', descriptionEn: 'Border gate or port', example: 'Tân Thanh' },
  { key: 'place', vi: 'Địa điểm', descriptionVi: 'Địa điểm phát hiện', descriptionEn: 'Where it was found', example: 'Km 12, QL1A' },
  { key: 'route', vi: 'Tuyến', aliases: ['tuyến vận chuyển', 'phương thức vận chuyển'], descriptionVi: `Mã hoặc tên: ${TRANSPORT_ROUTES.map((r) => r.code).join(', ')}`, descriptionEn: 'Route code or name', example: 'ROAD' },
  { key: 'goods_category', vi: 'Nhóm hàng', aliases: ['category'], descriptionVi: 'Mã hoặc tên nhóm hàng (bắt buộc nếu có dòng hàng)', descriptionEn: 'Goods category code or name (required when there is a goods line)', example: 'CIGARETTES' },
  { key: 'hs_code', vi: 'Mã HS', descriptionVi: '4, 6 hoặc 8 chữ số, có thể có dấu chấm: 2402.20.90', descriptionEn: '4, 6 or 8 digits, optionally dotted: 2402.20.90', example: '2402.20' },
  { key: 'goods_description', vi: 'Mô tả hàng hóa', aliases: ['tên hàng', 'hàng hóa'], descriptionVi: 'Mô tả hàng hóa', descriptionEn: 'Description of the goods', example: 'Thuốc lá điếu Jet' },
  { key: 'quantity', vi: 'Số lượng', descriptionVi: 'Số lượng (1.234,5 hoặc 1234.5)', descriptionEn: 'Quantity (1.234,5 or 1234.5)', example: '3000' },
  { key: 'unit', vi: 'Đơn vị tính', aliases: ['đvt'], descriptionVi: 'kg, bao, chiếc, lít…', descriptionEn: 'kg, packs, pieces, litres…', example: 'bao' },
  { key: 'value_vnd', vi: 'Trị giá (VNĐ)', aliases: ['trị giá', 'giá trị', 'value'], descriptionVi: 'Đồng, số nguyên không âm; 1.234.567 được chấp nhận', descriptionEn: 'Whole dong, not negative; 1.234.567 is accepted', example: '90.000.000' },
  ...subjectColumns(1),
  ...subjectColumns(2),
  { key: 'sensitivity', vi: 'Mức độ', aliases: ['độ mật', 'mức độ mật'], descriptionVi: 'Nội bộ (mặc định) hoặc Hạn chế', descriptionEn: 'internal (default) or restricted', example: 'Nội bộ' },
];

export type ColumnKey = string;

const headerIndex = new Map<string, string>();
for (const c of TEMPLATE_COLUMNS) {
  for (const name of [c.key, c.vi, ...(c.aliases ?? [])]) headerIndex.set(foldKey(name), c.key);
}

/** The template column a header cell names ("Số hiệu đơn vị", "SO HIEU DON VI", "source_ref"), if any. */
export function matchHeader(cell: string): ColumnKey | undefined {
  return headerIndex.get(foldKey(cell));
}

function lookup<T extends string>(entries: readonly (readonly [T, ...string[]])[]): (text: string) => T | undefined {
  const m = new Map<string, T>();
  for (const [code, ...names] of entries) for (const n of [code, ...names]) m.set(foldKey(n), code);
  return (text) => m.get(foldKey(text));
}

/** Cell text → code: each accepts the code itself and the Vietnamese and English names. */
export const valueLookups = {
  violationType: lookup(VIOLATION_TYPES.map((v) => [v.code, v.nameVi, v.nameEn] as const)),
  goodsCategory: lookup(GOODS_CATEGORIES.map((g) => [g.code, g.nameVi, g.nameEn] as const)),
  route: lookup(TRANSPORT_ROUTES.map((r) => [r.code, r.nameVi, r.nameEn] as const)),
  sensitivity: lookup<(typeof SENSITIVITY_LEVELS)[number]>([['internal', 'nội bộ'], ['restricted', 'hạn chế'], ['secret', 'mật', 'tối mật']]),
  subjectKind: lookup<(typeof SUBJECT_KINDS)[number]>([
    ['person', 'cá nhân', 'người'], ['company', 'doanh nghiệp', 'tổ chức', 'công ty'], ['vehicle', 'phương tiện', 'xe'], ['vessel', 'tàu thuyền', 'tàu'],
    ['phone', 'số điện thoại', 'điện thoại'], ['bank_account', 'tài khoản ngân hàng', 'bank account'], ['online_shop', 'gian hàng trực tuyến', 'online shop'],
  ]),
  subjectRole: lookup<(typeof SUBJECT_ROLES)[number]>(SUBJECT_ROLE_NAMES),
};

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** The column table of docs/case-import-template.md (a test keeps the page in step with this list). */
export function templateMarkdownTable(): string {
  const lines = ['| English header | Tiêu đề cột (tiếng Việt) | Required | Meaning | Ý nghĩa | Example |', '|---|---|---|---|---|---|'];
  for (const c of TEMPLATE_COLUMNS) {
    lines.push(`| \`${c.key}\` | ${esc(c.vi)} | ${c.required ? 'yes' : ''} | ${esc(c.descriptionEn)} | ${esc(c.descriptionVi)} | ${c.example ? `\`${esc(c.example)}\`` : ''} |`);
  }
  return lines.join('\n');
}
