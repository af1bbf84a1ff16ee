/** How goods moved: the route recorded on a case. Codes are stored in cases. */
export interface TransportRoute {
  readonly code: TransportRouteCode;
  readonly nameVi: string;
  readonly nameEn: string;
}

export const TRANSPORT_ROUTE_CODES = [
  'ROAD',
  'SEA',
  'AIR',
  'RAIL',
  'RIVER',
  'COURIER_POST',
  'ECOMMERCE',
  'INLAND_MARKET',
] as const;
export type TransportRouteCode = (typeof TRANSPORT_ROUTE_CODES)[number];

function route(code: TransportRouteCode, nameVi: string, nameEn: string): TransportRoute {
  return Object.freeze({ code, nameVi, nameEn });
}

export const TRANSPORT_ROUTES: readonly TransportRoute[] = Object.freeze([
  route('ROAD', 'Đường bộ', 'Road'),
  route('SEA', 'Đường biển', 'Sea'),
  route('AIR', 'Đường hàng không', 'Air'),
  route('RAIL', 'Đường sắt', 'Rail'),
  route('RIVER', 'Đường sông', 'River'),
  route('COURIER_POST', 'Chuyển phát nhanh, bưu chính', 'Courier and post'),
  route('ECOMMERCE', 'Thương mại điện tử', 'E-commerce'),
  // Goods found in circulation inside the country (markets, shops, warehouses), not at a border.
  route('INLAND_MARKET', 'Thị trường nội địa', 'Inland market'),
]);

const byCode = new Map<string, TransportRoute>(TRANSPORT_ROUTES.map((r) => [r.code, r]));

export function isTransportRouteCode(code: string): code is TransportRouteCode {
  return byCode.has(code);
}

export function findTransportRoute(code: string): TransportRoute | undefined {
  return byCode.get(code);
}
