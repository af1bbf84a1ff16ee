-- Declaration risk (issue 6): per-office scoping inside Customs. Each mapping's customs office codes
-- (the values of its `office` column) are assigned to a Customs org unit. A user of the Customs root
-- unit sees every declaration; a user of a unit below it sees the declarations whose office is
-- assigned to their unit or a unit below it; declarations of an office assigned to no unit are seen
-- by root-level users only. Scoring and training stay mapping-wide (a model learns from all offices).
CREATE TABLE risk_office_units (
  mapping_id   uuid NOT NULL REFERENCES risk_mappings (id),
  -- the office column's value as stored in risk_declarations.office
  office_code  text NOT NULL CHECK (office_code <> ''),
  unit_id      uuid NOT NULL REFERENCES org_units (id),
  assigned_by  uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mapping_id, office_code)
);
CREATE INDEX risk_office_units_unit_idx ON risk_office_units (unit_id);
-- Declarations filtered by office within a mapping (the scoped lists and counts).
CREATE INDEX risk_declarations_office_idx ON risk_declarations (mapping_id, office);
