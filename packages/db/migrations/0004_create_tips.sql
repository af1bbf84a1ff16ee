-- Public tips (web form, e-mail, hotline) and their triage: messages with the reporter and internal
-- notes, attachments with metadata removed, routing rules, and the link to the case a tip became.
-- No client address or browser fingerprint is stored anywhere here, on purpose.

CREATE TABLE tips (
  id                  uuid PRIMARY KEY,
  -- shown to the reporter: TB-XXXX-XXXX (Crockford base32)
  receipt             text NOT NULL UNIQUE,
  -- SHA-256 (hex) of the reporter's secret; the secret itself is shown once and never stored
  secret_hash         text NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('web', 'email', 'hotline')),
  status              text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'in_progress', 'converted', 'closed')),
  locale              text NOT NULL DEFAULT 'vi',
  subject             text,                       -- e-mail subject
  description         text NOT NULL,              -- kept as text: never rendered as HTML
  category            text,                       -- goods category code
  province_code       text,                       -- 2025 province
  ward_code           text,
  place               text,
  latitude            double precision,
  longitude           double precision,
  occurred_on         date,
  -- the day it happened, else the day it was received (Vietnam): duplicate detection compares this
  event_on            date NOT NULL,
  -- the reporter's contact only if they gave one (for e-mail: the sender address)
  contact             text,
  -- description folded to lower-case ASCII: duplicate detection and search
  fold_text           text NOT NULL,
  -- possible duplicates share a group (the id of the first tip of the group)
  duplicate_group_id  uuid NOT NULL,
  -- attachments refused at intake: [{ fileName, reason, message }]
  refused_files       jsonb NOT NULL DEFAULT '[]'::jsonb,
  proposed_unit_id    uuid REFERENCES org_units (id),
  assigned_unit_id    uuid REFERENCES org_units (id),
  routing_rule_id     uuid,
  claimed_by          uuid REFERENCES users (id),
  claimed_at          timestamptz,
  received_at         timestamptz NOT NULL,
  acknowledge_by      timestamptz NOT NULL,
  conclude_by         timestamptz NOT NULL,
  acknowledged_at     timestamptz,
  concluded_at        timestamptz,
  close_reason        text,
  close_note          text,
  case_id             uuid UNIQUE REFERENCES cases (id),
  recorded_by         uuid REFERENCES users (id), -- the hotline operator
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tips_queue_idx ON tips (received_at DESC, id DESC);
CREATE INDEX tips_province_idx ON tips (province_code, event_on);
CREATE INDEX tips_status_idx ON tips (status, acknowledge_by, conclude_by);
CREATE INDEX tips_assigned_idx ON tips (assigned_unit_id);
CREATE INDEX tips_duplicate_idx ON tips (duplicate_group_id);
CREATE INDEX tips_fold_idx ON tips USING gin (fold_text gin_trgm_ops);

CREATE TABLE tip_attachments (
  id            uuid PRIMARY KEY,
  tip_id        uuid NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
  file_name     text NOT NULL,
  mime_type     text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,                    -- of the stored (cleaned) content
  content       bytea NOT NULL,
  metadata_removed boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tip_attachments_tip_idx ON tip_attachments (tip_id);

-- The conversation: the reporter's messages, public replies, and internal notes (never public).
CREATE TABLE tip_messages (
  id              uuid PRIMARY KEY,
  seq             bigserial NOT NULL,             -- orders messages written within one instant
  tip_id          uuid NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('reporter', 'public_reply', 'internal_note')),
  body            text NOT NULL,
  author_user_id  uuid REFERENCES users (id),
  at              timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tip_messages_tip_idx ON tip_messages (tip_id, seq);

-- Province × goods category → responsible unit. A null province or category matches any.
CREATE TABLE tip_routing_rules (
  id              uuid PRIMARY KEY,
  province_code   text,
  category        text,
  unit_id         uuid NOT NULL REFERENCES org_units (id),
  mode            text NOT NULL DEFAULT 'propose' CHECK (mode IN ('propose', 'assign')),
  active          boolean NOT NULL DEFAULT true,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tip_routing_rules_key_idx ON tip_routing_rules (coalesce(province_code, '*'), coalesce(category, '*'));
