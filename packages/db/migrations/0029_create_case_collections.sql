-- Money collected to the state budget on a case, one row per amount: a payment after the penalty decision
-- (POST /api/cases/:id/collections), an auctioned custody item's proceeds, or the amount given in the
-- penalty step itself ('decision'). cases.collected_vnd stays the total (the report sums read it through
-- the case triggers); cases.addCollected and the penalty step write the row and the total in one
-- transaction, so for a case recorded from now on the rows sum to collected_vnd.
CREATE TABLE case_collections (
  id               bigserial PRIMARY KEY,               -- orders amounts recorded within one instant
  case_id          uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  amount_vnd       bigint NOT NULL CHECK (amount_vnd > 0),  -- VND, integer
  collected_on     date NOT NULL,                       -- the day it was paid (Vietnam's calendar)
  source           text NOT NULL CHECK (source IN ('payment', 'auction', 'decision')),
  note             text,
  custody_item_id  uuid REFERENCES custody_items (id),  -- the auctioned item, for source 'auction'
  by_user_id       uuid REFERENCES users (id),
  at               timestamptz NOT NULL,                -- when it was recorded
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_collections_case_idx ON case_collections (case_id, collected_on);

-- History: every amount added before this migration left an audit entry `case.collect` (detail: amountVnd,
-- source 'payment' or 'custody.auction', collectedOn for payments, itemId and eventId for auctions), so
-- those are copied here, in the audit trail's order: the day is the payment's collectedOn, else the
-- auction event's day, else the audit entry's day (Vietnam time, UTC+7, no daylight saving); who is the
-- audit entry's actor. The amount given in the penalty step itself was never audited as an amount (the
-- step's entry holds from/to only) and is not copied: for an older case the rows sum to collected_vnd
-- minus that amount (the API shows the remainder as the decision's, see cases.service.ts `get`).
-- On an empty database (a fresh install, or a restore, which migrates before loading the backup's rows)
-- this inserts nothing, so a restored case_collections never collides with copies made here; a backup
-- taken before this migration restores, then migrates, and gets its rows here.
INSERT INTO case_collections (case_id, amount_vnd, collected_on, source, note, custody_item_id, by_user_id, at, created_at)
SELECT c.id,
       (a.detail->>'amountVnd')::bigint,
       coalesce(
         CASE WHEN a.detail->>'collectedOn' ~ '^\d{4}-\d{2}-\d{2}$' THEN (a.detail->>'collectedOn')::date END,
         ((e.at AT TIME ZONE 'UTC') + interval '7 hours')::date,
         ((a.at AT TIME ZONE 'UTC') + interval '7 hours')::date),
       CASE WHEN a.detail->>'source' = 'payment' THEN 'payment' ELSE 'auction' END,
       nullif(a.detail->>'note', ''),
       i.id,
       u.id,
       a.at,
       a.at
  FROM audit_log a
  JOIN cases c ON c.id::text = a.entity_id
  LEFT JOIN custody_items i ON i.id::text = a.detail->>'itemId'
  LEFT JOIN custody_events e ON e.id::text = a.detail->>'eventId'
  LEFT JOIN users u ON u.id = a.actor_user_id
 WHERE a.action = 'case.collect' AND a.entity_type = 'case' AND a.outcome = 'success'
   AND a.detail->>'amountVnd' ~ '^\d+$' AND (a.detail->>'amountVnd')::bigint > 0
 ORDER BY a.seq;
