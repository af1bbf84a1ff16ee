import { formatDate, formatDateTime, formatNumber, formatVnd, type Locale } from '../../contracts.js';

/**
 * A label per audit action code, in both languages. Kept here rather than in vi.ts/en.ts: the codes are
 * data the server writes (`audit.record({ action: '…' })`), not words of a screen, and
 * audit-labels.test.ts reads the server's and the CLI's sources and fails when a code they can write has
 * no label here, so a new action cannot reach the audit page raw unnoticed. An unknown code (an older
 * server, a row written by hand) falls back to the code itself.
 */
export const AUDIT_ACTION_LABELS: Record<string, { vi: string; en: string }> = {
  'access.denied': { vi: 'Bị từ chối quyền truy cập', en: 'Access denied' },
  'api_token.create': { vi: 'Tạo mã truy cập API', en: 'API token created' },
  'api_token.revoke': { vi: 'Thu hồi mã truy cập API', en: 'API token revoked' },
  'audit.verify': { vi: 'Kiểm tra chuỗi nhật ký', en: 'Audit chain verified' },
  'auth.login': { vi: 'Đăng nhập', en: 'Sign-in' },
  'auth.logout': { vi: 'Đăng xuất', en: 'Sign-out' },
  'auth.password_change': { vi: 'Đổi mật khẩu', en: 'Password changed' },
  'auth.token': { vi: 'Dùng mã truy cập API', en: 'API token used' },
  'case.attachment.add': { vi: 'Đính kèm tệp vào vụ việc', en: 'Case attachment added' },
  'case.attachment.download': { vi: 'Tải tệp đính kèm của vụ việc', en: 'Case attachment downloaded' },
  'case.collect': { vi: 'Ghi nhận số tiền thu của vụ việc', en: 'Case amount collected' },
  'case.create': { vi: 'Ghi nhận vụ việc', en: 'Case recorded' },
  'case.export': { vi: 'Xuất danh sách vụ việc', en: 'Cases exported' },
  'case.import': { vi: 'Nhập vụ việc từ tệp', en: 'Cases imported from a file' },
  'case.import.batch': { vi: 'Nhập một lô vụ việc', en: 'Case import batch' },
  'case.import.start': { vi: 'Bắt đầu nhập vụ việc', en: 'Case import started' },
  'case.joint.join': { vi: 'Vụ việc vào vụ phối hợp', en: 'Case joined a joint case' },
  'case.joint.leave': { vi: 'Vụ việc rời vụ phối hợp', en: 'Case left a joint case' },
  'case.link.agree': { vi: 'Một bên đồng ý vụ phối hợp', en: 'One side agreed to a joint case' },
  'case.link.confirm': { vi: 'Xác nhận vụ phối hợp', en: 'Joint case confirmed' },
  'case.link.propose': { vi: 'Đề xuất vụ phối hợp', en: 'Joint case proposed' },
  'case.link.reject': { vi: 'Bác bỏ đề xuất vụ phối hợp', en: 'Joint case proposal rejected' },
  'case.read': { vi: 'Xem vụ việc hạn chế', en: 'Restricted case read' },
  'case.share': { vi: 'Chia sẻ vụ việc', en: 'Case shared' },
  'case.transition': { vi: 'Chuyển bước xử lý vụ việc', en: 'Case moved to another step' },
  'case.update': { vi: 'Sửa vụ việc', en: 'Case edited' },
  'commendation.create': { vi: 'Ghi nhận khen thưởng', en: 'Commendation recorded' },
  'custody.event': { vi: 'Ghi nhận di chuyển tang vật', en: 'Seized goods movement recorded' },
  'custody.item.create': { vi: 'Đăng ký tang vật', en: 'Seized item registered' },
  'custody.item.update': { vi: 'Sửa tang vật', en: 'Seized item edited' },
  'custody.photo.add': { vi: 'Thêm ảnh tang vật', en: 'Seized item photo added' },
  'custody.warehouse.create': { vi: 'Tạo kho tang vật', en: 'Warehouse created' },
  'custody_item.read': { vi: 'Xem tang vật của vụ việc hạn chế', en: 'Seized item of a restricted case read' },
  'directive.attachment.add': { vi: 'Đính kèm văn bản chỉ đạo', en: 'Directive document attached' },
  'directive.create': { vi: 'Ghi nhận chỉ đạo', en: 'Directive recorded' },
  'directive.tasks.add': { vi: 'Giao nhiệm vụ', en: 'Tasks assigned' },
  'directive.template.apply': { vi: 'Giao nhiệm vụ theo mẫu đợt cao điểm', en: 'Campaign template applied' },
  'directive.update': { vi: 'Sửa chỉ đạo', en: 'Directive edited' },
  'org_unit.create': { vi: 'Tạo đơn vị', en: 'Unit created' },
  'org_unit.update': { vi: 'Sửa đơn vị', en: 'Unit edited' },
  'report.export': { vi: 'Xuất báo cáo tình hình', en: 'Situation report exported' },
  'risk.import': { vi: 'Nhập tờ khai từ tệp', en: 'Declarations imported from a file' },
  'risk.import.batch': { vi: 'Nhập một lô tờ khai', en: 'Declaration import batch' },
  'risk.import.start': { vi: 'Bắt đầu nhập tờ khai', en: 'Declaration import started' },
  'risk.mapping.create': { vi: 'Tạo cách ghép cột', en: 'Column mapping created' },
  'risk.mapping.rename': { vi: 'Đổi tên cách ghép cột', en: 'Column mapping renamed' },
  'risk.model.promote': { vi: 'Đưa mô hình rủi ro vào sử dụng', en: 'Risk model promoted' },
  'risk.model.retire': { vi: 'Ngừng dùng mô hình rủi ro', en: 'Risk model retired' },
  'risk.model.train': { vi: 'Huấn luyện mô hình rủi ro', en: 'Risk model trained' },
  'risk.office.assign': { vi: 'Gán chi cục hải quan', en: 'Customs office assigned' },
  'risk.outcome.bulk': { vi: 'Nhập kết quả kiểm tra hàng loạt', en: 'Inspection outcomes imported' },
  'risk.outcome.correct': { vi: 'Sửa kết quả kiểm tra', en: 'Inspection outcome corrected' },
  'risk.outcome.record': { vi: 'Ghi nhận kết quả kiểm tra', en: 'Inspection outcome recorded' },
  'risk.rule.create': { vi: 'Tạo quy tắc phân luồng', en: 'Selectivity rule created' },
  'risk.rule.update': { vi: 'Sửa quy tắc phân luồng', en: 'Selectivity rule edited' },
  'risk.score': { vi: 'Chấm điểm rủi ro tờ khai', en: 'Declarations scored' },
  'risk.train.request': { vi: 'Yêu cầu huấn luyện mô hình', en: 'Model training requested' },
  'seed.demo': { vi: 'Nạp dữ liệu minh họa', en: 'Demo data loaded' },
  'seed.demo_cases': { vi: 'Nạp vụ việc minh họa', en: 'Demo cases loaded' },
  'seed.directives': { vi: 'Nạp mẫu chỉ đạo', en: 'Directive templates loaded' },
  'seed.organisation': { vi: 'Nạp danh mục đơn vị', en: 'Organisation loaded' },
  'subject.merge': { vi: 'Gộp đối tượng', en: 'Subjects merged' },
  'subject.proposal.confirm': { vi: 'Xác nhận đề xuất gộp đối tượng', en: 'Subject merge proposal confirmed' },
  'subject.proposal.reject': { vi: 'Bác bỏ đề xuất gộp đối tượng', en: 'Subject merge proposal rejected' },
  'subject.read': { vi: 'Xem đối tượng', en: 'Subject read' },
  'subject.revert': { vi: 'Hoàn tác gộp/tách đối tượng', en: 'Subject merge or split undone' },
  'subject.split': { vi: 'Tách đối tượng', en: 'Subject split' },
  'subject.watch.follow': { vi: 'Theo dõi đối tượng', en: 'Subject followed' },
  'subject.watch.unfollow': { vi: 'Bỏ theo dõi đối tượng', en: 'Subject unfollowed' },
  'subjects.sync': { vi: 'Đồng bộ đối tượng từ vụ việc', en: 'Subjects synchronised from cases' },
  'task.accept': { vi: 'Chấp nhận kết quả nhiệm vụ', en: 'Task accepted' },
  'task.attachment.add': { vi: 'Đính kèm tệp vào báo cáo nhiệm vụ', en: 'Task report file attached' },
  'task.attachment.read': { vi: 'Tải tệp của nhiệm vụ', en: 'Task file downloaded' },
  'task.cancel': { vi: 'Hủy nhiệm vụ', en: 'Task cancelled' },
  'task.escalate': { vi: 'Báo nhiệm vụ quá hạn lên lãnh đạo đơn vị', en: 'Overdue task escalated' },
  'task.read': { vi: 'Xem nhiệm vụ', en: 'Task read' },
  'task.report': { vi: 'Báo cáo tiến độ nhiệm vụ', en: 'Task progress reported' },
  'task.return': { vi: 'Trả lại nhiệm vụ', en: 'Task sent back' },
  'task.submit': { vi: 'Báo hoàn thành nhiệm vụ', en: 'Task marked done' },
  'task_template.create': { vi: 'Tạo mẫu đợt cao điểm', en: 'Campaign template created' },
  'tip.assign': { vi: 'Giao tin báo', en: 'Tip assigned' },
  'tip.attachment.download': { vi: 'Tải tệp của tin báo', en: 'Tip file downloaded' },
  'tip.claim': { vi: 'Nhận xử lý tin báo', en: 'Tip claimed' },
  'tip.close': { vi: 'Đóng tin báo', en: 'Tip closed' },
  'tip.convert': { vi: 'Chuyển tin báo thành vụ việc', en: 'Tip converted to a case' },
  'tip.message.reporter': { vi: 'Người báo tin gửi tin nhắn', en: 'Message from the reporter' },
  'tip.note': { vi: 'Ghi chú nội bộ về tin báo', en: 'Internal note on a tip' },
  'tip.read': { vi: 'Xem tin báo', en: 'Tip read' },
  'tip.receive': { vi: 'Tiếp nhận tin báo', en: 'Tip received' },
  'tip.release': { vi: 'Trả tin báo về hàng chờ', en: 'Tip released' },
  'tip.reply': { vi: 'Trả lời người báo tin', en: 'Reply to the reporter' },
  'tip.routing.create': { vi: 'Tạo quy tắc phân tin báo', en: 'Tip routing rule created' },
  'tip.routing.delete': { vi: 'Xóa quy tắc phân tin báo', en: 'Tip routing rule deleted' },
  'tip.routing.update': { vi: 'Sửa quy tắc phân tin báo', en: 'Tip routing rule edited' },
  'tip.status': { vi: 'Đổi trạng thái tin báo', en: 'Tip status changed' },
  'tip.update': { vi: 'Sửa tin báo', en: 'Tip edited' },
  'user.create': { vi: 'Tạo người dùng', en: 'User created' },
  'user.password_reset': { vi: 'Đặt lại mật khẩu người dùng', en: 'User password reset' },
  'user.update': { vi: 'Sửa người dùng', en: 'User edited' },
  'user.update_self': { vi: 'Người dùng sửa thông tin của mình', en: 'User edited own settings' },
};

