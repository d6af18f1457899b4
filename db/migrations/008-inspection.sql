-- Supervision rounds (督查): inspection teams, rounds, day plans, visits with their checklist
-- results and photos, rectification notices and reports, 回头看 follow-ups and cases filed (立案).
-- Times of day are local city time (CITY_TIME_ZONE); instants are timestamptz; days are city days.

-- Category defaults: the priority weight of a site category and the opening hours used for a site
-- that has none of its own (sites.opening_hours = '{}').
CREATE TABLE IF NOT EXISTS inspection_category_defaults (
  category       text PRIMARY KEY,
  weight         integer NOT NULL CHECK (weight BETWEEN 0 AND 100),
  -- weekly schedule as sites.opening_hours: {"mon": [["08:00","17:30"]], ...}
  opening_hours  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(opening_hours) = 'object')
);
INSERT INTO inspection_category_defaults (category, weight, opening_hours) VALUES
  ('construction_site', 10, '{"mon":[["08:00","17:30"]],"tue":[["08:00","17:30"]],"wed":[["08:00","17:30"]],"thu":[["08:00","17:30"]],"fri":[["08:00","17:30"]],"sat":[["08:00","17:30"]]}'),
  ('cold_storage', 20, '{}'), ('live_poultry_market', 18, '{}'), ('slaughterhouse', 15, '{}'),
  ('farmers_market', 15, '{}'), ('quarantine_hotel', 20, '{}'), ('fever_clinic', 18, '{}'),
  ('elderly_home', 15, '{}'), ('school', 12, '{}'), ('kindergarten', 12, '{}'), ('supermarket', 10, '{}'),
  ('transport_hub', 12, '{}'), ('hotel', 8, '{}'), ('entertainment_venue', 8, '{}'), ('government_office', 5, '{}')
ON CONFLICT (category) DO NOTHING;

-- District stations (区站): where a team lunches when it works in a suburban district.
CREATE TABLE IF NOT EXISTS inspection_district_stations (
  district_code  text PRIMARY KEY REFERENCES areas (code),
  name           text NOT NULL,
  geom           geometry(Point, 4326) NOT NULL
);

-- Sites the city authority supervises directly (总站直管工程). Only teams with scope 'direct'
-- inspect them; teams with scope 'areas' inspect the other sites of their areas.
CREATE TABLE IF NOT EXISTS inspection_direct_sites (
  site_id     bigint PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
  note        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS inspection_teams (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  leader_name      text NOT NULL,
  leader_phone     text NOT NULL DEFAULT '',
  -- the user who records this team's visits (role team_leader)
  leader_username  text REFERENCES users (username) ON UPDATE CASCADE ON DELETE SET NULL,
  -- [{"name": "...", "agency": "...", "phone": "..."}]
  members          jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(members) = 'array'),
  vehicle          text NOT NULL DEFAULT '',
  base_name        text NOT NULL,
  base_geom        geometry(Point, 4326) NOT NULL,
  scope            text NOT NULL DEFAULT 'areas' CHECK (scope IN ('areas', 'direct')),
  -- area codes at any level (checked against areas by the API)
  areas            text[] NOT NULL CHECK (cardinality(areas) > 0),
  work_start       time NOT NULL,
  work_end         time NOT NULL,
  -- 'base': lunch back at the base; 'station': at the district station of a suburban district
  -- being inspected (inspection_district_stations), back at the base elsewhere
  lunch_rule       text NOT NULL CHECK (lunch_rule IN ('base', 'station')),
  lunch_start      time NOT NULL,
  lunch_end        time NOT NULL,
  lunch_minutes    integer NOT NULL CHECK (lunch_minutes BETWEEN 0 AND 180),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (work_end > work_start),
  CHECK (lunch_end > lunch_start),
  CHECK (lunch_minutes * interval '1 minute' <= lunch_end - lunch_start)
);
CREATE UNIQUE INDEX IF NOT EXISTS inspection_teams_leader_idx ON inspection_teams (leader_username) WHERE leader_username IS NOT NULL;

