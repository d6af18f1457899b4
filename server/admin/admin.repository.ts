// User administration and wall-display tokens: every query is limited to the admin's jurisdiction
// (the user's or token's area `path <@ $scope`).
import type { Queryable } from '../infra/db.ts';
import type { Role } from '../contracts/auth.ts';
import type { AdminUser, AdminUserQuery, WallToken } from '../contracts/admin.ts';

export interface ManagedUser extends AdminUser {
  /** Set when the user is a wall token's own user: it is managed through the token, not as a user. */
  wallTokenId: number | null;
}

const userColumns = `
  u.id::int AS id, u.username, u.display_name AS "displayName", u.role,
  json_build_object('code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level) AS jurisdiction,
  u.may_export_personal_data AS "mayExportPersonalData", u.disabled,
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
  (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now())::int AS "activeSessions"`;

const userFrom = `
  FROM users u
  JOIN areas a ON a.code = u.jurisdiction_code
  LEFT JOIN wall_tokens w ON w.user_id = u.id`;

/** The text with LIKE's wildcards taken literally. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** People's accounts (wall tokens' own users are listed with their tokens), by username. */
export async function listUsers(
  db: Queryable,
  scopePath: string,
  query: Required<Pick<AdminUserQuery, 'offset' | 'limit'>> & Pick<AdminUserQuery, 'q' | 'role'>,
): Promise<{ items: AdminUser[]; total: number }> {
  const q = query.q?.trim() || null;
  const { rows } = await db.query<{ items: AdminUser[]; total: number }>(
    `WITH matched AS (
       SELECT ${userColumns}
       ${userFrom}
       WHERE a.path <@ $1::ltree AND w.id IS NULL
         AND ($2::text IS NULL OR u.username ILIKE '%' || $2 || '%' OR u.display_name ILIKE '%' || $2 || '%'
              OR a.name ILIKE '%' || $2 || '%' OR a.name_en ILIKE '%' || $2 || '%' OR u.jurisdiction_code LIKE $2 || '%')
         AND ($3::text IS NULL OR u.role = $3))
     SELECT (SELECT count(*)::int FROM matched) AS total,
            coalesce((SELECT json_agg(page ORDER BY page.username)
                        FROM (SELECT * FROM matched ORDER BY username LIMIT $4 OFFSET $5) page), '[]'::json) AS items`,
    [scopePath, q === null ? null : likeEscaped(q), query.role ?? null, query.limit, query.offset],
  );
  return rows[0]!;
}

export async function getUser(db: Queryable, scopePath: string, id: number): Promise<ManagedUser | undefined> {
  const { rows } = await db.query<ManagedUser>(`SELECT ${userColumns}, w.id::int AS "wallTokenId" ${userFrom} WHERE u.id = $1 AND a.path <@ $2::ltree`, [id, scopePath]);
  return rows[0];
}

export async function insertUser(
  db: Queryable,
  user: { username: string; displayName: string; passwordHash: string; role: Role; jurisdiction: string; mayExportPersonalData: boolean },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, may_export_personal_data)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [user.username, user.displayName, user.passwordHash, user.role, user.jurisdiction, user.mayExportPersonalData],
  );
  return rows[0]!.id;
}

export async function usernameTaken(db: Queryable, username: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
  return (rowCount ?? 0) > 0;
}

export async function updateUser(
  db: Queryable,
  id: number,
  change: { displayName?: string; role?: Role; jurisdiction?: string; mayExportPersonalData?: boolean },
): Promise<void> {
  await db.query(
    `UPDATE users SET display_name = coalesce($2, display_name), role = coalesce($3, role),
            jurisdiction_code = coalesce($4, jurisdiction_code),
            may_export_personal_data = coalesce($5, may_export_personal_data)
      WHERE id = $1`,
    [id, change.displayName ?? null, change.role ?? null, change.jurisdiction ?? null, change.mayExportPersonalData ?? null],
  );
}

export async function setDisabled(db: Queryable, id: number, disabled: boolean): Promise<void> {
  await db.query('UPDATE users SET disabled = $2 WHERE id = $1', [id, disabled]);
}

export async function setPasswordHash(db: Queryable, id: number, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
}

const tokenColumns = `
  t.id::int AS id, t.label,
  json_build_object('code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level) AS area,
  u.username, c.username AS "createdBy",
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
  to_char(t.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastUsedAt",
  to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "expiresAt",
  to_char(t.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "revokedAt",
  CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END AS status`;

const tokenFrom = `
  FROM wall_tokens t
  JOIN areas a ON a.code = t.area_code
  JOIN users u ON u.id = t.user_id
  LEFT JOIN users c ON c.id = t.created_by`;

/** Tokens for areas in the scope: active first, then newest. */
export async function listWallTokens(db: Queryable, scopePath: string): Promise<WallToken[]> {
  const { rows } = await db.query<WallToken>(
    `SELECT ${tokenColumns} ${tokenFrom}
      WHERE a.path <@ $1::ltree
      ORDER BY (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())) DESC, t.created_at DESC, t.id DESC`,
    [scopePath],
  );
  return rows;
}

export async function getWallToken(db: Queryable, scopePath: string, id: number): Promise<(WallToken & { userId: number }) | undefined> {
  const { rows } = await db.query<WallToken & { userId: number }>(
    `SELECT ${tokenColumns}, t.user_id::int AS "userId" ${tokenFrom} WHERE t.id = $1 AND a.path <@ $2::ltree`,
    [id, scopePath],
  );
  return rows[0];
}

export async function insertWallToken(
  db: Queryable,
  token: { label: string; area: string; tokenHash: string; userId: number; createdBy: number; expiresAt: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO wall_tokens (label, area_code, token_hash, user_id, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [token.label, token.area, token.tokenHash, token.userId, token.createdBy, token.expiresAt],
  );
  return rows[0]!.id;
}

/** Marks the token revoked (once: the first revocation's time and admin are kept). */
export async function revokeWallToken(db: Queryable, id: number, revokedBy: number): Promise<void> {
  await db.query('UPDATE wall_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [id, revokedBy]);
}

/** The user of a token that may sign in now (not revoked, not expired, its user enabled); notes the use. */
export async function useWallToken(db: Queryable, tokenHash: string): Promise<{ username: string; expiresAt: string | null } | undefined> {
  const { rows } = await db.query<{ username: string; expiresAt: string | null }>(
    `UPDATE wall_tokens t SET last_used_at = now()
       FROM users u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND NOT u.disabled
        AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
      RETURNING u.username, to_json(t.expires_at) #>> '{}' AS "expiresAt"`,
    [tokenHash],
  );
  return rows[0];
}

/** Shortens the user's sessions to end by the given time at the latest. */
export async function capUserSessions(db: Queryable, userId: number, endBy: string): Promise<void> {
  await db.query('UPDATE sessions SET expires_at = least(expires_at, $2::timestamptz) WHERE user_id = $1', [userId, endBy]);
}
