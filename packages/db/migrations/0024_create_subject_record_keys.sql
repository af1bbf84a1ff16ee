-- Incremental subject sync (issue 7). The resolver's blocking keys per case subject record, so a sync
-- re-resolves only the records that are new or changed since the last run, the records that share a
-- blocking key with them (the pairs a full run would compare) and the subjects those belong to; every
-- other subject and every analyst decision stays as it is.
--
-- No foreign key to case_subjects: when a record is deleted (a case edit replaces its subjects, a case
-- is removed), its keys stay until the next sync, which uses them to find the record's former
-- neighbours and then deletes them.
CREATE TABLE subject_record_keys (
  case_subject_id  uuid PRIMARY KEY,
  kind             text NOT NULL,
  -- md5 of the fields the resolver reads, as the sync computes it in SQL: a different value = changed
  fingerprint      text NOT NULL,
  -- the server's version of the key derivation: keys written by another version are rebuilt by a full run
  keys_version     integer NOT NULL,
  updated_at       timestamptz NOT NULL
);

-- One row per (record, blocking key). Records sharing kind and key_group are compared by the resolver
-- (every pair in small groups, neighbours in (sort_key, ord) order in large ones and in sorted
-- neighbourhoods). sort_key uses byte order ("C"), the order the engine sorts in; ord is the record's
-- place in the sync's order (case code, position, id), which orders equal sort keys in the engine.
CREATE TABLE subject_block_keys (
  case_subject_id  uuid NOT NULL,
  kind             text NOT NULL,
  key_group        text NOT NULL,
  sort_key         text COLLATE "C" NOT NULL,
  ord              text COLLATE "C" NOT NULL
);
CREATE INDEX subject_block_keys_group_idx ON subject_block_keys (kind, key_group, sort_key, ord);
CREATE INDEX subject_block_keys_record_idx ON subject_block_keys (case_subject_id);
