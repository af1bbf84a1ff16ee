-- Seized goods custody: warehouses of each unit, custody items created from a case's seizure, their
-- photos, and the append-only, hash-linked chain of custody events of each item (see
-- apps/server/src/features/custody/custody.chain.ts for exactly what is hashed).

CREATE TABLE warehouses (
  id            uuid PRIMARY KEY,
  unit_id       uuid NOT NULL REFERENCES org_units (id),
  code          text NOT NULL,
  name          text NOT NULL,
  address       text,
  active        boolean NOT NULL DEFAULT true,
  created_by    uuid REFERENCES users (id),
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, code)
);

CREATE SEQUENCE custody_item_number_seq;

-- The item and where it is now. state, holder, warehouse and shelf are a projection of its events
-- (kept in step in the same transaction); head_hash and event_count let verification see events
-- removed from the end of a chain.
CREATE TABLE custody_items (
  id                   uuid PRIMARY KEY,
  code                 text NOT NULL UNIQUE,
  case_id              uuid NOT NULL REFERENCES cases (id),
  goods_line_no        integer,
  description          text NOT NULL,
  category             text NOT NULL,
  hs_code              text,
  quantity             numeric CHECK (quantity >= 0),
  unit                 text,
  estimated_value_vnd  bigint CHECK (estimated_value_vnd >= 0),
  seized_on            date NOT NULL,
  state                text NOT NULL DEFAULT 'seized'
                       CHECK (state IN ('seized', 'held', 'in_transit', 'at_testing', 'auctioned', 'destroyed', 'released')),
  first_holder_unit_id uuid NOT NULL REFERENCES org_units (id),
  holder_unit_id       uuid NOT NULL REFERENCES org_units (id),
  -- every unit that has held the item: they keep sight of it (summary access to its case suffices)
  custodian_unit_ids   uuid[] NOT NULL,
  warehouse_id         uuid REFERENCES warehouses (id),
  shelf                text,
  event_count          integer NOT NULL DEFAULT 0,
  head_hash            text NOT NULL,
  created_by           uuid REFERENCES users (id),
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custody_items_case_idx ON custody_items (case_id);
CREATE INDEX custody_items_holder_idx ON custody_items (holder_unit_id, state);
CREATE INDEX custody_items_warehouse_idx ON custody_items (warehouse_id) WHERE warehouse_id IS NOT NULL;

CREATE TABLE custody_item_photos (
  id            uuid PRIMARY KEY,
  item_id       uuid NOT NULL REFERENCES custody_items (id),
  file_name     text NOT NULL,
  mime_type     text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  uploaded_by   uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custody_item_photos_item_idx ON custody_item_photos (item_id);

-- Append-only: each event carries the hash of the item's previous event. Triggers refuse UPDATE,
-- DELETE and TRUNCATE for everyone who does not first disable them (a superuser could; `cordon
-- custody verify` then names the first altered event).
CREATE TABLE custody_events (
  item_id            uuid NOT NULL REFERENCES custody_items (id),
  seq                integer NOT NULL CHECK (seq >= 1),
  id                 uuid NOT NULL UNIQUE,
  kind               text NOT NULL
                     CHECK (kind IN ('received', 'stored', 'transferred', 'sampled', 'returned', 'auctioned', 'destroyed', 'released')),
  at                 timestamptz NOT NULL,
  recorded_at        timestamptz NOT NULL,
  actor_user_id      uuid,
  actor_username     text NOT NULL,
  actor_unit_id      uuid NOT NULL,
  from_unit_id       uuid NOT NULL,
  to_unit_id         uuid NOT NULL,
  warehouse_id       uuid,
  shelf              text,
  place              text,
  document_no        text,
  decision_no        text,
  auction_value_vnd  bigint CHECK (auction_value_vnd >= 0),
  note               text,
  prev_hash          text NOT NULL,
  hash               text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, seq)
);
CREATE INDEX custody_events_at_idx ON custody_events (at);

CREATE FUNCTION custody_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'custody_events is append-only';
END;
$$;
CREATE TRIGGER custody_events_no_update BEFORE UPDATE OR DELETE ON custody_events
  FOR EACH ROW EXECUTE FUNCTION custody_events_refuse_change();
CREATE TRIGGER custody_events_no_truncate BEFORE TRUNCATE ON custody_events
  FOR EACH STATEMENT EXECUTE FUNCTION custody_events_refuse_change();
