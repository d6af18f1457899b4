-- People under management, quarantine and monitoring cases, temperature checks, nucleic-acid tests,
-- and the live figures they feed. Personal data lives in `people` only; every other table refers
-- to a person by id, so masking and retention have one place to act.

-- 人员: the registry of people under management. `grid_code` is where they live (the home grid);
-- every figure about them is counted there, and every read is scoped by `area_path`.
CREATE TABLE IF NOT EXISTS people (
  id               uuid PRIMARY KEY,
  name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
  id_type          text NOT NULL DEFAULT 'resident_id' CHECK (id_type IN ('resident_id', 'passport', 'other')),
  id_number        text NOT NULL CHECK (char_length(id_number) BETWEEN 4 AND 32),
  phone            text CHECK (phone IS NULL OR phone ~ '^[0-9+ -]{5,20}$'),
  address          text CHECK (address IS NULL OR char_length(address) <= 200),
  grid_code        text NOT NULL REFERENCES areas (code),
  area_path        ltree NOT NULL,
  category         text NOT NULL CHECK (category IN ('big_data_check', 'overseas_arrival', 'risk_area_arrival',
                                                     'out_of_province_returnee', 'close_contact', 'secondary_contact',
                                                     'fever_clinic_referral', 'other')),
  health_code      text NOT NULL DEFAULT 'green' CHECK (health_code IN ('green', 'yellow', 'red')),
  -- the day they arrived in the city (arrivals and returnees), the local day
  arrived_on       date,
  origin           text CHECK (origin IS NULL OR char_length(origin) <= 200),
  -- their travel in the 14 days before arrival touched a medium- or high-risk area (set on registration)
  risk_area_level  text CHECK (risk_area_level IN ('medium', 'high')),
  note             text CHECK (note IS NULL OR char_length(note) <= 1000),
  created_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id_type, id_number)
);
CREATE INDEX IF NOT EXISTS people_area_path_gist ON people USING gist (area_path);
CREATE INDEX IF NOT EXISTS people_category_idx ON people (category, arrived_on);

-- 行程: where a person was, day by day. A stop may name a risk area, carry a position, or both.
CREATE TABLE IF NOT EXISTS person_travel (
  person_id     uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  from_day      date NOT NULL,
  to_day        date NOT NULL CHECK (to_day >= from_day),
  place         text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 200),
  position      geometry(Point, 4326),
  risk_area_id  bigint REFERENCES risk_areas (id),
  PRIMARY KEY (person_id, seq)
);

