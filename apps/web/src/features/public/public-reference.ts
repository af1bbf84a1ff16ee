/**
 * The two catalogues the public tip form needs, embedded: the reference API wants a signed-in user, and
 * @cordon/reference's root also carries the file importers (not for a browser). A test
 * (public-reference.test.ts) keeps these rows equal to @cordon/reference.
 */

/** [GSO code, Vietnamese name, English name] of the 34 provinces (2025). */
export const PUBLIC_PROVINCES: readonly (readonly [code: string, nameVi: string, nameEn: string])[] = [
  ['01', 'Hà Nội', 'Hanoi'],
  ['04', 'Cao Bằng', 'Cao Bang'],
  ['08', 'Tuyên Quang', 'Tuyen Quang'],
  ['11', 'Điện Biên', 'Dien Bien'],
  ['12', 'Lai Châu', 'Lai Chau'],
  ['14', 'Sơn La', 'Son La'],
  ['15', 'Lào Cai', 'Lao Cai'],
  ['19', 'Thái Nguyên', 'Thai Nguyen'],
  ['20', 'Lạng Sơn', 'Lang Son'],
  ['22', 'Quảng Ninh', 'Quang Ninh'],
  ['24', 'Bắc Ninh', 'Bac Ninh'],
  ['25', 'Phú Thọ', 'Phu Tho'],
  ['31', 'Hải Phòng', 'Hai Phong'],
  ['33', 'Hưng Yên', 'Hung Yen'],
  ['37', 'Ninh Bình', 'Ninh Binh'],
  ['38', 'Thanh Hóa', 'Thanh Hoa'],
  ['40', 'Nghệ An', 'Nghe An'],
  ['42', 'Hà Tĩnh', 'Ha Tinh'],
  ['44', 'Quảng Trị', 'Quang Tri'],
  ['46', 'Huế', 'Hue'],
  ['48', 'Đà Nẵng', 'Da Nang'],
  ['51', 'Quảng Ngãi', 'Quang Ngai'],
  ['52', 'Gia Lai', 'Gia Lai'],
  ['56', 'Khánh Hòa', 'Khanh Hoa'],
  ['66', 'Đắk Lắk', 'Dak Lak'],
  ['68', 'Lâm Đồng', 'Lam Dong'],
  ['75', 'Đồng Nai', 'Dong Nai'],
  ['79', 'Hồ Chí Minh', 'Ho Chi Minh City'],
  ['80', 'Tây Ninh', 'Tay Ninh'],
  ['82', 'Đồng Tháp', 'Dong Thap'],
  ['86', 'Vĩnh Long', 'Vinh Long'],
  ['91', 'An Giang', 'An Giang'],
  ['92', 'Cần Thơ', 'Can Tho'],
  ['96', 'Cà Mau', 'Ca Mau'],
];

/** [code, Vietnamese name, English name] of the goods categories. */
export const PUBLIC_GOODS: readonly (readonly [code: string, nameVi: string, nameEn: string])[] = [
  ['CIGARETTES', 'Thuốc lá điếu', 'Cigarettes'],
  ['SUGAR', 'Đường cát', 'Sugar'],
  ['PETROLEUM', 'Xăng dầu', 'Petroleum products'],
  ['DRUGS', 'Ma túy', 'Narcotic drugs'],
  ['WILDLIFE', 'Động vật hoang dã và sản phẩm', 'Wildlife and wildlife products'],
  ['MEDICINES', 'Dược phẩm', 'Medicines'],
  ['COSMETICS', 'Mỹ phẩm', 'Cosmetics'],
  ['MILK_FOOD', 'Sữa và thực phẩm', 'Milk and food'],
  ['LIVESTOCK_POULTRY', 'Gia súc, gia cầm và sản phẩm', 'Livestock, poultry and their products'],
  ['GOLD', 'Vàng', 'Gold'],
  ['FOREIGN_CURRENCY', 'Ngoại tệ', 'Foreign currency'],
  ['ELECTRONICS', 'Hàng điện tử, điện lạnh', 'Electronics and appliances'],
  ['GARMENTS_FOOTWEAR', 'Quần áo, giày dép', 'Garments and footwear'],
  ['ALCOHOL', 'Rượu, bia', 'Alcoholic beverages'],
  ['FERTILISER_PESTICIDES', 'Phân bón, thuốc bảo vệ thực vật', 'Fertilisers and pesticides'],
  ['VEHICLES_PARTS', 'Phương tiện và phụ tùng', 'Vehicles and parts'],
  ['OTHER', 'Hàng hóa khác', 'Other goods'],
];
