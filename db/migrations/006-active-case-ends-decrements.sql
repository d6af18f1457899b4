-- Releases, transfers and extensions take a case off its planned release day: add_active_case_ends
-- (004) receives a negative delta for a row that exists. It adds deltas with INSERT … ON CONFLICT DO
-- UPDATE, and PostgreSQL checks a CHECK constraint on the proposed row before it finds the conflict,
-- so CHECK (active >= 0) refused every negative delta. The same rule is kept by a trigger, which
-- sees only the rows actually written (the sum), not the proposed ones.
ALTER TABLE area_active_case_ends DROP CONSTRAINT IF EXISTS area_active_case_ends_active_check;

CREATE OR REPLACE FUNCTION area_active_case_ends_not_negative() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.active < 0 THEN
    RAISE EXCEPTION 'active cases of area % planned for release on % would be %', NEW.area_code, NEW.planned_end, NEW.active
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS area_active_case_ends_not_negative ON area_active_case_ends;
CREATE TRIGGER area_active_case_ends_not_negative
  AFTER INSERT OR UPDATE ON area_active_case_ends
  FOR EACH ROW EXECUTE FUNCTION area_active_case_ends_not_negative();
