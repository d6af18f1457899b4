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
}

const userColumns = `
  u.id, u.username, u.display_name AS "displayName", u.role,
  u.jurisdiction_code AS "jurisdictionCode", a.path::text AS "jurisdictionPath",
  a.name AS "jurisdictionName", a.name_en AS "jurisdictionNameEn", a.level AS "jurisdictionLevel"`;

export async function findUserForLogin(db: Queryable, username: string): Promise<(AuthUser & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<AuthUser & { passwordHash: string }>(
    `SELECT ${userColumns}, u.password_hash AS "passwordHash"
       FROM users u JOIN areas a ON a.code = u.jurisdiction_code
      WHERE u.username = $1 AND NOT u.disabled`,
    [username],
  );
  return rows[0];
}

export async function createSession(db: Queryable, tokenHash: string, userId: number, ttlHours: number): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [tokenHash, userId, ttlHours],
  );
}

export async function findSessionUser(db: Queryable, tokenHash: string): Promise<AuthUser | undefined> {
  const { rows } = await db.query<AuthUser>(
    `SELECT ${userColumns}
       FROM sessions s
       JOIN users u ON u.id = s.user_id AND NOT u.disabled
       JOIN areas a ON a.code = u.jurisdiction_code
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE expires_at <= now()');
  return result.rowCount ?? 0;
}
