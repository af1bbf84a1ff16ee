import type { ColumnType, Generated } from 'kysely';

/** Columns the database fills in: optional on insert, present on select. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrgUnitsTable {
  id: string;
  code: string;
  kind: string;
  parent_id: string | null;
  force_code: string | null;
  province_code: string | null;
  name_vi: string;
  name_en: string;
  search_text: string;
  active: Defaulted<boolean>;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  search_text: string;
  unit_id: string;
  roles: string[];
  locale: Defaulted<string>;
  password_hash: string;
  disabled: Defaulted<boolean>;
  failed_logins: Defaulted<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  password_changed_at: Timestamp;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  user_id: string;
  roles: string[];
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface RecordSharesTable {
  id: string;
  record_type: string;
  record_id: string;
  unit_id: string | null;
  user_id: string | null;
  reason: string;
  granted_by: string | null;
  created_at: Timestamp;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  seq: number;
  at: Date | string;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_unit_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  detail: ColumnType<Record<string, unknown>, string, string>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  created_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

// Reference data loaded by `cordon reference import` (migration 0002).

export interface RefWardsTable {
  code: string;
  name: string;
  type: string;
  name_ascii: string;
  province_code: string;
  merged_from_count: number | null;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefWardsPre2025Table {
  code: string;
  name: string;
  name_ascii: string;
  province_code: string;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefWardCrosswalkTable {
  old_code: string;
  new_code: string;
  old_name: string;
  old_province_code: string;
  new_name: string;
  new_province_code: string;
  is_split: boolean;
  merge_type: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefHsCodesTable {
  code: string;
  level: string;
  parent: string | null;
  name_vi: string;
  name_en: string;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefProvinceShapesTable {
  province_code: string;
  name: string | null;
  /** GeoJSON geometry (Polygon or MultiPolygon); written as a JSON string. */
  geometry: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  label_lon: number | null;
  label_lat: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefBorderGatesTable {
  code: string;
  name: string;
  level: string;
  neighbor_country: string;
  counterpart_gate: string | null;
  counterpart_province: string | null;
  province_code: string;
  latitude: number | null;
  longitude: number | null;
  source_url: string | null;
  provenance: string | null;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefPortsTable {
  code: string;
  kind: string;
  name: string;
  city: string | null;
  province_code: string | null;
  latitude: number;
  longitude: number;
  iata_code: string | null;
  note: string | null;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefCountriesTable {
  alpha2: string;
  alpha3: string;
  numeric_code: string;
  name_en: string;
  name_vi: string;
  continent: string | null;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefImportsTable {
  id: string;
  kind: string;
  file_name: string;
  sha256: string;
  rows_imported: number;
  rows_rejected: number;
  problems: ColumnType<unknown[], string | undefined, string>;
  started_at: Date | string;
  finished_at: Date | string;
  created_at: Timestamp;
}

export interface CasesTable {
  id: string;
  code: string;
  source_unit_id: string;
  source_ref: string | null;
  title: string;
  summary: Defaulted<string>;
  violation_type: string;
  report_group: string;
  detected_on: string;
  province_code: string;
  recorded_province_code: string;
  ward_code: string | null;
  border_gate: string | null;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  route: string | null;
  force_code: string | null;
  lead_unit_id: string;
  coordinating_unit_ids: Defaulted<string[]>;
  handling_unit_ids: string[];
  sensitivity: Defaulted<string>;
  named_user_ids: Defaulted<string[]>;
  status: Defaulted<string>;
  status_changed_at: Date | string;
  penalty_decision_no: string | null;
  penalty_decided_on: string | null;
  fine_vnd: Defaulted<number>;
  confiscated_value_vnd: Defaulted<number>;
  collected_vnd: Defaulted<number>;
  transferred_on: string | null;
  prosecuted_on: string | null;
  defendants: Defaulted<number>;
  dropped_reason: string | null;
  goods_value_vnd: Defaulted<number>;
  goods_categories: Defaulted<string[]>;
  hs_codes: Defaulted<string[]>;
  subject_keys: Defaulted<string[]>;
  search_text: string;
  /** stored by a bulk write, not yet in the trigram index (migration 0006) */
  search_pending: Defaulted<boolean>;
  joint_group_id: string | null;
  counts_in_statistics: Defaulted<boolean>;
  import_id: string | null;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseGoodsTable {
  case_id: string;
  line_no: number;
  category: string;
  hs_code: string | null;
  description: string;
  quantity: string | number | null;
  unit: string | null;
  value_vnd: number | null;
  brand: string | null;
  created_at: Timestamp;
}

export interface CaseSubjectsTable {
  id: string;
  case_id: string;
  position: number;
  kind: string;
  role: string;
  name: string;
  id_number: string | null;
  tax_code: string | null;
  plate: string | null;
  imo: string | null;
  phone: string | null;
  date_of_birth: string | null;
  address: string | null;
  nationality: string | null;
  created_at: Timestamp;
}

export interface CaseStatusHistoryTable {
  id: Generated<number>;
  case_id: string;
  from_status: string | null;
  to_status: string;
  at: Date | string;
  by_user_id: string | null;
  note: string | null;
  created_at: Timestamp;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface CaseLinksTable {
  id: string;
  case_a: string;
  case_b: string;
  score: number;
  reasons: ColumnType<unknown, string, string>;
  status: Defaulted<string>;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Timestamp;
}

/** One side's agreement to a joint-case proposal (migration 0017): joined when both sides agree. */
export interface CaseLinkAgreementsTable {
  link_id: string;
  case_id: string;
  lead_unit_id: string;
  agreed_by: string;
  agreed_at: Date;
  created_at: Timestamp;
}

export interface CaseImportsTable {
  id: string;
  file_name: string;
  sha256: string;
  unit_id: string;
  user_id: string | null;
  mode: string;
  total_rows: Defaulted<number>;
  imported: Defaulted<number>;
  duplicates: Defaulted<number>;
  rejected: Defaulted<number>;
  problems: ColumnType<unknown, string | undefined, string>;
  started_at: Date | string;
  finished_at: Date | string | null;
  created_at: Timestamp;
}

export interface TipsTable {
  id: string;
  receipt: string;
  secret_hash: string;
  channel: string;
  status: Defaulted<string>;
  locale: Defaulted<string>;
  subject: string | null;
  description: string;
  category: string | null;
  province_code: string | null;
  ward_code: string | null;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  occurred_on: string | null;
  event_on: string;
  contact: string | null;
  fold_text: string;
  duplicate_group_id: string;
  refused_files: ColumnType<{ fileName: string; reason: string; message: string }[], string | undefined, string>;
  proposed_unit_id: string | null;
  assigned_unit_id: string | null;
  routing_rule_id: string | null;
  claimed_by: string | null;
  claimed_at: Date | null;
  received_at: Date | string;
  acknowledge_by: Date | string;
  conclude_by: Date | string;
  acknowledged_at: Date | null;
  concluded_at: Date | null;
  close_reason: string | null;
  close_note: string | null;
  case_id: string | null;
  recorded_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TipAttachmentsTable {
  id: string;
  tip_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  metadata_removed: Defaulted<boolean>;
  created_at: Timestamp;
}

export interface TipMessagesTable {
  id: string;
  seq: Generated<number>;
  tip_id: string;
  kind: string;
  body: string;
  author_user_id: string | null;
  at: Date | string;
  created_at: Timestamp;
}

export interface TipRoutingRulesTable {
  id: string;
  province_code: string | null;
  category: string | null;
  unit_id: string;
  mode: Defaulted<string>;
  active: Defaulted<boolean>;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WarehousesTable {
  id: string;
  unit_id: string;
  code: string;
  name: string;
  address: string | null;
  active: Defaulted<boolean>;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustodyItemsTable {
  id: string;
  code: string;
  case_id: string;
  goods_line_no: number | null;
  description: string;
  category: string;
  hs_code: string | null;
  quantity: string | number | null;
  unit: string | null;
  estimated_value_vnd: number | null;
  seized_on: string;
  state: Defaulted<string>;
  first_holder_unit_id: string;
  holder_unit_id: string;
  custodian_unit_ids: string[];
  warehouse_id: string | null;
  shelf: string | null;
  event_count: Defaulted<number>;
  head_hash: string;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustodyItemPhotosTable {
  id: string;
  item_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface CustodyEventsTable {
  item_id: string;
  seq: number;
  id: string;
  kind: string;
  at: Date | string;
  recorded_at: Date | string;
  actor_user_id: string | null;
  actor_username: string;
  actor_unit_id: string;
  from_unit_id: string;
  to_unit_id: string;
  warehouse_id: string | null;
  shelf: string | null;
  place: string | null;
  document_no: string | null;
  decision_no: string | null;
  auction_value_vnd: number | null;
  note: string | null;
  prev_hash: string;
  hash: string;
  created_at: Timestamp;
}

export interface Database {
  cases: CasesTable;
  warehouses: WarehousesTable;
  custody_items: CustodyItemsTable;
  custody_item_photos: CustodyItemPhotosTable;
  custody_events: CustodyEventsTable;
  case_goods: CaseGoodsTable;
  case_subjects: CaseSubjectsTable;
  case_status_history: CaseStatusHistoryTable;
  case_attachments: CaseAttachmentsTable;
  case_links: CaseLinksTable;
  case_link_agreements: CaseLinkAgreementsTable;
  case_imports: CaseImportsTable;
  tips: TipsTable;
  tip_attachments: TipAttachmentsTable;
  tip_messages: TipMessagesTable;
  tip_routing_rules: TipRoutingRulesTable;
  org_units: OrgUnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  record_shares: RecordSharesTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  ref_wards: RefWardsTable;
  ref_wards_pre2025: RefWardsPre2025Table;
  ref_ward_crosswalk: RefWardCrosswalkTable;
  ref_hs_codes: RefHsCodesTable;
  ref_province_shapes: RefProvinceShapesTable;
  ref_border_gates: RefBorderGatesTable;
  ref_ports: RefPortsTable;
  ref_countries: RefCountriesTable;
  ref_imports: RefImportsTable;
}

export type { Generated };

// ---- Directives, tasks, templates and commendations (migration 0008) ----------------------------------
// A second `Database` declaration merges with the one above (TypeScript interface merging).

export interface DirectivesTable {
  id: string;
  number: string;
  issued_on: string;
  issuer: string;
  title: string;
  body: Defaulted<string>;
  search_text: string;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectiveAttachmentsTable {
  id: string;
  directive_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface DirectiveTaskReportAttachmentsTable {
  id: string;
  report_id: string;
  task_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface TaskTemplateItemRow {
  phase: string;
  title: string;
  instructions: string;
  reportRequirement: string;
  priority: string;
  offsetDays: number;
}

export interface TaskTemplatesTable {
  id: string;
  code: string;
  name_vi: string;
  name_en: string;
  description: Defaulted<string>;
  items: ColumnType<TaskTemplateItemRow[], string, string>;
  active: Defaulted<boolean>;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectiveTasksTable {
  id: string;
  directive_id: string;
  position: number;
  title: string;
  instructions: Defaulted<string>;
  report_requirement: string;
  assigned_unit_id: string;
  deadline: string;
  priority: Defaulted<string>;
  status: Defaulted<string>;
  template_id: string | null;
  phase: string | null;
  submitted_at: Date | null;
  decided_at: Date | null;
  escalated_at: Date | null;
  escalated_to_unit_id: string | null;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectiveTaskReportsTable {
  id: string;
  task_id: string;
  body: string;
  figures: ColumnType<{ label: string; value: number; unit: string | null }[], string | undefined, string>;
  case_ids: Defaulted<string[]>;
  author_user_id: string | null;
  author_unit_id: string | null;
  created_at: Timestamp;
}

export interface DirectiveTaskEventsTable {
  seq: Generated<number>;
  task_id: string;
  kind: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
  report_id: string | null;
  by_user_id: string | null;
  at: Date | string;
  created_at: Timestamp;
}

export interface CommendationsTable {
  id: string;
  decision_number: string;
  decided_on: string;
  level: string;
  recipient_kind: string;
  unit_id: string;
  officer_name: string | null;
  officer_title: string | null;
  reason: string;
  case_ids: Defaulted<string[]>;
  created_by: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  directives: DirectivesTable;
  directive_attachments: DirectiveAttachmentsTable;
  task_templates: TaskTemplatesTable;
  directive_tasks: DirectiveTasksTable;
  directive_task_reports: DirectiveTaskReportsTable;
  directive_task_report_attachments: DirectiveTaskReportAttachmentsTable;
  directive_task_events: DirectiveTaskEventsTable;
  commendations: CommendationsTable;
}

// ---- Subjects: resolved entities, memberships with provenance, analyst decisions (migration 0010) ----

export interface SubjectsTable {
  id: string;
  kind: string;
  display_name: string;
  identifiers: string[];
  member_count: number;
  merged_into: string | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SubjectMembersTable {
  case_subject_id: string;
  subject_id: string;
  case_id: string;
  fold_name: string;
  keys: string[];
  rule: string;
  source: string;
  linked_to: string | null;
  score: number | null;
  weight_bits: number | null;
  explanation: ColumnType<unknown, string | null, string | null>;
  joined_at: Date;
  joined_by: string | null;
  pinned: boolean;
  created_at: Timestamp;
}

export interface SubjectDecisionsTable {
  id: string;
  action: string;
  subject_id: string;
  other_subject_id: string;
  case_subject_ids: string[];
  reason: string;
  decided_by: string;
  decided_at: Date;
  reverted_at: Date | null;
  reverted_by: string | null;
  created_at: Timestamp;
}

export interface SubjectSyncRunsTable {
  id: string;
  started_at: Date;
  finished_at: Date;
  started_by: string | null;
  records: number;
  subjects: number;
  changed: number;
  stats: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface Database {
  subjects: SubjectsTable;
  subject_members: SubjectMembersTable;
  subject_decisions: SubjectDecisionsTable;
  subject_sync_runs: SubjectSyncRunsTable;
}

// ---------------------------------------------------------------- subject proposals and watches (0016)

export interface SubjectProposalsTable {
  id: string;
  kind: string;
  left_record_id: string;
  right_record_id: string;
  score: number;
  weight_bits: number;
  explanation: ColumnType<unknown, string, string>;
  status: Defaulted<string>;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_id: string | null;
  version: Defaulted<number>;
  created_at: Timestamp;
}

export interface SubjectWatchesTable {
  id: string;
  user_id: string;
  subject_id: string | null;
  identifier_key: string | null;
  label: string;
  created_at: Timestamp;
  removed_at: Date | null;
}

export interface SubjectWatchAlertsTable {
  id: string;
  watch_id: string;
  user_id: string;
  /** Exactly one of case_id, tip_id, declaration_id (migration 0020). */
  case_id: string | null;
  tip_id: string | null;
  declaration_id: string | null;
  matched_keys: string[];
  read_at: Date | null;
  created_at: Timestamp;
}

export interface Database {
  subject_proposals: SubjectProposalsTable;
  subject_watches: SubjectWatchesTable;
  subject_watch_alerts: SubjectWatchAlertsTable;
}

// ---------------------------------------------------------------- incremental subject sync (0024)

export interface SubjectRecordKeysTable {
  case_subject_id: string;
  kind: string;
  fingerprint: string;
  keys_version: number;
  updated_at: Date;
}

export interface SubjectBlockKeysTable {
  case_subject_id: string;
  kind: string;
  key_group: string;
  sort_key: string;
  ord: string;
}

export interface Database {
  subject_record_keys: SubjectRecordKeysTable;
  subject_block_keys: SubjectBlockKeysTable;
}

// ---------------------------------------------------------------- amounts collected on a case (0029)

export interface CaseCollectionsTable {
  id: Generated<number>;
  case_id: string;
  amount_vnd: number;
  collected_on: string;
  source: 'payment' | 'auction' | 'decision';
  note: string | null;
  custody_item_id: string | null;
  by_user_id: string | null;
  at: Date | string;
  created_at: Timestamp;
}

export interface Database {
  case_collections: CaseCollectionsTable;
}
