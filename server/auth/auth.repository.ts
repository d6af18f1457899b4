import type { Queryable } from '../infra/db.ts';
import type { AreaLevel } from '../contracts/common.ts';
import type { Role } from '../contracts/auth.ts';

export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  jurisdictionCode: string;
  /** ltree path of the jurisdiction, e.g. 310000.310115: every scoped query uses `path <@ this` */
  jurisdictionPath: string;
  jurisdictionName: string;
  jurisdictionNameEn: string | null;
  jurisdictionLevel: AreaLevel;
  /** A right of its own (hardening issue): exports that carry unmasked personal data. */
  mayExportPersonalData: boolean;
}

const userColumns = `
  u.id, u.username, u.display_name AS "displayName", u.role,
  u.jurisdiction_code AS "jurisdictionCode", a.path::text AS "jurisdictionPath",
  a.name AS "jurisdictionName", a.name_en AS "jurisdictionNameEn", a.level AS "jurisdictionLevel",
  u.may_export_personal_data AS "mayExportPersonalData"`;

export async function findUserForLogin(db: Queryable, username: string): Promise<(AuthUser & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<AuthUser & { passwordHash: string }>(
    `SELECT ${userColumns}, u.password_hash AS "passwordHash"
       FROM users u JOIN areas a ON a.code = u.jurisdiction_code
      WHERE u.username = $1 AND NOT u.disabled`,
    [username],
  );
  return rows[0];
}

export async function updatePasswordHash(db: Queryable, userId: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

export async function createSession(db: Queryable, tokenHash: string, userId: number, ttlHours: number, idleMinutes: number): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at, idle_minutes) VALUES ($1, $2, now() + make_interval(hours => $3), $4)`,
    [tokenHash, userId, ttlHours, idleMinutes],
  );
}

/**
 * The user of a live session (neither past its absolute expiry nor idle for longer than its idle timeout),
 * marking it seen: at most once a minute, so a page's burst of tile requests writes one row once.
 */
export async function findSessionUser(db: Queryable, tokenHash: string): Promise<AuthUser | undefined> {
  const { rows } = await db.query<AuthUser>(
    `WITH live AS (
       SELECT token_hash, user_id, last_seen_at FROM sessions
        WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => idle_minutes)
     ), seen AS (
       UPDATE sessions s SET last_seen_at = now()
         FROM live WHERE s.token_hash = live.token_hash AND live.last_seen_at < now() - interval '1 minute'
     )
     SELECT ${userColumns}
       FROM live
       JOIN users u ON u.id = live.user_id AND NOT u.disabled
       JOIN areas a ON a.code = u.jurisdiction_code`,
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteUserSessions(db: Queryable, userId: number): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM login_devices WHERE user_id = $1', [userId]);
  return result.rowCount ?? 0;
}

/** Remembers a browser the user signed in from, for `days`. */
export async function trustDevice(db: Queryable, tokenHash: string, userId: number, days: number): Promise<void> {
  await db.query(`INSERT INTO login_devices (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`, [tokenHash, userId, days]);
}

/** Whether the browser's device token is one this username signed in from (and still trusted). */
export async function isTrustedDevice(db: Queryable, tokenHash: string, username: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM login_devices d JOIN users u ON u.id = d.user_id
      WHERE d.token_hash = $1 AND u.username = $2 AND d.expires_at > now()`,
    [tokenHash, username],
  );
  return (rowCount ?? 0) > 0;
}

/** Sessions past their absolute expiry or idle timeout, and failed sign-ins nobody needs to count any more. */
export async function sweepSessions(db: Queryable, throttleKeepMinutes: number): Promise<{ sessions: number; throttles: number }> {
  const sessions = await db.query('DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => idle_minutes)');
  await db.query('DELETE FROM login_devices WHERE expires_at <= now()');
  const throttles = await db.query(
    `DELETE FROM login_throttle
      WHERE window_started_at <= now() - make_interval(mins => $1) AND (locked_until IS NULL OR locked_until <= now())`,
    [throttleKeepMinutes],
  );
  return { sessions: sessions.rowCount ?? 0, throttles: throttles.rowCount ?? 0 };
}

export interface ThrottleRule {
  /** failures within the window that lock the key */
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

/** The keys locked now, with the seconds left. */
export async function lockedKeys(db: Queryable, keys: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ key: string; seconds: number }>(
    `SELECT key, ceil(extract(epoch FROM locked_until - now()))::int AS seconds
       FROM login_throttle WHERE key = ANY($1) AND locked_until > now()`,
    [keys],
  );
  return new Map(rows.map((row) => [row.key, row.seconds]));
}

/**
 * Counts a failed sign-in against a key: a new window when the last one is over (or its lock has
 * expired); the key is locked when the window reaches maxFailures. Returns the lock's seconds left, if locked.
 */
export async function recordLoginFailure(db: Queryable, key: string, rule: ThrottleRule): Promise<number | undefined> {
  const { rows } = await db.query<{ seconds: number | null }>(
    `INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
     VALUES ($1, 1, now(), CASE WHEN $2 <= 1 THEN now() + make_interval(mins => $4) END)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_started_at <= now() - make_interval(mins => $3) OR t.locked_until <= now() THEN 1 ELSE t.failures + 1 END,
       window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(mins => $3) OR t.locked_until <= now() THEN now() ELSE t.window_started_at END,
       locked_until = CASE
         WHEN t.locked_until > now() THEN t.locked_until
         WHEN (CASE WHEN t.window_started_at <= now() - make_interval(mins => $3) OR t.locked_until <= now() THEN 1 ELSE t.failures + 1 END) >= $2
           THEN now() + make_interval(mins => $4)
       END
     RETURNING ceil(extract(epoch FROM t.locked_until - now()))::int AS seconds`,
    [key, rule.maxFailures, rule.windowMinutes, rule.lockMinutes],
  );
  return rows[0]?.seconds ?? undefined;
}

export async function clearLoginFailures(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
