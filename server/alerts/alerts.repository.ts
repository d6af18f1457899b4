import type { Queryable } from '../infra/db.ts';
import { Alert, streetAudienceKinds, streetLevel } from '../contracts/alerts.ts';

// Only the detail keys of the contract leave the server: socket messages are not filtered by the
// response schema as HTTP answers are, and whatever a writer puts into details must not reach a wall.
const detailKeys = Object.keys(Alert.properties.details.properties).filter((key) => key !== 'siteName');
const detailsJson = `jsonb_strip_nulls(jsonb_build_object(${detailKeys.map((key) => `'${key}', al.details -> '${key}'`).join(', ')}))`;

/** An alert (table alias al) as the API shows it, with the place named from district to grid. */
const alertJson = `json_build_object(
  'id', al.id, 'kind', al.kind, 'status', al.status, 'areaCode', al.area_code,
  'areaName', (SELECT string_agg(p.name, ' · ' ORDER BY nlevel(p.path)) FROM areas p
                WHERE p.path @> al.area_path AND p.level <> 'city'),
  'day', to_char(al.day, 'YYYY-MM-DD'), 'raisedAt', al.raised_at,
  'details', ${detailsJson} || COALESCE((SELECT jsonb_build_object('siteName', s.name) FROM sites s
                                      WHERE s.id = (al.details ->> 'siteId')::bigint), '{}'::jsonb),
  'acknowledgedBy', al.acknowledged_by, 'acknowledgedAt', al.acknowledged_at,
  'closedBy', al.closed_by, 'closedAt', al.closed_at, 'note', al.note)`;

export interface AlertWithPath {
  alert: Alert;
  /** the codes of the areas whose watchers get the alert: its place and every ancestor (a street-audience alert: up to its street) */
  path: string[];
}

export async function alertsByIds(db: Queryable, ids: number[]): Promise<AlertWithPath[]> {
  const { rows } = await db.query<{ alert: Alert; path: string[] }>(
    `SELECT ${alertJson} AS alert, string_to_array(al.area_path::text, '.') AS path
       FROM alerts al WHERE al.id = ANY ($1) ORDER BY al.id`,
    [ids],
  );
  return rows.map(({ alert, path }) => ({ alert, path: streetAudienceKinds.includes(alert.kind) ? path.slice(streetLevel - 1) : path }));
}

export interface AlertFilter {
  scopePath: string;
  status: 'open' | 'acknowledged' | 'closed' | 'active' | 'all';
  kind?: string;
  before?: number;
  limit: number;
}

// Street-audience alerts (streetAudienceKinds) only in a scope at street level or below, or when asked for by kind.
const filterSql = `al.area_path <@ $1::ltree
  AND ($2 = 'all' OR ($2 = 'active' AND al.status <> 'closed') OR al.status = $2)
  AND ($3::text IS NULL OR al.kind = $3)
  AND ($3::text IS NOT NULL OR nlevel($1::ltree) >= ${streetLevel} OR al.kind <> ALL ($4::text[]))`;

export async function listAlerts(db: Queryable, filter: AlertFilter): Promise<{ items: Alert[]; total: number }> {
  const params = [filter.scopePath, filter.status, filter.kind ?? null, streetAudienceKinds];
  const [page, count] = await Promise.all([
    db.query<{ alert: Alert }>(
      `SELECT ${alertJson} AS alert FROM alerts al
        WHERE ${filterSql} AND ($5::bigint IS NULL OR al.id < $5)
        ORDER BY al.id DESC LIMIT $6`,
      [...params, filter.before ?? null, filter.limit],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM alerts al WHERE ${filterSql}`, params),
  ]);
  return { items: page.rows.map((row) => row.alert), total: count.rows[0]?.total ?? 0 };
}

/** The alert's status and path, if it lies inside the scope. */
export async function findAlert(db: Queryable, id: number, scopePath: string): Promise<{ status: string } | undefined> {
  const { rows } = await db.query<{ status: string }>(
    'SELECT status FROM alerts WHERE id = $1 AND area_path <@ $2::ltree',
    [id, scopePath],
  );
  return rows[0];
}

/** Moves an alert on; false when it is no longer in a state that allows it (someone was faster). */
export async function transitionAlert(
  db: Queryable,
  id: number,
  to: 'acknowledged' | 'closed',
  by: string,
  note: string | null,
): Promise<boolean> {
  const result = await db.query(
    to === 'acknowledged'
      ? `UPDATE alerts SET status = 'acknowledged', acknowledged_by = $2, acknowledged_at = now(), note = COALESCE($3, note)
          WHERE id = $1 AND status = 'open'`
      : `UPDATE alerts SET status = 'closed', closed_by = $2, closed_at = now(), note = COALESCE($3, note)
          WHERE id = $1 AND status <> 'closed'`,
    [id, by, note],
  );
  return (result.rowCount ?? 0) > 0;
}
