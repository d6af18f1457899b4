-- Access and audit (hardening issue): a right of its own to export personal data, and an append-only
-- log of every read of unmasked personal data and every export (who, what, when, from where, why).

ALTER TABLE users ADD COLUMN IF NOT EXISTS may_export_personal_data boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS audit_log (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at                 timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Copied, not only referenced: the entry must still say who it was after the user is renamed or removed.
  user_id            bigint,
  username           text NOT NULL,
  role               text NOT NULL,
  jurisdiction_code  text NOT NULL,
  action             text NOT NULL CHECK (action ~ '^[a-z_.]{2,64}$'),
  resource           text NOT NULL,
  resource_id        text,
  -- What was shown or exported: counts, filters, file name; never the personal data itself.
  detail             jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip                 text,
  user_agent         text,
  reason             text
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX IF NOT EXISTS audit_log_user_at_idx ON audit_log (username, at DESC);
CREATE INDEX IF NOT EXISTS audit_log_action_at_idx ON audit_log (action, at DESC);

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks (the application's own role included).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
