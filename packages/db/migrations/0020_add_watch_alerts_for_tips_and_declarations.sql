-- Issue 7: watchlist alerts for tips and risk declarations, not only cases.
--
-- An alert now comes from exactly one source: a case, a tip or a declaration. Whether the watcher sees
-- it is still decided when it is read (the case's access rule, the tip's triage scope, Customs risk
-- access), never when it is written.
ALTER TABLE subject_watch_alerts ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE subject_watch_alerts ADD COLUMN tip_id uuid REFERENCES tips (id) ON DELETE CASCADE;
ALTER TABLE subject_watch_alerts ADD COLUMN declaration_id uuid REFERENCES risk_declarations (id) ON DELETE CASCADE;
ALTER TABLE subject_watch_alerts ADD CONSTRAINT subject_watch_alerts_one_source
  CHECK ((case_id IS NOT NULL)::int + (tip_id IS NOT NULL)::int + (declaration_id IS NOT NULL)::int = 1);
CREATE UNIQUE INDEX subject_watch_alerts_tip_uq ON subject_watch_alerts (watch_id, tip_id) WHERE tip_id IS NOT NULL;
CREATE UNIQUE INDEX subject_watch_alerts_declaration_uq ON subject_watch_alerts (watch_id, declaration_id) WHERE declaration_id IS NOT NULL;

-- Declarations reach the table through the import and through scoring (rows scored are kept); a
-- statement trigger sees both. Identifiers of a declaration: the cells of the mapping's categorical
-- columns that are tax codes (10 digits, or 13 for a branch, with spaces, dots or a hyphen allowed),
-- keyed like cases.subject_keys ("TAX:0101234567"). Without any watch it returns at once, so scoring
-- pays one index probe per statement.
CREATE FUNCTION subject_watch_declaration_alerts() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM subject_watches WHERE removed_at IS NULL) THEN
    RETURN NULL;
  END IF;
  WITH cells AS (
    SELECT DISTINCT n.id AS declaration_id, 'TAX:' || regexp_replace(f.value, '[^0-9]', '', 'g') AS key
      FROM watch_new_declarations n
      JOIN risk_mappings m ON m.id = n.mapping_id
      CROSS JOIN LATERAL jsonb_each_text(n.fields) f
     WHERE f.value ~ '^\s*[0-9]{10}([ .-]?[0-9]{3})?\s*$'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(m.mapping -> 'categorical') c WHERE c = f.key)
  ), matched AS (
    SELECT w.id AS watch_id, w.user_id, k.declaration_id, array_agg(DISTINCT k.key) AS keys
      FROM cells k JOIN subject_watches w ON w.identifier_key = k.key AND w.removed_at IS NULL
     GROUP BY w.id, w.user_id, k.declaration_id
    UNION ALL
    SELECT w.id, w.user_id, k.declaration_id, array_agg(DISTINCT k.key)
      FROM subject_watches w
      JOIN subjects s0 ON s0.id = w.subject_id
      JOIN subjects s ON s.id = coalesce(s0.merged_into, s0.id)
      JOIN cells k ON k.key = ANY(s.identifiers)
     WHERE w.subject_id IS NOT NULL AND w.removed_at IS NULL
     GROUP BY w.id, w.user_id, k.declaration_id
  )
  INSERT INTO subject_watch_alerts (id, watch_id, user_id, declaration_id, matched_keys, created_at)
  SELECT gen_random_uuid(), watch_id, user_id, declaration_id, keys, now() FROM matched
  ON CONFLICT (watch_id, declaration_id) WHERE declaration_id IS NOT NULL DO NOTHING;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER subject_watch_declaration_alerts AFTER INSERT ON risk_declarations
  REFERENCING NEW TABLE AS watch_new_declarations
  FOR EACH STATEMENT EXECUTE FUNCTION subject_watch_declaration_alerts();
