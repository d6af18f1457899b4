-- Wall-display tokens (hardening issue): a read-only kiosk signs in with a long random token instead of
-- a password. Each token has a user row of its own (role wall, jurisdiction = the token's area, no
-- usable password), so a token's session is scoped like any other; revoking disables that user.
-- Only the token's SHA-256 is stored: the token itself is shown once, when it is created.

CREATE TABLE IF NOT EXISTS wall_tokens (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  area_code     text NOT NULL REFERENCES areas (code),
  token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id       bigint NOT NULL UNIQUE REFERENCES users (id),
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  revoked_by    bigint REFERENCES users (id)
);
CREATE INDEX IF NOT EXISTS wall_tokens_created_idx ON wall_tokens (created_at DESC);
