-- Daily reports (日报告 / 零报告): who reports (units), by when (deadlines inherited down the
-- hierarchy), one report per unit per day with every correction kept, and the sign-offs.

-- 报送时限: a deadline set on an area holds for every unit under it, unless a nearer area sets its own.
CREATE TABLE IF NOT EXISTS report_deadlines (
  area_code   text PRIMARY KEY REFERENCES areas (code),
  area_path   ltree NOT NULL,
  -- wall-clock time in the city on the report's own day
  deadline    time NOT NULL,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS report_deadlines_path_gist ON report_deadlines USING gist (area_path);

/** The deadline in force for a place: the nearest ancestor's (or its own) setting, 09:00 without one. */
CREATE OR REPLACE FUNCTION report_deadline(p ltree) RETURNS time
LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT d.deadline FROM report_deadlines d WHERE d.area_path @> p
                    ORDER BY nlevel(d.area_path) DESC LIMIT 1), time '09:00')
$$;

-- 报告单位: every community reports by default; a row here makes any other area (or a site) a unit,
-- or takes a community off (active = false). Codes: the area code, or 'site-<id>'.
CREATE TABLE IF NOT EXISTS report_units (
  code        text PRIMARY KEY CHECK (code ~ '^([0-9]{6,16}|site-[0-9]{1,12})$'),
  area_code   text REFERENCES areas (code),
  site_id     bigint REFERENCES sites (id),
  active      boolean NOT NULL DEFAULT true,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((area_code IS NULL) <> (site_id IS NULL)),
  CHECK (area_code IS NULL OR code = area_code),
  CHECK (site_id IS NULL OR code = 'site-' || site_id)
);

-- The units that report today: default communities, area units, and sites that lie in a grid.
-- area_path places the unit (a site: its grid) for scoping and roll-up.
CREATE OR REPLACE VIEW reporting_units AS
SELECT a.code, a.code AS area_code, NULL::bigint AS site_id, a.path AS area_path, a.level AS kind, a.name
  FROM areas a
 WHERE a.level = 'community' AND NOT EXISTS (SELECT 1 FROM report_units u WHERE u.code = a.code)
UNION ALL
SELECT u.code, a.code, NULL::bigint, a.path, a.level, a.name
  FROM report_units u JOIN areas a ON a.code = u.area_code
 WHERE u.active
UNION ALL
SELECT u.code, s.grid_code, s.id, s.area_path, 'site', s.name
  FROM report_units u JOIN sites s ON s.id = u.site_id
 WHERE u.active AND s.area_path IS NOT NULL;

-- 日报: one per unit per day. A resubmission replaces the figures here (version + 1) and is kept in
-- report_versions; timeliness is the first submission's, against the deadline in force then.
CREATE TABLE IF NOT EXISTS daily_reports (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  unit_code           text NOT NULL,
  day                 date NOT NULL,
  area_code           text NOT NULL REFERENCES areas (code),
  area_path           ltree NOT NULL,
  site_id             bigint REFERENCES sites (id),
  zero                boolean NOT NULL,
  figures             jsonb NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  deadline_at         timestamptz NOT NULL,
  first_submitted_at  timestamptz NOT NULL,
  first_submitted_by  text,
  on_time             boolean NOT NULL,
  updated_at          timestamptz NOT NULL,
  updated_by          text,
  -- 审核: the street office, then the district; a correction clears both (they signed other figures)
  street_signed_by    text,
  street_signed_at    timestamptz,
  district_signed_by  text,
  district_signed_at  timestamptz,
  UNIQUE (unit_code, day),
  CHECK (district_signed_at IS NULL OR street_signed_at IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS daily_reports_path_gist ON daily_reports USING gist (area_path);
CREATE INDEX IF NOT EXISTS daily_reports_day_idx ON daily_reports (day);

CREATE TABLE IF NOT EXISTS report_versions (
  report_id      uuid NOT NULL REFERENCES daily_reports (id),
  version        integer NOT NULL,
  zero           boolean NOT NULL,
  figures        jsonb NOT NULL,
  -- client-generated: a retried submission is recognised and changes nothing
  submission_id  uuid NOT NULL UNIQUE,
  -- 'api' or 'sheet' (an uploaded template)
  channel        text NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'sheet')),
  submitted_by   text,
  submitted_at   timestamptz NOT NULL,
  PRIMARY KEY (report_id, version)
);

-- Reminders before the deadline, and escalation after it: to the street office, then the district.
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_kind_check,
  ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('abnormal_temperature', 'red_code', 'positive_result', 'missed_check',
                                                   'overdue_release', 'late_result',
                                                   'report_reminder', 'report_late', 'report_escalated'));
