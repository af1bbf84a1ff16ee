-- Reference data an administrator loads from official files (`cordon reference import`): wards, the
-- ward crosswalk, the HS nomenclature, province outlines, border gates, ports and countries. The 34
-- provinces, forces, goods categories and violation types live in code (@cordon/reference), not here.
-- Imports upsert by each table's natural key, so rerunning an import (after a crash, or a newer file)
-- never duplicates rows. No foreign keys between these tables: each file loads on its own.
-- `search_text` columns hold names folded by foldVietnamese (lower-case ASCII, đ → d) for accent-free search.

-- Wards, communes and special zones from 1 July 2025 (the tier below the province).
CREATE TABLE ref_wards (
  code              text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
  name              text NOT NULL,
  type              text NOT NULL CHECK (type IN ('ward', 'commune', 'special_zone')),
  name_ascii        text NOT NULL,
  province_code     text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  merged_from_count integer,
  search_text       text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_wards_province_idx ON ref_wards (province_code, name);

-- Commune-level units before 1 July 2025, under the 63 former provinces (codes are pre-2025 GSO codes).
CREATE TABLE ref_wards_pre2025 (
  code              text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
  name              text NOT NULL,
  name_ascii        text NOT NULL,
  province_code     text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  search_text       text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_wards_pre2025_province_idx ON ref_wards_pre2025 (province_code, name);

-- Old ward → 2025 ward; an old ward split between several new ones has one row per new ward.
CREATE TABLE ref_ward_crosswalk (
  old_code          text NOT NULL,
  new_code          text NOT NULL,
  old_name          text NOT NULL,
  old_province_code text NOT NULL,
  new_name          text NOT NULL,
  new_province_code text NOT NULL,
  is_split          boolean NOT NULL,
  merge_type        text NOT NULL CHECK (merge_type IN ('full', 'partial')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (old_code, new_code)
);
CREATE INDEX ref_ward_crosswalk_new_idx ON ref_ward_crosswalk (new_code);

-- HS nomenclature as Viet Nam applies it: chapters (2 digits), headings (4), subheadings (6), tariff lines (8).
CREATE TABLE ref_hs_codes (
  code              text PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2})?)?)?$'),
  level             text NOT NULL CHECK (level IN ('chapter', 'heading', 'subheading', 'tariff_line')),
  parent            text,
  name_vi           text NOT NULL,
  name_en           text NOT NULL,
  search_text       text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_hs_codes_parent_idx ON ref_hs_codes (parent);
-- Prefix search by code ("8471%") uses this index whatever the database collation.
CREATE INDEX ref_hs_codes_code_prefix_idx ON ref_hs_codes (code text_pattern_ops);

-- Province outlines (2025 provinces) for maps. Geometry is a GeoJSON Polygon/MultiPolygon in WGS 84;
-- the label point is where the name goes. Either may arrive first (two files), hence nullable.
CREATE TABLE ref_province_shapes (
  province_code     text PRIMARY KEY CHECK (province_code ~ '^[0-9]{2}$'),
  name              text,
  geometry          jsonb,
  label_lon         double precision,
  label_lat         double precision,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Land border gates. `code` is made from the province and the folded name ("11-tay-trang").
CREATE TABLE ref_border_gates (
  code                 text PRIMARY KEY,
  name                 text NOT NULL,
  level                text NOT NULL CHECK (level IN ('international', 'main', 'secondary', 'unknown')),
  neighbor_country     text NOT NULL CHECK (neighbor_country ~ '^[A-Z]{2}$'),
  counterpart_gate     text,
  counterpart_province text,
  province_code        text NOT NULL,
  latitude             double precision,
  longitude            double precision,
  source_url           text,
  provenance           text,
  search_text          text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_border_gates_province_idx ON ref_border_gates (province_code);

-- Seaports (code = UN/LOCODE) and airports (code = ICAO, else the OurAirports ident).
CREATE TABLE ref_ports (
  code              text PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('seaport', 'airport')),
  name              text NOT NULL,
  city              text,
  province_code     text,
  latitude          double precision NOT NULL,
  longitude         double precision NOT NULL,
  iata_code         text,
  note              text,
  search_text       text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_ports_kind_idx ON ref_ports (kind, province_code);

-- Countries (ISO 3166-1).
CREATE TABLE ref_countries (
  alpha2            text PRIMARY KEY CHECK (alpha2 ~ '^[A-Z]{2}$'),
  alpha3            text NOT NULL UNIQUE,
  numeric_code      text NOT NULL,
  name_en           text NOT NULL,
  name_vi           text NOT NULL,
  continent         text,
  search_text       text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per file import: what was loaded, from which file, when, and what went wrong.
CREATE TABLE ref_imports (
  id                uuid PRIMARY KEY,
  kind              text NOT NULL,
  file_name         text NOT NULL,
  -- SHA-256 of the file's bytes, hex: tells whether the same file was loaded before
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  rows_imported     integer NOT NULL CHECK (rows_imported >= 0),
  rows_rejected     integer NOT NULL CHECK (rows_rejected >= 0),
  -- the first problems, as [{line, field, reason}] (capped: a wholly wrong file can have thousands)
  problems          jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ref_imports_kind_idx ON ref_imports (kind, created_at DESC);
