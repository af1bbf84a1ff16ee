-- The word keys of migration 0023, computed faster: the same key set for every input (so the existing
-- cases_search_keys_idx stays valid and is not rebuilt), in about two thirds of the time (issue 3, the
-- text index catch-up after an import, where every indexed case evaluates this function once).
--
-- Measured per case on the generated import cases (≈ 550 characters of search text, ≈ 340 keys): the 0023
-- body ≈ 340 µs of backend CPU, this one ≈ 210 µs (5,000 cases, one core). The 0023 body made one row per key through nested
-- FROM-clause generate_series calls, each rescanned per run and per position into a tuplestore; here the
-- set-returning calls sit in the select lists (ProjectSet: value per call, no tuplestore), there is one
-- row per position (a position's 2-, 3- and 4-letter keys are the prefixes of its 4-letter substring:
-- `left(w, 2)`, `left(w, 3)`, `w`; near a run's end these repeat shorter keys, which changes nothing in a
-- GIN index or an `@>` test), and the keys travel as one space-separated string split once by
-- string_to_array. Runs, their 64-letter pieces overlapping by 3, DISTINCT runs, the spelled-out alphabet
-- and the folded code + title for the '_' keys are exactly as in 0023. The result may hold a key more than
-- once and in another order than 0023's array: only the set counts (GIN keeps each key once per case, and
-- every use is `@>`). The test (search-indexer.test.ts) compares the sets with 0023's body on random and
-- Vietnamese texts on both engines.
CREATE OR REPLACE FUNCTION case_search_keys(search_text text, code text, title text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET jit = off AS $fn$
  SELECT coalesce(string_to_array(string_agg(k, ' '), ' '), '{}') FROM (
    SELECT left(w, 2) || ' ' || left(w, 3) || ' ' || w AS k FROM (
      SELECT substr(chunk, generate_series(1, length(chunk) - 1), 4) AS w FROM (
        SELECT substr(run, generate_series(1, greatest(length(run) - 3, 1), 61), 64) AS chunk FROM (
          SELECT DISTINCT regexp_split_to_table(search_text, '[^abcdefghijklmnopqrstuvwxyz]+') AS run) AS r) AS c) AS x
    UNION ALL
    SELECT '_' || left(w, 2) || ' _' || left(w, 3) || ' _' || w FROM (
      SELECT substr(chunk, generate_series(1, length(chunk) - 1), 4) AS w FROM (
        SELECT substr(run, generate_series(1, greatest(length(run) - 3, 1), 61), 64) AS chunk FROM (
          SELECT DISTINCT regexp_split_to_table(lower(translate(regexp_replace(regexp_replace(normalize(code || ' ' || title, NFD), E'[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g'), 'đĐÐ', 'ddd')),
            '[^abcdefghijklmnopqrstuvwxyz]+') AS run) AS r) AS c) AS x
  ) AS y
$fn$;