/** The action's label in the user's language; an unknown code shows as itself. */
export function auditActionLabel(code: string, locale: Locale): string {
  return AUDIT_ACTION_LABELS[code]?.[locale] ?? code;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Items of a list shown before "… (+n)": a batch's case ids would otherwise fill the screen. */
const LIST_MAX = 5;

/** One value of an audit detail, short: days dd/mm/yyyy, instants in Vietnam time, VND amounts and counts in the locale's digits. */
export function formatAuditValue(key: string, value: unknown, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? (locale === 'vi' ? 'có' : 'yes') : locale === 'vi' ? 'không' : 'no';
  // Amounts are `…Vnd` fields everywhere (fine_vnd → fineVnd), integer dong.
  if (typeof value === 'number') return /vnd$/i.test(key) ? formatVnd(value) : formatNumber(value, locale);
  if (typeof value === 'string') {
    if (DAY.test(value)) return formatDate(value, locale);
    if (INSTANT.test(value)) return formatDateTime(value, locale) || value;
    return value;
  }
  if (Array.isArray(value)) {
    const shown = value.slice(0, LIST_MAX).map((v) => formatAuditValue(key, v, locale));
    return value.length > LIST_MAX ? `${shown.join(', ')} … (+${value.length - LIST_MAX})` : shown.join(', ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '—';
    return `{ ${entries.map(([k, v]) => `${k}: ${formatAuditValue(k, v, locale)}`).join(', ')} }`;
  }
  return String(value);
}

/** An audit row's details as "key: value" pairs, in the server's order. */
export function auditDetailLines(detail: Record<string, unknown>, locale: Locale): { key: string; value: string }[] {
  return Object.entries(detail).map(([key, value]) => ({ key, value: formatAuditValue(key, value, locale) }));
}
