-- A rectification that failed (整改不力: verified failed, or its 回头看 failed) is escalated; the
-- escalation raises an alert at the site's grid so the officials there follow it up. The CHECK is
-- re-created with every kind so far plus the new one (same constraint name as 003 and 010).
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_kind_check,
  ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('abnormal_temperature', 'red_code', 'positive_result', 'missed_check',
                                                   'overdue_release', 'late_result',
                                                   'report_reminder', 'report_late', 'report_escalated',
                                                   'rectification_escalated'));
