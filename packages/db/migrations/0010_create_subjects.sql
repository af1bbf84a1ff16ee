-- Subjects (issue 7): the people, companies, vehicles, vessels, phones and online shops that case
-- records name, resolved across agencies into one subject each. Every case_subjects row belongs to one
-- subject; the membership says why (which rule, score and reasons joined it, when, by the resolver or
-- by an analyst). Analysts merge and split subjects; each decision is kept and can be reverted.
-- What a user sees of a subject is built from the member rows of cases they may see in full, so the
-- per-record search fields live on the membership, not on the subject.

CREATE TABLE subjects (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('person', 'company', 'vehicle', 'vessel', 'phone', 'online_shop')),
  -- the most frequent name among its records (for lists; users see names of visible records only)
  display_name  text NOT NULL,
  -- every identifier key of its records ("ID:001089012345", "TAX:0101234567", "PHONE:912345678")
  identifiers   text[] NOT NULL DEFAULT '{}',
  member_count  integer NOT NULL DEFAULT 0,
  -- set when an analyst merged this subject into another (kept, so the merge can be reverted)
  merged_into   uuid REFERENCES subjects (id),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subjects_identifiers_idx ON subjects USING gin (identifiers);
CREATE INDEX subjects_kind_idx ON subjects (kind, member_count DESC);

CREATE TABLE subject_members (
  case_subject_id  uuid PRIMARY KEY REFERENCES case_subjects (id) ON DELETE CASCADE,
  subject_id       uuid NOT NULL REFERENCES subjects (id),
  case_id          uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  -- the record's name folded (no diacritics, lower case) and its identifier keys: search goes through
  -- these, joined to cases the user may see, so a hidden record never makes a subject findable
  fold_name        text NOT NULL,
  keys             text[] NOT NULL DEFAULT '{}',
  -- provenance: 'first' founded the subject; 'identifier' (same valid CCCD, tax code, plate…);
  -- 'match' (scored by the resolver); 'analyst-merge' / 'analyst-split' (a person decided)
  rule             text NOT NULL CHECK (rule IN ('first', 'identifier', 'match', 'analyst-merge', 'analyst-split')),
  source           text NOT NULL CHECK (source IN ('resolver', 'analyst')),
  -- the record it was linked to, the probability (0..1) and bits of that link, and per-field reasons
  linked_to        uuid,
  score            double precision,
  weight_bits      double precision,
  explanation      jsonb,
  joined_at        timestamptz NOT NULL,
  joined_by        uuid REFERENCES users (id),
  -- an analyst placed it: the resolver leaves it where it is
  pinned           boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subject_members_subject_idx ON subject_members (subject_id);
CREATE INDEX subject_members_case_idx ON subject_members (case_id);
CREATE INDEX subject_members_keys_idx ON subject_members USING gin (keys);
CREATE INDEX subject_members_name_idx ON subject_members USING gin (fold_name gin_trgm_ops);

-- Analyst merges and splits: what moved where, why, by whom; reverting moves the records back.
CREATE TABLE subject_decisions (
  id                uuid PRIMARY KEY,
  action            text NOT NULL CHECK (action IN ('merge', 'split')),
  -- merge: the subject kept; split: the subject records were taken from
  subject_id        uuid NOT NULL REFERENCES subjects (id),
  -- merge: the subject merged away; split: the new subject
  other_subject_id  uuid NOT NULL REFERENCES subjects (id),
  case_subject_ids  uuid[] NOT NULL,
  reason            text NOT NULL,
  decided_by        uuid NOT NULL REFERENCES users (id),
  decided_at        timestamptz NOT NULL,
  reverted_at       timestamptz,
  reverted_by       uuid REFERENCES users (id),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subject_decisions_subject_idx ON subject_decisions (subject_id, decided_at DESC);
CREATE INDEX subject_decisions_other_idx ON subject_decisions (other_subject_id);

-- One row per resolver run: when, by whom, what it changed.
CREATE TABLE subject_sync_runs (
  id            uuid PRIMARY KEY,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL,
  started_by    uuid REFERENCES users (id),
  records       integer NOT NULL,
  subjects      integer NOT NULL,
  changed       integer NOT NULL,
  stats         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);
