-- Why the planner put each stop in the plan (a leader's lock or move, a 回头看 due, a district that
-- must be covered this week, or its priority), stored with the stop so that the plan explains
-- itself when it is opened again, not only in the planner's answer. NULL for plans stored before.
ALTER TABLE inspection_plan_stops
  ADD COLUMN IF NOT EXISTS why text CHECK (why IS NULL OR why IN ('locked', 'moved', 'follow-up', 'coverage', 'priority'));
