import type { Queryable } from '../infra/db.ts';
import type { AuthUser } from '../auth/auth.repository.ts';
import type { AuditAction, AuditLogEntry } from '../contracts/audit.ts';

export type { AuditAction } from '../contracts/audit.ts';

export interface AuditEntry {
  action: AuditAction;
  /** The kind of thing read or exported, e.g. 'people', 'quarantine_cases', 'ledger:overseas'. */
  resource: string;
  resourceId?: string | null;
  /** Counts, filters, file names: never the personal data itself. */
  detail?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
}

/** Appends one entry; call it inside the transaction (or before the reply) of the read it records. */
export async function recordAudit(db: Queryable, user: AuthUser, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (user_id, username, role, jurisdiction_code, action, resource, resource_id, detail, ip, user_agent, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      user.id,
      user.username,
      user.role,
      user.jurisdictionCode,
      entry.action,
      entry.resource,
      entry.resourceId ?? null,
      JSON.stringify(entry.detail ?? {}),
      entry.ip ?? null,
      entry.userAgent?.slice(0, 512) ?? null,
      // already cut to whole characters by accessReason()
      entry.reason ?? null,
    ],
  );
}

export interface AuditFilter {
  username?: string;
  action?: string;
  /** the resource, or its beginning */
  resource?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const searchSql = `($1::text IS NULL OR username = $1)
  AND ($2::text IS NULL OR action = $2)
  AND ($3::text IS NULL OR resource LIKE $3)
  AND ($4::timestamptz IS NULL OR at >= $4)
  AND ($5::timestamptz IS NULL OR at < $5)`;

/** Entries matching the filter, newest first, with the number of matches before paging. */
export async function searchAudit(db: Queryable, filter: AuditFilter): Promise<{ total: number; items: AuditLogEntry[] }> {
  const params = [
    filter.username ?? null,
    filter.action ?? null,
    filter.resource === undefined ? null : `${filter.resource.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    filter.from ?? null,
    filter.to ?? null,
  ];
  const [page, count] = await Promise.all([
    db.query<AuditLogEntry>(
      `SELECT id::int, to_json(at) #>> '{}' AS at, user_id::int AS "userId", username, role, jurisdiction_code AS "jurisdictionCode",
              action, resource, resource_id AS "resourceId", detail, ip, user_agent AS "userAgent", reason
         FROM audit_log WHERE ${searchSql}
        ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log WHERE ${searchSql}`, params),
  ]);
  return { total: count.rows[0]?.total ?? 0, items: page.rows };
}
