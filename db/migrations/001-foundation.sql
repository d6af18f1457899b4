-- Foundation: the administrative hierarchy with grids, key sites, risk areas, users and sessions.
-- Geometry is stored in EPSG:4326 (WGS-84) and, for vector tiles, a generated EPSG:3857 copy
-- (transforming per tile request costs 30-40 % of tile time).

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE IF NOT EXISTS areas (
  code          text PRIMARY KEY CHECK (code ~ '^[0-9]{6,16}$'),
  level         text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community', 'grid')),
  parent_code   text REFERENCES areas (code),
  path          ltree NOT NULL,
  name          text NOT NULL,
  name_en       text,
  population    integer CHECK (population IS NULL OR population >= 0),
  -- true where the geometry is generated (streets, communities, grids), not surveyed
  synthetic     boolean NOT NULL DEFAULT false,
  geom          geometry(MultiPolygon, 4326) NOT NULL,
  geom_3857     geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
  label_point   geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
  CHECK ((level = 'city') = (parent_code IS NULL))
);
CREATE INDEX IF NOT EXISTS areas_path_gist ON areas USING gist (path);
CREATE INDEX IF NOT EXISTS areas_parent_idx ON areas (parent_code);
CREATE INDEX IF NOT EXISTS areas_level_idx ON areas (level);
CREATE INDEX IF NOT EXISTS areas_geom_gist ON areas USING gist (geom);
CREATE INDEX IF NOT EXISTS areas_geom_3857_gist ON areas USING gist (geom_3857);

CREATE TABLE IF NOT EXISTS sites (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category            text NOT NULL,
  name                text NOT NULL,
  address             text NOT NULL DEFAULT '',
  geom                geometry(Point, 4326) NOT NULL,
  geom_3857           geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
  -- set by the sites_assign_grid trigger from the geometry, never by a loader
  grid_code           text REFERENCES areas (code),
  area_path           ltree,
  -- weekly schedule: {"mon": [["08:00","18:00"]], ..., "sun": []}
  opening_hours       jsonb NOT NULL DEFAULT '{}'::jsonb,
  responsible_unit    text NOT NULL DEFAULT '',
  responsible_person  text NOT NULL DEFAULT '',
  responsible_phone   text NOT NULL DEFAULT '',
  synthetic           boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sites_geom_gist ON sites USING gist (geom);
CREATE INDEX IF NOT EXISTS sites_geom_3857_gist ON sites USING gist (geom_3857);
CREATE INDEX IF NOT EXISTS sites_area_path_gist ON sites USING gist (area_path);
CREATE INDEX IF NOT EXISTS sites_category_idx ON sites (category);
CREATE INDEX IF NOT EXISTS sites_grid_idx ON sites (grid_code);

CREATE OR REPLACE FUNCTION sites_assign_grid() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT a.code, a.path INTO NEW.grid_code, NEW.area_path
    FROM areas a
   WHERE a.level = 'grid' AND ST_Intersects(a.geom, NEW.geom)
   ORDER BY a.code
   LIMIT 1;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS sites_assign_grid ON sites;
CREATE TRIGGER sites_assign_grid
  BEFORE INSERT OR UPDATE OF geom ON sites
  FOR EACH ROW EXECUTE FUNCTION sites_assign_grid();

CREATE TABLE IF NOT EXISTS risk_areas (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text NOT NULL,
  level          text NOT NULL CHECK (level IN ('low', 'medium', 'high')),
  reason         text NOT NULL DEFAULT '',
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  geom_3857      geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
  -- the coordinate system the polygon was submitted in, before conversion to WGS-84
  source_crs     text NOT NULL DEFAULT 'wgs84' CHECK (source_crs IN ('wgs84', 'gcj02', 'bd09')),
  version        integer NOT NULL DEFAULT 1,
  retired_at     timestamptz,
  created_by     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX IF NOT EXISTS risk_areas_geom_gist ON risk_areas USING gist (geom);
CREATE INDEX IF NOT EXISTS risk_areas_geom_3857_gist ON risk_areas USING gist (geom_3857);

-- Every version of a risk area as it was, written whenever one is created, changed or retired.
CREATE TABLE IF NOT EXISTS risk_area_versions (
  risk_area_id   bigint NOT NULL REFERENCES risk_areas (id),
  version        integer NOT NULL,
  change         text NOT NULL CHECK (change IN ('created', 'updated', 'retired')),
  name           text NOT NULL,
  level          text NOT NULL,
  reason         text NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  source_crs     text NOT NULL,
  changed_by     text,
  changed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (risk_area_id, version)
);

CREATE TABLE IF NOT EXISTS users (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username           text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,64}$'),
  display_name       text NOT NULL,
  password_hash      text NOT NULL,
  role               text NOT NULL CHECK (role IN ('admin', 'command', 'district_official', 'street_official',
                                                   'grid_worker', 'team_leader', 'wall')),
  jurisdiction_code  text NOT NULL REFERENCES areas (code),
  disabled           boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS sessions (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id);

-- Bumped whenever a tile layer's data changes; part of the tile ETag.
CREATE TABLE IF NOT EXISTS layer_versions (
  layer       text PRIMARY KEY,
  version     bigint NOT NULL DEFAULT 1,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO layer_versions (layer)
VALUES ('districts'), ('streets'), ('communities'), ('grids'), ('sites'), ('risk-areas')
ON CONFLICT DO NOTHING;
