-- Road network for travel times (server/routing): a directed edge list in the shape pgRouting reads.
-- pgRouting is optional: without it (package missing, or a role that may not create extensions) the
-- migration still applies, the planner uses the great-circle model, and the road-network path
-- reports a clear error.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pgrouting;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pgrouting not available (%): road-network travel times are disabled', SQLERRM;
END
$$;

CREATE TABLE road_edges (
  id bigint PRIMARY KEY,
  source bigint NOT NULL,
  target bigint NOT NULL,
  -- Seconds to drive from source to target; reverse_cost from target to source, negative = one-way
  -- (the pgRouting convention).
  cost double precision NOT NULL CHECK (cost >= 0),
  reverse_cost double precision NOT NULL DEFAULT -1,
  geom geometry(LineString, 4326) NOT NULL,
  CHECK (source <> target)
);

-- Snapping a site to the network is a nearest-edge search (KNN on this index).
CREATE INDEX road_edges_geom_gist ON road_edges USING gist (geom);
CREATE INDEX road_edges_source_idx ON road_edges (source);
CREATE INDEX road_edges_target_idx ON road_edges (target);