CREATE TABLE IF NOT EXISTS inspection_rounds (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  date_from          date NOT NULL,
  -- NULL: until further notice (至疫情结束)
  date_to            date CHECK (date_to IS NULL OR date_to >= date_from),
  -- ISO weekdays, 1 = Monday … 7 = Sunday
  weekdays           integer[] NOT NULL CHECK (cardinality(weekdays) > 0 AND weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
  categories         text[] NOT NULL CHECK (cardinality(categories) > 0),
  areas              text[] NOT NULL CHECK (cardinality(areas) > 0),
  min_sites_per_day  integer NOT NULL CHECK (min_sites_per_day >= 0),
  max_sites_per_day  integer NOT NULL CHECK (max_sites_per_day >= 1 AND max_sites_per_day >= min_sites_per_day),
  sheet_deadline     time NOT NULL DEFAULT '16:00',
  -- [{"key": "prevention", "label_zh": "...", "label_en": "..."}]
  checklist          jsonb NOT NULL CHECK (jsonb_typeof(checklist) = 'array' AND jsonb_array_length(checklist) > 0),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
-- The demo round is found (and seeded once) by its name.
CREATE UNIQUE INDEX IF NOT EXISTS inspection_rounds_name_idx ON inspection_rounds (name);

CREATE TABLE IF NOT EXISTS inspection_round_teams (
  round_id  bigint NOT NULL REFERENCES inspection_rounds (id) ON DELETE CASCADE,
  team_id   bigint NOT NULL REFERENCES inspection_teams (id),
  PRIMARY KEY (round_id, team_id)
);
CREATE INDEX IF NOT EXISTS inspection_round_teams_team_idx ON inspection_round_teams (team_id);

-- A team's plan for one day of a round; written by the route planner (server/routing) through
-- savePlan in server/inspection/inspection.repository.ts.
CREATE TABLE IF NOT EXISTS inspection_plans (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id         bigint NOT NULL,
  day              date NOT NULL,
  team_id          bigint NOT NULL,
  depart_at        timestamptz,
  return_at        timestamptz,
  lunch_start      timestamptz,
  lunch_end        timestamptz,
  lunch_place      text CHECK (lunch_place IN ('base', 'station')),
  travel_seconds   integer CHECK (travel_seconds >= 0),
  distance_m       integer CHECK (distance_m >= 0),
  -- the road order as a line, when the planner has one
  route            geometry(LineString, 4326),
  created_by       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (round_id, day, team_id),
  UNIQUE (id, round_id, day),
  FOREIGN KEY (round_id, team_id) REFERENCES inspection_round_teams (round_id, team_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS inspection_plan_stops (
  plan_id            bigint NOT NULL,
  -- copies of the plan's round and day (kept equal by the foreign key) so that a site is planned
  -- at most once per day of a round, whichever team
  round_id           bigint NOT NULL,
  day                date NOT NULL,
  seq                integer NOT NULL CHECK (seq >= 1),
  site_id            bigint NOT NULL REFERENCES sites (id),
  planned_arrival    timestamptz NOT NULL,
  planned_departure  timestamptz NOT NULL,
  -- a leader's decision the planner must keep when it re-plans the rest
  locked             boolean NOT NULL DEFAULT false,
  status             text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'skipped')),
  PRIMARY KEY (plan_id, seq),
  UNIQUE (round_id, day, site_id),
  FOREIGN KEY (plan_id, round_id, day) REFERENCES inspection_plans (id, round_id, day) ON DELETE CASCADE,
  CHECK (planned_departure >= planned_arrival)
);
CREATE INDEX IF NOT EXISTS inspection_plan_stops_site_idx ON inspection_plan_stops (site_id);

-- Uploaded photos, stored once per content (sha256), in the database: they are small (≤ 2 MB,
-- checked by the API), travel with backups and are deleted with nothing else.
CREATE TABLE IF NOT EXISTS inspection_photos (
  sha256        text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 2097152),
  bytes         bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (octet_length(bytes) = size_bytes)
);

CREATE TABLE IF NOT EXISTS inspection_visits (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- chosen by the client: a retried submission finds its visit instead of making a second one
  client_id        uuid NOT NULL UNIQUE,
  round_id         bigint NOT NULL REFERENCES inspection_rounds (id),
  team_id          bigint NOT NULL REFERENCES inspection_teams (id),
  site_id          bigint NOT NULL REFERENCES sites (id),
  day              date NOT NULL,
  arrived_at       timestamptz NOT NULL,
  departed_at      timestamptz NOT NULL,
  -- {"prevention": "pass" | "fail" | "na", ...}, one entry per checklist item of the round
  results          jsonb NOT NULL CHECK (jsonb_typeof(results) = 'object'),
  failed           boolean GENERATED ALWAYS AS (results @? '$.* ? (@ == "fail")') STORED,
  findings         text NOT NULL DEFAULT '',
  photos           text[] NOT NULL DEFAULT '{}',
  -- the rectification notice (整改通知单) issued when a check failed
  notice_number    text UNIQUE,
  notice_deadline  date,
  recorded_by      text NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  submitted_at     timestamptz,
  submitted_by     text,
  submitted_late   boolean,
  UNIQUE (round_id, site_id, day),
  CHECK (departed_at >= arrived_at),
  CHECK (failed = (notice_number IS NOT NULL)),
  CHECK ((notice_number IS NULL) = (notice_deadline IS NULL)),
  CHECK ((submitted_at IS NULL) = (submitted_late IS NULL))
);
CREATE INDEX IF NOT EXISTS inspection_visits_site_idx ON inspection_visits (site_id, arrived_at DESC);
CREATE INDEX IF NOT EXISTS inspection_visits_round_day_idx ON inspection_visits (round_id, day);
CREATE INDEX IF NOT EXISTS inspection_visits_photos_gin ON inspection_visits USING gin (photos);

-- A site's rectification report (整改报告) for a notice and its verification.
CREATE TABLE IF NOT EXISTS inspection_rectifications (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  visit_id           bigint NOT NULL UNIQUE REFERENCES inspection_visits (id),
  report             text NOT NULL,
  reported_at        timestamptz NOT NULL DEFAULT now(),
  reported_by        text NOT NULL,
  outcome            text CHECK (outcome IN ('rectified', 'failed')),
  verified_at        timestamptz,
  verified_by        text,
  verification_note  text NOT NULL DEFAULT '',
  -- set when the rectification failed (整改不力): the case goes up for stronger measures
  escalated_at       timestamptz,
  CHECK ((outcome IS NULL) = (verified_at IS NULL)),
  CHECK ((outcome = 'failed') = (escalated_at IS NOT NULL))
);

-- 回头看: a site named in a notice that reported its rectification is on the next month's
-- must-check list.
CREATE TABLE IF NOT EXISTS inspection_followups (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id          bigint NOT NULL REFERENCES sites (id),
  source_visit_id  bigint NOT NULL UNIQUE REFERENCES inspection_visits (id),
  -- the first day of the month in which the site must be checked again; due by its last day
  due_month        date NOT NULL CHECK (extract(day FROM due_month) = 1),
  status           text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'passed', 'failed')),
  -- the 回头看 visit that closed it
  visit_id         bigint REFERENCES inspection_visits (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'due') = (visit_id IS NULL))
);
CREATE INDEX IF NOT EXISTS inspection_followups_site_idx ON inspection_followups (site_id) WHERE status = 'due';

