/** Categories of goods that the 389 committees report on. Codes are stored in case goods lines. */
export interface GoodsCategory {
  readonly code: GoodsCategoryCode;
  readonly nameVi: string;
  readonly nameEn: string;
  /** HS chapters where goods of this category usually fall: a hint for suggesting a category, not a rule. */
  readonly hsChapters: readonly string[];
}

export const GOODS_CATEGORY_CODES = [
  'CIGARETTES',
  'SUGAR',
  'PETROLEUM',
  'DRUGS',
  'WILDLIFE',
  'MEDICINES',
  'COSMETICS',
  'MILK_FOOD',
  'LIVESTOCK_POULTRY',
  'GOLD',
  'FOREIGN_CURRENCY',
  'ELECTRONICS',
  'GARMENTS_FOOTWEAR',
  'ALCOHOL',
  'FERTILISER_PESTICIDES',
  'VEHICLES_PARTS',
  'OTHER',
] as const;
export type GoodsCategoryCode = (typeof GOODS_CATEGORY_CODES)[number];

function goods(code: GoodsCategoryCode, nameVi: string, nameEn: string, hsChapters: readonly string[] = []): GoodsCategory {
  return Object.freeze({ code, nameVi, nameEn, hsChapters: Object.freeze([...hsChapters]) });
}

export const GOODS_CATEGORIES: readonly GoodsCategory[] = Object.freeze([
  goods('CIGARETTES', 'Thuốc lá điếu', 'Cigarettes', ['24']),
  goods('SUGAR', 'Đường cát', 'Sugar', ['17']),
  goods('PETROLEUM', 'Xăng dầu', 'Petroleum products', ['27']),
  goods('DRUGS', 'Ma túy', 'Narcotic drugs', ['29']),
  goods('WILDLIFE', 'Động vật hoang dã và sản phẩm', 'Wildlife and wildlife products', ['01', '05']),
  goods('MEDICINES', 'Dược phẩm', 'Medicines', ['30']),
  goods('COSMETICS', 'Mỹ phẩm', 'Cosmetics', ['33']),
  goods('MILK_FOOD', 'Sữa và thực phẩm', 'Milk and food', ['04', '16', '19', '20', '21']),
  goods('LIVESTOCK_POULTRY', 'Gia súc, gia cầm và sản phẩm', 'Livestock, poultry and their products', ['01', '02']),
  goods('GOLD', 'Vàng', 'Gold', ['71']),
  goods('FOREIGN_CURRENCY', 'Ngoại tệ', 'Foreign currency'),
  goods('ELECTRONICS', 'Hàng điện tử, điện lạnh', 'Electronics and appliances', ['84', '85']),
  goods('GARMENTS_FOOTWEAR', 'Quần áo, giày dép', 'Garments and footwear', ['61', '62', '64']),
  goods('ALCOHOL', 'Rượu, bia', 'Alcoholic beverages', ['22']),
  goods('FERTILISER_PESTICIDES', 'Phân bón, thuốc bảo vệ thực vật', 'Fertilisers and pesticides', ['31', '38']),
  goods('VEHICLES_PARTS', 'Phương tiện và phụ tùng', 'Vehicles and parts', ['87']),
  goods('OTHER', 'Hàng hóa khác', 'Other goods'),
]);

const byCode = new Map<string, GoodsCategory>(GOODS_CATEGORIES.map((g) => [g.code, g]));

export function isGoodsCategoryCode(code: string): code is GoodsCategoryCode {
  return byCode.has(code);
}

export function findGoodsCategory(code: string): GoodsCategory | undefined {
  return byCode.get(code);
}