-- The configurable catalogue of regimes ("7+7", ...). `phases` is an ordered JSON array of
-- { "kind": centralised|home_quarantine|home_monitoring, "days": n, "testDays": [day numbers] }.
CREATE TABLE IF NOT EXISTS quarantine_regimes (
  code        text PRIMARY KEY CHECK (char_length(code) BETWEEN 1 AND 40),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  phases      jsonb NOT NULL CHECK (jsonb_typeof(phases) = 'array' AND jsonb_array_length(phases) BETWEEN 1 AND 5),
  total_days  integer NOT NULL CHECK (total_days BETWEEN 1 AND 60),
  active      boolean NOT NULL DEFAULT true,
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO quarantine_regimes (code, name_zh, name_en, phases, total_days) VALUES
  ('7+7', '7天集中隔离+7天居家隔离', '7 days centralised + 7 days home quarantine',
   '[{"kind":"centralised","days":7,"testDays":[1,4,7]},{"kind":"home_quarantine","days":7,"testDays":[3,7]}]', 14),
  ('7+2', '7天集中隔离+2天居家健康监测', '7 days centralised + 2 days home health monitoring',
   '[{"kind":"centralised","days":7,"testDays":[1,4,7]},{"kind":"home_monitoring","days":2,"testDays":[2]}]', 9),
  ('14-home', '14天居家医学观察', '14-day home observation',
   '[{"kind":"home_quarantine","days":14,"testDays":[1,4,7,14]}]', 14),
  ('14+7', '出院后14天集中隔离+7天居家健康监测', '14 days centralised after discharge + 7 days home monitoring',
   '[{"kind":"centralised","days":14,"testDays":[1,7,14]},{"kind":"home_monitoring","days":7,"testDays":[2,7]}]', 21),
  ('7-monitor', '7天居家健康监测', '7-day home health monitoring',
   '[{"kind":"home_monitoring","days":7,"testDays":[1,3,7]}]', 7)
ON CONFLICT (code) DO NOTHING;

-- Which regime to suggest for an arrival whose travel touched a risk area of this level.
-- A suggestion only: the worker confirms or picks another regime.
CREATE TABLE IF NOT EXISTS arrival_policies (
  risk_level   text PRIMARY KEY CHECK (risk_level IN ('medium', 'high')),
  regime_code  text NOT NULL REFERENCES quarantine_regimes (code),
  updated_by   text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO arrival_policies (risk_level, regime_code) VALUES ('high', '7+7'), ('medium', '14-home')
ON CONFLICT (risk_level) DO NOTHING;

-- 隔离/监测 cases. The current state is kept here; every change is an event in case_events.
-- A case is counted in the person's home grid (the community that answers for them, 五包一).
CREATE TABLE IF NOT EXISTS quarantine_cases (
  id                 uuid PRIMARY KEY,
  person_id          uuid NOT NULL REFERENCES people (id),
  regime_code        text NOT NULL REFERENCES quarantine_regimes (code),
  -- the regime's phases as they were when the case started: a later catalogue edit changes no case
  phases             jsonb NOT NULL,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'transferred')),
  phase_index        integer NOT NULL DEFAULT 0,
  kind               text NOT NULL CHECK (kind IN ('centralised', 'home_quarantine', 'home_monitoring')),
  start_day          date NOT NULL,
  phase_end          date NOT NULL,
  planned_end        date NOT NULL CHECK (planned_end >= start_day),
  -- the hotel for centralised phases
  place_site_id      bigint REFERENCES sites (id),
  grid_code          text NOT NULL REFERENCES areas (code),
  area_path          ltree NOT NULL,
  -- 五包一: { streetCadre, communityWorker, gridWorker, medic, police }, each { name, phone }
  responsible        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ended_at           timestamptz,
  release_notice_no  text,
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS quarantine_cases_area_path_gist ON quarantine_cases USING gist (area_path);
CREATE INDEX IF NOT EXISTS quarantine_cases_person_idx ON quarantine_cases (person_id);
CREATE INDEX IF NOT EXISTS quarantine_cases_active_end_idx ON quarantine_cases (planned_end) WHERE status = 'active';
-- one open case per person
CREATE UNIQUE INDEX IF NOT EXISTS quarantine_cases_one_active ON quarantine_cases (person_id) WHERE status = 'active';

-- Append-only history of each case. `from_kind`/`to_kind` say which measure the person left and
-- entered on `day`: the figures of people under each measure are rebuilt from these alone.
CREATE TABLE IF NOT EXISTS case_events (
  id                  uuid PRIMARY KEY,
  case_id             uuid NOT NULL REFERENCES quarantine_cases (id),
  seq                 integer NOT NULL,
  type                text NOT NULL CHECK (type IN ('start', 'next_phase', 'extend', 'release', 'transfer')),
  at                  timestamptz NOT NULL,
  day                 date NOT NULL,
  from_kind           text CHECK (from_kind IN ('centralised', 'home_quarantine', 'home_monitoring')),
  to_kind             text CHECK (to_kind IN ('centralised', 'home_quarantine', 'home_monitoring')),
  planned_end_before  date,
  planned_end_after   date,
  details             jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_by         text,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, seq)
);
CREATE INDEX IF NOT EXISTS case_events_day_idx ON case_events (day);

