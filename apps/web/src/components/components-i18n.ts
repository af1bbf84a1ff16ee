/*
 * Strings of the shared staff components (date field, unit picker, file field, tabs, error box, wide tables).
 * Spread into vi.ts / en.ts; the public pages merge them too (public-app.tsx: date and file fields).
 */
export const componentsVi = {
  'date.placeholder': 'dd/mm/yyyy',
  'date.format': 'Nhập ngày theo dạng ngày/tháng/năm, ví dụ 30/11/2026.',
  'date.invalid': 'Ngày không đúng: nhập theo dạng dd/mm/yyyy, ví dụ 30/11/2026.',
  'date.pick': 'Chọn trên lịch',
  'date.required': 'Chưa nhập ngày (dd/mm/yyyy).',
  'date.invalidFormat': 'Ngày không đúng: nhập theo dạng dd/mm/yyyy, ví dụ 30/11/2026.',

  'unitPicker.placeholder': 'Gõ tên hoặc mã đơn vị (gõ không dấu được)',
  'unitPicker.none': 'Không có đơn vị nào khớp.',
  'unitPicker.clear': 'Bỏ chọn {name}',
  'unitPicker.count': '{n} đơn vị khớp; dùng phím mũi tên lên/xuống để chọn.',
  'unitPicker.nothing': '— Không chọn —',
  'unitPicker.national': 'Cơ quan thường trực',
  'unitPicker.other': 'Đơn vị khác',
  'unitPicker.inactive': 'ngừng hoạt động',

  'file.choose': 'Chọn tệp',
  'file.chooseMany': 'Chọn tệp',
  'file.none': 'Chưa chọn tệp',
  'file.drop': 'hoặc kéo thả tệp vào đây',
  'file.dropOne': 'hoặc kéo thả tệp vào đây',
} as const;

export const componentsEn: Record<keyof typeof componentsVi, string> = {
  'date.placeholder': 'dd/mm/yyyy',
  'date.format': 'Enter the date as day/month/year, e.g. 30/11/2026.',
  'date.invalid': 'Not a valid date: enter it as dd/mm/yyyy, e.g. 30/11/2026.',
  'date.pick': 'Pick on a calendar',
  'date.required': 'Enter a date (dd/mm/yyyy).',
  'date.invalidFormat': 'Not a valid date: enter it as dd/mm/yyyy, e.g. 30/11/2026.',

  'unitPicker.placeholder': 'Type a unit name or code (diacritics optional)',
  'unitPicker.none': 'No unit matches.',
  'unitPicker.clear': 'Remove {name}',
  'unitPicker.count': '{n} units match; use the up/down arrow keys to choose.',
  'unitPicker.nothing': '— None —',
  'unitPicker.national': 'Standing office',
  'unitPicker.other': 'Other units',
  'unitPicker.inactive': 'inactive',

  'file.choose': 'Choose file',
  'file.chooseMany': 'Choose files',
  'file.none': 'No file chosen',
  'file.drop': 'or drop files here',
  'file.dropOne': 'or drop a file here',
};
