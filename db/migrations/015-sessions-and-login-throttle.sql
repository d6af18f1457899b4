-- Sessions and sign-in hardening: an idle timeout next to the absolute expiry, and failed sign-ins
-- counted per account and per client address (lockout and rate limit, shared by every server process).

-- A session keeps the idle timeout it was started with (SESSION_IDLE_MINUTES at the time).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS idle_minutes integer NOT NULL DEFAULT 30 CHECK (idle_minutes > 0);
CREATE INDEX IF NOT EXISTS sessions_expires_idx ON sessions (expires_at);

-- key: 'user:<username>' (whether or not that user exists, so a lockout says nothing about it)
-- or 'ip:<address>'.
CREATE TABLE IF NOT EXISTS login_throttle (
  key                text PRIMARY KEY,
  failures           integer NOT NULL CHECK (failures > 0),
  window_started_at  timestamptz NOT NULL,
  locked_until       timestamptz
);
CREATE INDEX IF NOT EXISTS login_throttle_window_idx ON login_throttle (window_started_at);