-- 体温: twice a day (morning, afternoon) for people under home measures.
CREATE TABLE IF NOT EXISTS temperature_checks (
  id           uuid PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES quarantine_cases (id),
  at           timestamptz NOT NULL,
  day          date NOT NULL,
  slot         text NOT NULL CHECK (slot IN ('morning', 'afternoon')),
  temperature  numeric(3, 1) NOT NULL CHECK (temperature BETWEEN 30 AND 45),
  symptoms     text CHECK (symptoms IS NULL OR char_length(symptoms) <= 200),
  recorded_by  text,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS temperature_checks_case_day_idx ON temperature_checks (case_id, day, slot);

-- 核酸: a sample, and (later, once) its result. Both append-only; a result is its own row.
CREATE TABLE IF NOT EXISTS nucleic_tests (
  id           uuid PRIMARY KEY,
  sampled_at   timestamptz NOT NULL,
  sample_day   date NOT NULL,
  grid_code    text NOT NULL REFERENCES areas (code),
  area_path    ltree NOT NULL,
  site_id      bigint REFERENCES sites (id),
  person_id    uuid REFERENCES people (id),
  risk_group   boolean NOT NULL DEFAULT false,
  -- sampled_at + 12 h, or + 6 h for risk groups
  due_at       timestamptz NOT NULL,
  received_by  text,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS nucleic_tests_area_path_gist ON nucleic_tests USING gist (area_path);
CREATE INDEX IF NOT EXISTS nucleic_tests_due_idx ON nucleic_tests (due_at);

CREATE TABLE IF NOT EXISTS nucleic_results (
  test_id      uuid PRIMARY KEY REFERENCES nucleic_tests (id),
  resulted_at  timestamptz NOT NULL,
  result_day   date NOT NULL,
  result       text NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
  on_time      boolean NOT NULL,
  received_by  text,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS nucleic_results_day_idx ON nucleic_results (result_day);

-- The new daily figures. Flows only: people under a measure on a day are the running sum of the
-- `*_in - *_out` flows up to that day, so history stays exact when an event is back-dated.
ALTER TABLE area_daily_counts
  ADD COLUMN IF NOT EXISTS tests_sampled         integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS tests_resulted        integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS tests_positive        integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS results_on_time       integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centralised_in        integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS centralised_out       integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS home_quarantine_in    integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS home_quarantine_out   integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS home_monitoring_in    integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS home_monitoring_out   integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS cases_started         integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS released              integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS transferred           integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS missed_checks         integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS risk_area_arrivals    integer NOT NULL DEFAULT 0;

-- Adds counter deltas for grids' paths and days to every level above them, in one upsert.
-- p_deltas[i] is a JSON object of column name → delta for (p_paths[i], p_days[i]). Rows are
-- upserted in (area, day) order, the same order as screening ingestion, so concurrent writers
-- that share ancestors lock them in the same order and cannot deadlock.
-- Returns the (area, day) keys that changed, for the live feed.
CREATE OR REPLACE FUNCTION add_area_day_counts(p_paths ltree[], p_days date[], p_deltas jsonb[])
RETURNS TABLE (area_code text, day date)
LANGUAGE sql AS $$
  WITH expanded AS (
    SELECT a.code, i.day, d.key, d.value::int AS v
      FROM unnest(p_paths, p_days, p_deltas) AS i(path, day, deltas)
     CROSS JOIN LATERAL unnest(string_to_array(i.path::text, '.')) AS a(code)
     CROSS JOIN LATERAL jsonb_each_text(i.deltas) AS d(key, value)
  ), grouped AS (
    SELECT code, day, jsonb_object_agg(key, v) AS deltas
      FROM (SELECT code, day, key, sum(v)::int AS v FROM expanded GROUP BY 1, 2, 3) s
     GROUP BY 1, 2
  )
  INSERT INTO area_daily_counts AS c
    (area_code, day, screened, abnormal_temp, yellow_code, red_code, referred, denied, itinerary_flagged,
     tests_sampled, tests_resulted, tests_positive, results_on_time,
     centralised_in, centralised_out, home_quarantine_in, home_quarantine_out, home_monitoring_in, home_monitoring_out,
     cases_started, released, transferred, missed_checks, risk_area_arrivals)
  SELECT code, day,
         COALESCE((deltas->>'screened')::int, 0), COALESCE((deltas->>'abnormal_temp')::int, 0),
         COALESCE((deltas->>'yellow_code')::int, 0), COALESCE((deltas->>'red_code')::int, 0),
         COALESCE((deltas->>'referred')::int, 0), COALESCE((deltas->>'denied')::int, 0),
         COALESCE((deltas->>'itinerary_flagged')::int, 0),
         COALESCE((deltas->>'tests_sampled')::int, 0), COALESCE((deltas->>'tests_resulted')::int, 0),
         COALESCE((deltas->>'tests_positive')::int, 0), COALESCE((deltas->>'results_on_time')::int, 0),
         COALESCE((deltas->>'centralised_in')::int, 0), COALESCE((deltas->>'centralised_out')::int, 0),
         COALESCE((deltas->>'home_quarantine_in')::int, 0), COALESCE((deltas->>'home_quarantine_out')::int, 0),
         COALESCE((deltas->>'home_monitoring_in')::int, 0), COALESCE((deltas->>'home_monitoring_out')::int, 0),
         COALESCE((deltas->>'cases_started')::int, 0), COALESCE((deltas->>'released')::int, 0),
         COALESCE((deltas->>'transferred')::int, 0), COALESCE((deltas->>'missed_checks')::int, 0),
         COALESCE((deltas->>'risk_area_arrivals')::int, 0)
    FROM grouped
   ORDER BY code, day
  ON CONFLICT (area_code, day) DO UPDATE SET
    screened = c.screened + excluded.screened,
    abnormal_temp = c.abnormal_temp + excluded.abnormal_temp,
    yellow_code = c.yellow_code + excluded.yellow_code,
    red_code = c.red_code + excluded.red_code,
    referred = c.referred + excluded.referred,
    denied = c.denied + excluded.denied,
    itinerary_flagged = c.itinerary_flagged + excluded.itinerary_flagged,
    tests_sampled = c.tests_sampled + excluded.tests_sampled,
    tests_resulted = c.tests_resulted + excluded.tests_resulted,
    tests_positive = c.tests_positive + excluded.tests_positive,
    results_on_time = c.results_on_time + excluded.results_on_time,
    centralised_in = c.centralised_in + excluded.centralised_in,
    centralised_out = c.centralised_out + excluded.centralised_out,
    home_quarantine_in = c.home_quarantine_in + excluded.home_quarantine_in,
    home_quarantine_out = c.home_quarantine_out + excluded.home_quarantine_out,
    home_monitoring_in = c.home_monitoring_in + excluded.home_monitoring_in,
    home_monitoring_out = c.home_monitoring_out + excluded.home_monitoring_out,
    cases_started = c.cases_started + excluded.cases_started,
    released = c.released + excluded.released,
    transferred = c.transferred + excluded.transferred,
    missed_checks = c.missed_checks + excluded.missed_checks,
    risk_area_arrivals = c.risk_area_arrivals + excluded.risk_area_arrivals,
    version = c.version + 1,
    updated_at = now()
  RETURNING c.area_code, c.day
$$;

-- Active cases by area (every level) and planned release day: "releases due today" is one row,
-- "overdue releases" a sum over the few days before it. Maintained with the cases.
CREATE TABLE IF NOT EXISTS area_active_case_ends (
  area_code    text NOT NULL REFERENCES areas (code),
  planned_end  date NOT NULL,
  active       integer NOT NULL DEFAULT 0 CHECK (active >= 0),
  PRIMARY KEY (area_code, planned_end)
);

-- Adds deltas to the active-case count of each grid path's areas for a planned release day,
-- in key order (see add_area_day_counts for why).
CREATE OR REPLACE FUNCTION add_active_case_ends(p_paths ltree[], p_days date[], p_deltas integer[])
RETURNS void
LANGUAGE sql AS $$
  INSERT INTO area_active_case_ends AS e (area_code, planned_end, active)
  SELECT a.code, i.day, sum(i.delta)::int
    FROM unnest(p_paths, p_days, p_deltas) AS i(path, day, delta)
   CROSS JOIN LATERAL unnest(string_to_array(i.path::text, '.')) AS a(code)
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT (area_code, planned_end) DO UPDATE SET active = e.active + excluded.active
$$;
