-- Alerts raised by rules on incoming events, scoped to the grid where they happened.
-- They name places and figures, never people, so every role in the area (the wall too) may see them.
CREATE TABLE IF NOT EXISTS alerts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('abnormal_temperature', 'red_code', 'positive_result',
                                                 'missed_check', 'overdue_release', 'late_result')),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
  area_code        text NOT NULL REFERENCES areas (code),
  area_path        ltree NOT NULL,
  day              date NOT NULL,
  raised_at        timestamptz NOT NULL,
  -- the event that raised it: a retried event raises nothing new
  source_id        uuid,
  details          jsonb NOT NULL DEFAULT '{}'::jsonb,
  acknowledged_by  text,
  acknowledged_at  timestamptz,
  closed_by        text,
  closed_at        timestamptz,
  note             text,
  UNIQUE (kind, source_id)
);
CREATE INDEX IF NOT EXISTS alerts_area_path_gist ON alerts USING gist (area_path);
CREATE INDEX IF NOT EXISTS alerts_active_idx ON alerts (id DESC) WHERE status <> 'closed';
