-- The audit append in one round trip (issue 6's latency, and every audited write).
--
-- Before, each append sent three statements in the caller's transaction: the chain's advisory lock,
-- a read of the chain's head, and the insert, with the hashes computed in Node between the second
-- and the third. This function does the three in one call. The head is read by a statement inside
-- the function, which (READ COMMITTED, a VOLATILE function) takes its snapshot after the lock is
-- held, so it sees the previous append's commit.
--
-- The hash is the one `rowHash` (apps/server/src/features/audit/audit.service.ts) computes:
-- sha256 of the canonical JSON array [seq, at, actor_user_id, actor_username, actor_unit_id, action,
-- entity_type, entity_id, outcome, detail, request_id, prev_hash]. Node sends each event's
-- canonical JSON of the ten middle elements joined by commas ("middle"); seq and prev_hash are
-- known only here, and both print the same in SQL as in JSON (an integer; 64 hex digits in quotes).
-- `audit verify` recomputes every hash in Node, so a difference would show there (audit.test.ts).
CREATE FUNCTION audit_append(p_rows jsonb) RETURNS bigint LANGUAGE plpgsql SET jit = off AS $fn$
DECLARE
  v_seq bigint;
  v_prev text;
  v_hash text;
  r jsonb;
BEGIN
  PERFORM pg_advisory_xact_lock(3890002);
  SELECT seq, hash INTO v_seq, v_prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0);
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR r IN SELECT value FROM jsonb_array_elements(p_rows) LOOP
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to('[' || v_seq::text || ',' || (r->>'middle') || ',"' || v_prev || '"]', 'UTF8')), 'hex');
    INSERT INTO audit_log (seq, at, actor_user_id, actor_username, actor_unit_id, action, entity_type, entity_id,
                           outcome, detail, request_id, prev_hash, hash)
    VALUES (v_seq, (r->>'at')::timestamptz, (r->>'actor_user_id')::uuid, r->>'actor_username', (r->>'actor_unit_id')::uuid,
            r->>'action', r->>'entity_type', r->>'entity_id', r->>'outcome', r->'detail', r->>'request_id', v_prev, v_hash);
    v_prev := v_hash;
  END LOOP;
  RETURN v_seq;
END
$fn$;
