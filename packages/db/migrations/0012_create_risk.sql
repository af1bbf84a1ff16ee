-- Declaration risk (issue 6): declarations imported through a saved column mapping, their inspection
-- outcomes, versioned models trained on those outcomes, selectivity rules as data, and every score
-- with the channel it gave and why. Customs data: the server lets only Customs units read it.

-- A saved column mapping (the engine's RiskMapping as JSON). Declarations, models and rules belong
-- to one mapping: its feature columns fix the order of `cat` and `num` below.
CREATE TABLE risk_mappings (
  id            uuid PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  mapping       jsonb NOT NULL,
  created_by    uuid REFERENCES users (id),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_imports (
  id            uuid PRIMARY KEY,
  mapping_id    uuid NOT NULL REFERENCES risk_mappings (id),
  file_name     text NOT NULL,
  sha256        text NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('partial', 'all_or_nothing')),
  user_id       uuid NOT NULL REFERENCES users (id),
  total_rows    integer NOT NULL DEFAULT 0,
  imported      integer NOT NULL DEFAULT 0,
  duplicates    integer NOT NULL DEFAULT 0,
  outcomes      integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  -- [{ line, field, reason, message }], the first 10,000
  problems      jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_declarations (
  id            uuid PRIMARY KEY,
  mapping_id    uuid NOT NULL REFERENCES risk_mappings (id),
  -- the declaration's own id (the mapping's "id" column): imports are idempotent by it
  ref           text NOT NULL,
  -- import order: stands in for time when the mapping has no date column
  seq           bigserial NOT NULL,
  declared_on   date,
  office        text NOT NULL DEFAULT '',
  -- the mapping's categorical then numeric columns, in the mapping's order (NULL = missing number)
  cat           text[] NOT NULL,
  num           double precision[] NOT NULL,
  -- every mapped cell as read: { column: text }
  fields        jsonb NOT NULL,
  import_id     uuid REFERENCES risk_imports (id),
  created_by    uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mapping_id, ref)
);
CREATE INDEX risk_declarations_day_idx ON risk_declarations (mapping_id, declared_on);

-- One outcome per declaration (a correction replaces it; version for optimistic locking).
CREATE TABLE risk_outcomes (
  declaration_id  uuid PRIMARY KEY REFERENCES risk_declarations (id),
  found           boolean NOT NULL,
  violation_type  text,
  revenue_vnd     bigint NOT NULL DEFAULT 0 CHECK (revenue_vnd >= 0),
  inspected_on    date,
  note            text,
  recorded_by     uuid REFERENCES users (id),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_models (
  id              uuid PRIMARY KEY,
  mapping_id      uuid NOT NULL REFERENCES risk_mappings (id),
  -- 1, 2, 3 ... per mapping
  seq             integer NOT NULL,
  status          text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'active', 'retired')),
  params          jsonb NOT NULL,
  train_from      date,
  train_to        date,
  train_rows      integer NOT NULL,
  train_positives integer NOT NULL,
  valid_from      date,
  valid_to        date,
  valid_rows      integer NOT NULL DEFAULT 0,
  valid_positives integer NOT NULL DEFAULT 0,
  trees           integer NOT NULL,
  -- validation figures (engine Evaluation: precision/recall/revenue at 1/2/5/10 %, AUC)
  metrics         jsonb,
  -- reference score distribution for drift: { edges: deciles, redCut, yellowCut, mean }
  reference       jsonb NOT NULL,
  -- the engine's saved model (cordon-risk-model/1)
  model           text NOT NULL,
  trained_by      uuid REFERENCES users (id),
  promoted_by     uuid REFERENCES users (id),
  promoted_at     timestamptz,
  retired_at      timestamptz,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mapping_id, seq)
);
-- At most one active model per mapping.
CREATE UNIQUE INDEX risk_models_active_idx ON risk_models (mapping_id) WHERE status = 'active';

-- Training runs off the request: a job record the screen polls.
CREATE TABLE risk_train_jobs (
  id            uuid PRIMARY KEY,
  mapping_id    uuid NOT NULL REFERENCES risk_mappings (id),
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  params        jsonb NOT NULL,
  model_id      uuid REFERENCES risk_models (id),
  error         text,
  requested_by  uuid REFERENCES users (id),
  started_at    timestamptz,
  finished_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Selectivity rules as data: all conditions hold → force a channel, or add a weight (log-odds) to
-- the score. A shadow rule is evaluated and reported but changes nothing.
CREATE TABLE risk_rules (
  id            uuid PRIMARY KEY,
  mapping_id    uuid NOT NULL REFERENCES risk_mappings (id),
  code          text NOT NULL,
  description   text NOT NULL DEFAULT '',
  -- [{ column, op, value }] (engine Condition)
  conditions    jsonb NOT NULL,
  channel       text CHECK (channel IN ('red', 'yellow', 'green')),
  weight        double precision,
  mode          text NOT NULL DEFAULT 'shadow' CHECK (mode IN ('active', 'shadow', 'retired')),
  valid_from    date,
  valid_to      date,
  created_by    uuid REFERENCES users (id),
  updated_by    uuid REFERENCES users (id),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mapping_id, code),
  CHECK ((channel IS NULL) <> (weight IS NULL))
);

-- Every scoring of a declaration: score, channel, and why (top features, rules fired, random share).
CREATE TABLE risk_scores (
  id              uuid PRIMARY KEY,
  declaration_id  uuid NOT NULL REFERENCES risk_declarations (id),
  model_id        uuid NOT NULL REFERENCES risk_models (id),
  -- declarations allocated together (one request, or one office-day of it)
  batch_id        uuid NOT NULL,
  -- probability (0..1) after rule weights
  score           double precision NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('red', 'yellow', 'green')),
  -- rule | random | risk | default
  selected_by     text NOT NULL CHECK (selected_by IN ('rule', 'random', 'risk', 'default')),
  -- { features: [{ column, value, contribution }], rules: [codes fired, active], shadowRules: [codes], forcedBy }
  reasons         jsonb NOT NULL,
  scored_by       uuid REFERENCES users (id),
  scored_at       timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_scores_declaration_idx ON risk_scores (declaration_id, scored_at DESC);
CREATE INDEX risk_scores_at_idx ON risk_scores (scored_at DESC, id);
CREATE INDEX risk_scores_model_idx ON risk_scores (model_id, scored_at);
