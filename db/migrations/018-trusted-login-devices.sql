-- Browsers an account has signed in from (OWASP's "device cookies"): failed sign-ins sent with one
-- of them are counted for that browser alone. A stranger who fails five times locks the account for
-- strangers only; its owner still signs in from the browser they use. Only the SHA-256 of the
-- cookie's random token is kept; a device's trust ends with its expiry, or with every session of the
-- user (a disabled user, a password reset, "sign out everywhere").
CREATE TABLE IF NOT EXISTS login_devices (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_devices_user_idx ON login_devices (user_id);
CREATE INDEX IF NOT EXISTS login_devices_expires_idx ON login_devices (expires_at);
