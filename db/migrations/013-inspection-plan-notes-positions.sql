-- Supervision rounds: what the planner said about a day's plan, and the positions team leaders share.

-- The planner's notes on the plan of one day of a round (the run that planned it last, which may
-- have planned the whole week): coverage per district with the reason a district is not covered,
-- sites it could not fit and why, team-days under the minimum, 回头看, summary. Replaced whenever
-- the day is planned again (POST or PATCH …/plan), so GET …/plans?day= explains the stored plan.
CREATE TABLE IF NOT EXISTS inspection_plan_notes (
  round_id    bigint NOT NULL REFERENCES inspection_rounds (id) ON DELETE CASCADE,
  day         date NOT NULL,
  -- the days the run planned together (a week plan names all of them)
  days        date[] NOT NULL CHECK (cardinality(days) > 0),
  -- {coverage, unassigned, shortfalls, followUps, summary} as in the planner's answer
  notes       jsonb NOT NULL CHECK (jsonb_typeof(notes) = 'object'),
  planned_by  text,
  planned_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (round_id, day)
);

-- Positions a team leader shares from the field (the leader's phone), kept as a short history;
-- the map shows each team's latest of the day.
CREATE TABLE IF NOT EXISTS inspection_team_positions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id      bigint NOT NULL REFERENCES inspection_teams (id) ON DELETE CASCADE,
  day          date NOT NULL,
  geom         geometry(Point, 4326) NOT NULL,
  accuracy_m   integer CHECK (accuracy_m IS NULL OR accuracy_m BETWEEN 0 AND 100000),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL
);
CREATE INDEX IF NOT EXISTS inspection_team_positions_day_idx ON inspection_team_positions (day, team_id, recorded_at DESC);