-- Cases filed (立案) against sites after inspections; counted per month.
CREATE TABLE IF NOT EXISTS inspection_case_filings (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_number  text NOT NULL UNIQUE,
  round_id     bigint REFERENCES inspection_rounds (id),
  site_id      bigint NOT NULL REFERENCES sites (id),
  visit_id     bigint REFERENCES inspection_visits (id),
  team_id      bigint REFERENCES inspection_teams (id),
  filed_on     date NOT NULL,
  reason       text NOT NULL DEFAULT '',
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS inspection_case_filings_filed_idx ON inspection_case_filings (filed_on);

-- A site's inspection status on a city day, for the map and the lists, from its latest visit:
--   never      no visit
--   passed     the latest visit found nothing
--   notified   the latest visit failed a check; the notice's deadline has not passed
--   rectified  the rectification was reported (and not found failed), its 回头看 not overdue
--   overdue    no report by the notice's deadline, the rectification failed, or the 回头看
--              month went by without a visit
-- A plain SQL function, so PostgreSQL inlines it and a filter on the sites is applied first.
CREATE OR REPLACE FUNCTION inspection_site_status(today date)
RETURNS TABLE (site_id bigint, status text, last_visit_id bigint, last_visit_day date)
LANGUAGE sql STABLE AS $$
  SELECT s.id,
         CASE
           WHEN v.id IS NULL THEN 'never'
           WHEN NOT v.failed THEN 'passed'
           WHEN r.outcome = 'failed' THEN 'overdue'
           WHEN r.id IS NOT NULL AND r.outcome IS NULL AND f.status = 'due'
                AND (f.due_month + interval '1 month')::date <= today THEN 'overdue'
           WHEN r.id IS NOT NULL THEN 'rectified'
           WHEN v.notice_deadline < today THEN 'overdue'
           ELSE 'notified'
         END,
         v.id, v.day
    FROM sites s
    LEFT JOIN LATERAL (
      SELECT iv.id, iv.failed, iv.notice_deadline, iv.day FROM inspection_visits iv
       WHERE iv.site_id = s.id AND iv.day <= today
       ORDER BY iv.arrived_at DESC, iv.id DESC LIMIT 1
    ) v ON true
    LEFT JOIN inspection_rectifications r ON r.visit_id = v.id
    LEFT JOIN inspection_followups f ON f.source_visit_id = v.id
$$;
