-- The report sums' triggers (0011, 0014) cost most of a bulk case write on PostgreSQL (issue 3, import
-- speed). Same results, less work per statement and per row.
--
-- 1. No JIT for the sum statement. `enable_nestloop = off` (0014) adds the planner's disable cost to
--    the statement's unavoidable nested loops (the LATERAL VALUES expansion), so its estimate passes
--    jit_above_cost and every INSERT of cases compiled it with LLVM: 3.6 s of a 4.5 s trigger run for
--    500 imported cases on a loaded box (EXPLAIN ANALYZE via auto_explain). The statement is small and
--    runs once per write; JIT never pays back. (PGlite has no JIT: unchanged there.)
ALTER FUNCTION case_stats_apply() SET jit = off;

-- 2. The restore guard without a PL/pgSQL call per sum row. Rows may enter the sum tables only from the
--    case triggers; the guard of 0011 called a PL/pgSQL function for every row the triggers upsert (five
--    to ten per case) to check `pg_trigger_depth() >= 2` inside it. A WHEN clause is evaluated before
--    any function is called, in the inserting statement's context: depth 1 inside the case triggers, 0
--    for a restore replaying the table, whose rows alone now reach the function, which drops them.
CREATE FUNCTION case_stats_drop_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN NULL;
END
$fn$;

DROP TRIGGER case_stats_guard ON case_stats_monthly;
CREATE TRIGGER case_stats_guard BEFORE INSERT ON case_stats_monthly
  FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION case_stats_drop_row();
DROP TRIGGER case_stats_daily_guard ON case_stats_daily;
CREATE TRIGGER case_stats_daily_guard BEFORE INSERT ON case_stats_daily
  FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION case_stats_drop_row();
