-- Organisation, users, sessions, API tokens, explicit shares and the hash-chained audit trail.
-- Runs on PostgreSQL 15 and PGlite (PostgreSQL 18): nothing newer than 15 is used.

CREATE TABLE org_units (
  id            uuid PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('national_office', 'force', 'provincial_committee', 'unit')),
  parent_id     uuid REFERENCES org_units (id),
  force_code    text,
  province_code text,
  name_vi       text NOT NULL,
  name_en       text NOT NULL,
  -- names folded to lower-case ASCII (diacritics and đ removed) for search without accents
  search_text   text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);

CREATE TABLE users (
  id              uuid PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  search_text     text NOT NULL,
  unit_id         uuid NOT NULL REFERENCES org_units (id),
  roles           text[] NOT NULL,
  locale          text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi', 'en')),
  password_hash   text NOT NULL,
  disabled        boolean NOT NULL DEFAULT false,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  last_login_at   timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_unit_idx ON users (unit_id);

-- Server-side sessions: the cookie carries a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  user_id       uuid NOT NULL REFERENCES users (id),
  roles         text[] NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  prefix        text NOT NULL,
  created_by    uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);

-- Explicit need-to-know shares of one record (a case, later a tip or a subject) with a unit or a user.
CREATE TABLE record_shares (
  id            uuid PRIMARY KEY,
  record_type   text NOT NULL,
  record_id     uuid NOT NULL,
  unit_id       uuid REFERENCES org_units (id),
  user_id       uuid REFERENCES users (id),
  reason        text NOT NULL,
  granted_by    uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  CHECK ((unit_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX record_shares_record_idx ON record_shares (record_type, record_id);

-- Append-only audit trail. Each row carries the hash of the previous row; see audit.service.ts for
-- exactly what is hashed. Triggers refuse UPDATE and DELETE for everyone who does not first disable
-- them (a superuser could; verification then finds the break).
CREATE TABLE audit_log (
  seq             bigint PRIMARY KEY,
  at              timestamptz NOT NULL,
  actor_user_id   uuid,
  actor_username  text,
  actor_unit_id   uuid,
  action          text NOT NULL,
  entity_type     text,
  entity_id       text,
  outcome         text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id      text,
  prev_hash       text NOT NULL,
  hash            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_username, seq);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
