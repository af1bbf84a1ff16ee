import { z } from 'zod';
import { Instant } from './common.js';

// Reference data: the catalogues built into Cordon (provinces, forces, goods, violation types, routes)
// and the tables an administrator loads from official files (wards, HS codes, border gates, ports,
// countries, province outlines). Codes are plain strings here: contracts import nothing internal.

const ProvinceCode = z.string().regex(/^\d{2}$/, 'two-digit GSO code');

export const ProvinceView = z.object({
  code: z.string().describe('GSO code (2025)'),
  name: z.string().describe('Short Vietnamese name: "Hồ Chí Minh"'),
  fullName: z.string().describe('"Thành phố Hồ Chí Minh", "Tỉnh Tuyên Quang"'),
  type: z.enum(['municipality', 'province']),
  nameAscii: z.string(),
  nameEn: z.string(),
  mergedFrom: z.array(z.string()).describe('GSO codes of the pre-2025 provinces merged into it'),
});
export type ProvinceView = z.infer<typeof ProvinceView>;

export const FormerProvinceView = z.object({
  code: z.string().describe('GSO code before 1 July 2025'),
  name: z.string(),
  fullName: z.string(),
  type: z.enum(['municipality', 'province']),
  nameAscii: z.string(),
  successorCode: z.string().describe('GSO code of the 2025 province it is now part of'),
});
export type FormerProvinceView = z.infer<typeof FormerProvinceView>;

export const ProvinceList = z.object({ items: z.array(ProvinceView), former: z.array(FormerProvinceView) });

const Named = { code: z.string(), nameVi: z.string(), nameEn: z.string() };

export const ForceView = z.object({
  ...Named,
  abbreviation: z.string(),
  ministryVi: z.string().nullable(),
  ministryEn: z.string().nullable(),
});
export const ForceList = z.object({ items: z.array(ForceView) });

export const GoodsCategoryView = z.object({ ...Named, hsChapters: z.array(z.string()) });
export const GoodsCategoryList = z.object({ items: z.array(GoodsCategoryView) });

export const REPORT_GROUPS_389 = ['smuggling', 'trade_fraud', 'counterfeit'] as const;
export const ReportGroupView = z.object({ code: z.enum(REPORT_GROUPS_389), nameVi: z.string(), nameEn: z.string() });
export const ViolationTypeView = z.object({ ...Named, group: z.enum(REPORT_GROUPS_389).describe('389 report group') });
export const ViolationTypeList = z.object({ items: z.array(ViolationTypeView), groups: z.array(ReportGroupView) });

export const TransportRouteView = z.object(Named);
export const TransportRouteList = z.object({ items: z.array(TransportRouteView) });

export const WardQuery = z.object({
  province: ProvinceCode.describe('2025 GSO province code'),
  q: z.string().trim().max(100).optional().describe('Part of the name; diacritics optional'),
  limit: z.coerce.number().int().min(1).max(500).default(500),
});
export const WardView = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(['ward', 'commune', 'special_zone']),
  provinceCode: z.string(),
});
export type WardView = z.infer<typeof WardView>;
export const WardList = z.object({ items: z.array(WardView) });

export const HsQuery = z.object({
  q: z.string().trim().min(1).max(100).describe('Code prefix ("8471", "2402.20") or words, diacritics optional'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const HsCodeParams = z.object({ code: z.string().regex(/^\d{2}(\d{2}){0,3}$/, '2, 4, 6 or 8 digits') });
export const HsCodeView = z.object({
  code: z.string(),
  level: z.enum(['chapter', 'heading', 'subheading', 'tariff_line']),
  parent: z.string().nullable(),
  nameVi: z.string(),
  nameEn: z.string(),
});
export type HsCodeView = z.infer<typeof HsCodeView>;
export const HsCodeList = z.object({ items: z.array(HsCodeView) });

export const BorderGateQuery = z.object({ province: ProvinceCode.optional() });
export const BorderGateView = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['international', 'main', 'secondary', 'unknown']),
  neighborCountry: z.string().describe('ISO 3166-1 alpha-2'),
  counterpartGate: z.string().nullable(),
  counterpartProvince: z.string().nullable(),
  provinceCode: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});
export type BorderGateView = z.infer<typeof BorderGateView>;
export const BorderGateList = z.object({ items: z.array(BorderGateView) });

export const PortQuery = z.object({ kind: z.enum(['seaport', 'airport']).optional(), province: ProvinceCode.optional() });
export const PortView = z.object({
  code: z.string().describe('UN/LOCODE (seaports) or ICAO code (airports)'),
  kind: z.enum(['seaport', 'airport']),
  name: z.string(),
  city: z.string().nullable(),
  provinceCode: z.string().nullable(),
  latitude: z.number(),
  longitude: z.number(),
  iataCode: z.string().nullable(),
});
export type PortView = z.infer<typeof PortView>;
export const PortList = z.object({ items: z.array(PortView) });

export const CountryView = z.object({
  alpha2: z.string(),
  alpha3: z.string(),
  numeric: z.string(),
  nameEn: z.string(),
  nameVi: z.string(),
});
export type CountryView = z.infer<typeof CountryView>;
export const CountryList = z.object({ items: z.array(CountryView) });

export const ProvinceShapeFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    labelPoint: z.tuple([z.number(), z.number()]).nullable().describe('[longitude, latitude]'),
  }),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
});
export const ProvinceShapes = z.object({ type: z.literal('FeatureCollection'), features: z.array(ProvinceShapeFeature) });
export type ProvinceShapes = z.infer<typeof ProvinceShapes>;

export const ImportProblemView = z.object({
  line: z.number().int().describe('1-based line (header = 1); feature number for GeoJSON; 0 = the whole file'),
  field: z.string(),
  reason: z.string(),
});
export const ReferenceImportView = z.object({
  id: z.string(),
  kind: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  problems: z.array(ImportProblemView),
  startedAt: Instant,
  finishedAt: Instant,
});
export type ReferenceImportView = z.infer<typeof ReferenceImportView>;
export const ReferenceImportList = z.object({ items: z.array(ReferenceImportView) });
