-- Screening events (checkpoint and site screening records) and the per-area, per-day roll-up that
-- is maintained in the same statement as each accepted batch.

-- Append-only. Partitioned by the city's local day: old days detach cheaply and the retention of
-- personal data is a partition drop. The client-generated id makes retries idempotent; the key has
-- to include the partition column, and a record's day is fixed by its time, so a retry of the same
-- record always meets its first copy.
CREATE TABLE IF NOT EXISTS screening_events (
  id              uuid NOT NULL,
  day             date NOT NULL,
  at              timestamptz NOT NULL,
  grid_code       text NOT NULL,
  area_path       ltree NOT NULL,
  site_id         bigint,
  temperature     numeric(3, 1) CHECK (temperature IS NULL OR temperature BETWEEN 30 AND 45),
  code_colour     text NOT NULL CHECK (code_colour IN ('green', 'yellow', 'red')),
  outcome         text NOT NULL CHECK (outcome IN ('pass', 'refer', 'deny')),
  -- 行程卡: the itinerary card shows a medium/high-risk area in the last 14 days
  itinerary_flag  boolean NOT NULL DEFAULT false,
  received_by     text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, id)
) PARTITION BY RANGE (day);

-- Creates the day's partition if it is missing. Called outside the ingesting transaction, because
-- DDL inside it would serialise all ingestion. Concurrent callers for the same new day: one creates
-- it, the others find it already there (the lock orders them; the catalog snapshot of a running
-- statement can still miss the first one's table, hence the exception handler).
CREATE OR REPLACE FUNCTION ensure_screening_partition(d date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  partition_name text := format('screening_events_%s', to_char(d, 'YYYYMMDD'));
BEGIN
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('ensure_screening_partition'));
  EXECUTE format('CREATE TABLE %I PARTITION OF screening_events FOR VALUES FROM (%L) TO (%L)', partition_name, d, d + 1);
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  NULL;
END $$;

-- One row per area (every level) and day: reading any area's figures is one primary-key lookup.
-- `version` grows with every change so that clients can drop figures older than what they hold.
CREATE TABLE IF NOT EXISTS area_daily_counts (
  area_code      text NOT NULL REFERENCES areas (code),
  day            date NOT NULL,
  screened       integer NOT NULL DEFAULT 0,
  abnormal_temp  integer NOT NULL DEFAULT 0,
  yellow_code    integer NOT NULL DEFAULT 0,
  red_code       integer NOT NULL DEFAULT 0,
  referred       integer NOT NULL DEFAULT 0,
  denied         integer NOT NULL DEFAULT 0,
  itinerary_flagged integer NOT NULL DEFAULT 0,
  version        bigint NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area_code, day)
);
