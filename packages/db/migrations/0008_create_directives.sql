-- Directives of the standing office and their follow-up: tasks assigned to units with deadlines,
-- progress reports, the full history of each task, templates for recurring campaigns; and
-- commendations of units and officers. Deadlines are dates, due at the end of that day in Vietnam.

CREATE TABLE directives (
  id              uuid PRIMARY KEY,
  number          text NOT NULL,                  -- e.g. 40/CĐ-TTg
  issued_on       date NOT NULL,
  issuer          text NOT NULL,                  -- e.g. Thủ tướng Chính phủ
  title           text NOT NULL,
  body            text NOT NULL DEFAULT '',
  -- number, issuer and title folded to lower-case ASCII: search without diacritics
  search_text     text NOT NULL,
  created_by      uuid REFERENCES users (id),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (number, issued_on)
);
CREATE INDEX directives_issued_idx ON directives (issued_on DESC, id DESC);

CREATE TABLE directive_attachments (
  id              uuid PRIMARY KEY,
  directive_id    uuid NOT NULL REFERENCES directives (id) ON DELETE CASCADE,
  file_name       text NOT NULL,
  mime_type       text NOT NULL,                  -- sniffed from the bytes
  size_bytes      integer NOT NULL,
  sha256          text NOT NULL,
  content         bytea NOT NULL,
  uploaded_by     uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directive_attachments_directive_idx ON directive_attachments (directive_id);

-- Reusable sets of tasks (the Lunar New Year peak campaign: before, during, after). `items` is a JSON
-- array of { phase, title, instructions, reportRequirement, priority, offsetDays } where offsetDays
-- counts calendar days from the date chosen when the template is applied.
CREATE TABLE task_templates (
  id              uuid PRIMARY KEY,
  code            text NOT NULL UNIQUE,
  name_vi         text NOT NULL,
  name_en         text NOT NULL,
  description     text NOT NULL DEFAULT '',
  items           jsonb NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  created_by      uuid REFERENCES users (id),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE directive_tasks (
  id                    uuid PRIMARY KEY,
  directive_id          uuid NOT NULL REFERENCES directives (id),
  position              integer NOT NULL,       -- order within the directive
  title                 text NOT NULL,
  instructions          text NOT NULL DEFAULT '',
  -- what the unit must report back (figures, a written report, a list of cases ...)
  report_requirement    text NOT NULL,
  assigned_unit_id      uuid NOT NULL REFERENCES org_units (id),
  deadline              date NOT NULL,          -- due at the end of this day in Asia/Ho_Chi_Minh
  priority              text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'submitted', 'returned', 'accepted', 'cancelled')),
  template_id           uuid REFERENCES task_templates (id),
  phase                 text,                   -- the template's phase (before, during, after)
  -- the latest "done" from the unit; the accepted one decides on time / late
  submitted_at          timestamptz,
  decided_at            timestamptz,            -- accepted or cancelled
  -- set once, when the task is first found overdue: the unit whose head is warned
  escalated_at          timestamptz,
  escalated_to_unit_id  uuid REFERENCES org_units (id),
  created_by            uuid REFERENCES users (id),
  version               integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (directive_id, position)
);
CREATE INDEX directive_tasks_unit_idx ON directive_tasks (assigned_unit_id, status, deadline);
CREATE INDEX directive_tasks_deadline_idx ON directive_tasks (deadline, status);
CREATE INDEX directive_tasks_escalated_idx ON directive_tasks (escalated_to_unit_id) WHERE escalated_to_unit_id IS NOT NULL;

-- Progress reports from the assigned unit: text, figures ([{ label, value, unit }]) and linked cases.
CREATE TABLE directive_task_reports (
  id              uuid PRIMARY KEY,
  task_id         uuid NOT NULL REFERENCES directive_tasks (id),
  body            text NOT NULL,
  figures         jsonb NOT NULL DEFAULT '[]'::jsonb,
  case_ids        uuid[] NOT NULL DEFAULT '{}',
  author_user_id  uuid REFERENCES users (id),
  author_unit_id  uuid REFERENCES org_units (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directive_task_reports_task_idx ON directive_task_reports (task_id, created_at);

-- The full history of a task: created, reported, submitted, accepted, returned, cancelled, escalated.
CREATE TABLE directive_task_events (
  seq             bigserial PRIMARY KEY,
  task_id         uuid NOT NULL REFERENCES directive_tasks (id),
  kind            text NOT NULL CHECK (kind IN ('created', 'report', 'submit', 'accept', 'return', 'cancel', 'escalate')),
  from_status     text,
  to_status       text NOT NULL,
  note            text,
  report_id       uuid REFERENCES directive_task_reports (id),
  by_user_id      uuid REFERENCES users (id),  -- null for the escalation, which the system makes
  at              timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directive_task_events_task_idx ON directive_task_events (task_id, seq);

CREATE TABLE commendations (
  id               uuid PRIMARY KEY,
  decision_number  text NOT NULL,
  decided_on       date NOT NULL,
  level            text NOT NULL CHECK (level IN ('government', 'national_committee', 'ministry', 'province', 'provincial_committee', 'unit')),
  recipient_kind   text NOT NULL CHECK (recipient_kind IN ('unit', 'officer')),
  -- the unit commended, or the officer's unit
  unit_id          uuid NOT NULL REFERENCES org_units (id),
  officer_name     text,
  officer_title    text,
  reason           text NOT NULL,
  case_ids         uuid[] NOT NULL DEFAULT '{}',
  created_by       uuid REFERENCES users (id),
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((recipient_kind = 'officer') = (officer_name IS NOT NULL))
);
CREATE INDEX commendations_unit_idx ON commendations (unit_id, decided_on DESC);
CREATE INDEX commendations_decided_idx ON commendations (decided_on DESC, id DESC);
