-- Nucleic-acid tests: the reads the feature makes beyond what 004 indexed.
-- The turnaround and the lists behind the daily figures select samples by their local day.
CREATE INDEX IF NOT EXISTS nucleic_tests_sample_day_idx ON nucleic_tests (sample_day);
-- A person's tests (their record, their quarantine's test days).
CREATE INDEX IF NOT EXISTS nucleic_tests_person_idx ON nucleic_tests (person_id) WHERE person_id IS NOT NULL;
