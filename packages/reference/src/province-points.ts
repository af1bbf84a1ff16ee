/**
 * Approximate label point of each 2025 province (longitude, latitude in degrees, WGS 84): where a map
 * puts its name or a proportional circle when no outlines have been imported. Public facts, rounded to
 * 0.01° (about 1 km), derived from the label points of the 2025 province outlines. Pure data, no imports,
 * so the web app can take it without the rest of the package.
 */
export interface ProvincePoint {
  /** GSO code (2025) */
  code: string;
  /** Short Vietnamese name, for a map label when nothing else names it */
  name: string;
  lon: number;
  lat: number;
}

export const PROVINCE_POINTS: readonly ProvincePoint[] = [
  { code: '01', name: 'Hà Nội', lon: 105.72, lat: 21.01 },
  { code: '04', name: 'Cao Bằng', lon: 106.25, lat: 22.67 },
  { code: '08', name: 'Tuyên Quang', lon: 105.10, lat: 22.49 },
  { code: '11', name: 'Điện Biên', lon: 103.24, lat: 21.73 },
  { code: '12', name: 'Lai Châu', lon: 103.26, lat: 22.35 },
  { code: '14', name: 'Sơn La', lon: 103.97, lat: 21.30 },
  { code: '15', name: 'Lào Cai', lon: 104.32, lat: 22.04 },
  { code: '19', name: 'Thái Nguyên', lon: 105.81, lat: 22.08 },
  { code: '20', name: 'Lạng Sơn', lon: 106.48, lat: 21.84 },
  { code: '22', name: 'Quảng Ninh', lon: 107.18, lat: 21.19 },
  { code: '24', name: 'Bắc Ninh', lon: 106.63, lat: 21.36 },
  { code: '25', name: 'Phú Thọ', lon: 105.25, lat: 20.79 },
  { code: '31', name: 'Hải Phòng', lon: 106.47, lat: 20.88 },
  { code: '33', name: 'Hưng Yên', lon: 106.31, lat: 20.57 },
  { code: '37', name: 'Ninh Bình', lon: 106.04, lat: 20.31 },
  { code: '38', name: 'Thanh Hóa', lon: 105.49, lat: 19.97 },
  { code: '40', name: 'Nghệ An', lon: 104.94, lat: 19.24 },
  { code: '42', name: 'Hà Tĩnh', lon: 105.73, lat: 18.29 },
  { code: '44', name: 'Quảng Trị', lon: 106.82, lat: 16.95 },
  { code: '46', name: 'Huế', lon: 107.51, lat: 16.33 },
  { code: '48', name: 'Đà Nẵng', lon: 107.96, lat: 15.63 },
  { code: '51', name: 'Quảng Ngãi', lon: 107.98, lat: 14.65 },
  { code: '52', name: 'Gia Lai', lon: 108.44, lat: 13.89 },
  { code: '56', name: 'Khánh Hòa', lon: 108.95, lat: 12.07 },
  { code: '66', name: 'Đắk Lắk', lon: 108.32, lat: 12.74 },
  { code: '68', name: 'Lâm Đồng', lon: 107.97, lat: 11.67 },
  { code: '75', name: 'Đồng Nai', lon: 106.99, lat: 11.70 },
  { code: '79', name: 'Hồ Chí Minh', lon: 106.64, lat: 11.16 },
  { code: '80', name: 'Tây Ninh', lon: 106.13, lat: 11.49 },
  { code: '82', name: 'Đồng Tháp', lon: 105.79, lat: 10.41 },
  { code: '86', name: 'Vĩnh Long', lon: 106.29, lat: 10.00 },
  { code: '91', name: 'An Giang', lon: 105.03, lat: 10.32 },
  { code: '92', name: 'Cần Thơ', lon: 105.75, lat: 9.74 },
  { code: '96', name: 'Cà Mau', lon: 105.16, lat: 9.14 },
];
