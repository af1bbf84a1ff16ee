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

export interface Database {
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
