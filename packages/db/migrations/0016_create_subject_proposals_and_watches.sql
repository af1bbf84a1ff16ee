-- Issue 7, second part: fuzzy matches wait for an officer, watchlists with alerts.
--
-- The resolver links records that share a valid identifier outright; a scored (fuzzy) link becomes a
-- merge proposal between two case subject records, with its score and per-field reasons. An analyst
-- confirms it (an ordinary, reversible merge: `decision_id`) or rejects it; the pair is unique, so a
-- rejected pair is never proposed again. Existing 'match' memberships written before this migration are
-- separated by the next sync and turn into pending proposals (pinned records stay where analysts put them).

CREATE TABLE subject_proposals (
  id                uuid PRIMARY KEY,
  kind              text NOT NULL,
  -- the two records, ordered (left < right) so one pair has one row
  left_record_id    uuid NOT NULL REFERENCES case_subjects (id) ON DELETE CASCADE,
  right_record_id   uuid NOT NULL REFERENCES case_subjects (id) ON DELETE CASCADE,
  score             double precision NOT NULL,
  weight_bits       double precision NOT NULL,
  explanation       jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- pending: waits for an analyst; confirmed: merged (decision_id); rejected: never proposed again;
  -- superseded: the two records ended up in one subject another way (identifier, analyst merge)
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected', 'superseded')),
  reason            text,
  decided_by        uuid REFERENCES users (id),
  decided_at        timestamptz,
  decision_id       uuid REFERENCES subject_decisions (id),
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (left_record_id < right_record_id),
  UNIQUE (left_record_id, right_record_id)
);
CREATE INDEX subject_proposals_pending_idx ON subject_proposals (score DESC) WHERE status = 'pending';
CREATE INDEX subject_proposals_right_idx ON subject_proposals (right_record_id);

-- A user follows a subject or an identifier key ("ID:001089012345", "PLATE:29A12345", as in
-- cases.subject_keys). Unfollowing keeps the row (removed_at) for the record.
CREATE TABLE subject_watches (
  id              uuid PRIMARY KEY,
  user_id         uuid NOT NULL REFERENCES users (id),
  subject_id      uuid REFERENCES subjects (id),
  identifier_key  text,
  -- what the user saw when following (the subject's name or the identifier as typed), for the list
  label           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  removed_at      timestamptz,
  CHECK ((subject_id IS NULL) <> (identifier_key IS NULL))
);
CREATE UNIQUE INDEX subject_watches_subject_uq ON subject_watches (user_id, subject_id) WHERE removed_at IS NULL AND subject_id IS NOT NULL;
CREATE UNIQUE INDEX subject_watches_key_uq ON subject_watches (user_id, identifier_key) WHERE removed_at IS NULL AND identifier_key IS NOT NULL;
CREATE INDEX subject_watches_key_idx ON subject_watches (identifier_key) WHERE removed_at IS NULL;
CREATE INDEX subject_watches_subject_idx ON subject_watches (subject_id) WHERE removed_at IS NULL;

-- One alert per watch and case: a recorded case names what the watch follows. Whether the watcher
-- sees it is decided when it is read (the case's access may change), never when it is written.
CREATE TABLE subject_watch_alerts (
  id            uuid PRIMARY KEY,
  watch_id      uuid NOT NULL REFERENCES subject_watches (id),
  user_id       uuid NOT NULL REFERENCES users (id),
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  -- the identifier keys of the case that matched
  matched_keys  text[] NOT NULL,
  read_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (watch_id, case_id)
);
CREATE INDEX subject_watch_alerts_user_idx ON subject_watch_alerts (user_id, created_at DESC);
