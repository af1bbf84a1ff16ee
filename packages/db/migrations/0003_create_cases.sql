-- The inter-agency case registry: cases, goods lines, subjects, status history, attachments,
-- joint-case proposals and import runs. Trigram indexes serve search without diacritics.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SEQUENCE case_number_seq;

CREATE TABLE cases (
  id                      uuid PRIMARY KEY,
  code                    text NOT NULL UNIQUE,
  source_unit_id          uuid NOT NULL REFERENCES org_units (id),
  -- the recording unit's own reference: importing the same row twice finds it here
  source_ref              text,
  title                   text NOT NULL,
  summary                 text NOT NULL DEFAULT '',
  violation_type          text NOT NULL,
  report_group            text NOT NULL CHECK (report_group IN ('smuggling', 'trade_fraud', 'counterfeit')),
  detected_on             date NOT NULL,
  province_code           text NOT NULL,           -- 2025 province
  recorded_province_code  text NOT NULL,           -- as recorded (pre-2025 code for older cases)
  ward_code               text,
  border_gate             text,
  place                   text,
  latitude                double precision,
  longitude               double precision,
  route                   text,
  force_code              text,                    -- the source unit's force, for filters and reports
  lead_unit_id            uuid NOT NULL REFERENCES org_units (id),
  coordinating_unit_ids   uuid[] NOT NULL DEFAULT '{}',
  -- source, lead and coordinating units: need-to-know checks read this one column
  handling_unit_ids       uuid[] NOT NULL,
  sensitivity             text NOT NULL DEFAULT 'internal' CHECK (sensitivity IN ('internal', 'restricted', 'secret')),
  named_user_ids          uuid[] NOT NULL DEFAULT '{}',
  status                  text NOT NULL DEFAULT 'detected',
  status_changed_at       timestamptz NOT NULL,
  penalty_decision_no     text,
  penalty_decided_on      date,
  fine_vnd                bigint NOT NULL DEFAULT 0 CHECK (fine_vnd >= 0),
  confiscated_value_vnd   bigint NOT NULL DEFAULT 0 CHECK (confiscated_value_vnd >= 0),
  collected_vnd           bigint NOT NULL DEFAULT 0 CHECK (collected_vnd >= 0),
  transferred_on          date,
  prosecuted_on           date,
  defendants              integer NOT NULL DEFAULT 0 CHECK (defendants >= 0),
  dropped_reason          text,
  goods_value_vnd         bigint NOT NULL DEFAULT 0,
  goods_categories        text[] NOT NULL DEFAULT '{}',
  hs_codes                text[] NOT NULL DEFAULT '{}',
  -- identifiers of the subjects, normalised (digits only; plates upper-case without separators)
  subject_keys            text[] NOT NULL DEFAULT '{}',
  -- title, summary, place, goods and subjects folded to lower-case ASCII
  search_text             text NOT NULL,
  -- joint cases: members share a group; only the group's primary counts in statistics
  joint_group_id          uuid,
  counts_in_statistics    boolean NOT NULL DEFAULT true,
  import_id               uuid,
  created_by              uuid REFERENCES users (id),
  version                 integer NOT NULL DEFAULT 1,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cases_source_ref_idx ON cases (source_unit_id, source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX cases_detected_idx ON cases (detected_on DESC, id DESC);
CREATE INDEX cases_province_idx ON cases (province_code, detected_on);
CREATE INDEX cases_force_idx ON cases (force_code, detected_on);
CREATE INDEX cases_status_idx ON cases (status);
CREATE INDEX cases_type_idx ON cases (violation_type, detected_on);
CREATE INDEX cases_handling_idx ON cases USING gin (handling_unit_ids);
CREATE INDEX cases_categories_idx ON cases USING gin (goods_categories);
CREATE INDEX cases_subject_keys_idx ON cases USING gin (subject_keys);
CREATE INDEX cases_search_idx ON cases USING gin (search_text gin_trgm_ops);
CREATE INDEX cases_joint_idx ON cases (joint_group_id) WHERE joint_group_id IS NOT NULL;

CREATE TABLE case_goods (
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  line_no       integer NOT NULL,
  category      text NOT NULL,
  hs_code       text,
  description   text NOT NULL,
  quantity      numeric,
  unit          text,
  value_vnd     bigint CHECK (value_vnd >= 0),
  brand         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, line_no)
);
CREATE INDEX case_goods_hs_idx ON case_goods (hs_code text_pattern_ops);

CREATE TABLE case_subjects (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  kind          text NOT NULL,
  role          text NOT NULL,
  name          text NOT NULL,
  id_number     text,
  tax_code      text,
  plate         text,
  imo           text,
  phone         text,
  date_of_birth date,
  address       text,
  nationality   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_subjects_case_idx ON case_subjects (case_id);

CREATE TABLE case_status_history (
  id            bigserial PRIMARY KEY,               -- orders changes made within one instant
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  from_status   text,
  to_status     text NOT NULL,
  at            timestamptz NOT NULL,
  by_user_id    uuid REFERENCES users (id),
  note          text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_status_history_case_idx ON case_status_history (case_id, at);

CREATE TABLE case_attachments (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  file_name     text NOT NULL,
  mime_type     text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  uploaded_by   uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_attachments_case_idx ON case_attachments (case_id);

-- Proposals that two records describe one seizure; confirming puts both in one joint group.
CREATE TABLE case_links (
  id            uuid PRIMARY KEY,
  case_a        uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  case_b        uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  score         double precision NOT NULL,
  reasons       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
  decided_by    uuid REFERENCES users (id),
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (case_a < case_b),
  UNIQUE (case_a, case_b)
);

CREATE TABLE case_imports (
  id            uuid PRIMARY KEY,
  file_name     text NOT NULL,
  sha256        text NOT NULL,
  unit_id       uuid NOT NULL REFERENCES org_units (id),
  user_id       uuid REFERENCES users (id),
  mode          text NOT NULL CHECK (mode IN ('partial', 'all_or_nothing')),
  total_rows    integer NOT NULL DEFAULT 0,
  imported      integer NOT NULL DEFAULT 0,
  duplicates    integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  problems      jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
