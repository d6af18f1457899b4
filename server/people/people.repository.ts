import type { Queryable } from '../infra/db.ts';
import type {
  ArrivalPolicy,
  PeopleQuery,
  PersonCategory,
  PersonDetail,
  PersonIdType,
  PersonRiskAreaMatch,
  PersonRiskLevel,
  PersonSummary,
  PolicyRegime,
} from '../contracts/people.ts';
import { arrivalRiskWindowDays } from '../contracts/people.ts';

/** A person ready to store: checked, located in a grid of the writer's jurisdiction. */
export interface ResolvedPerson {
  id: string;
  name: string;
  idType: PersonIdType;
  idNumber: string;
  phone: string | null;
  address: string | null;
  gridCode: string;
  category: PersonCategory;
  healthCode: string;
  arrivedOn: string | null;
  origin: string | null;
  note: string | null;
  travel: Array<{ fromDay: string; toDay: string; place: string; position: [number, number] | null; riskAreaId: number | null }>;
}

/** Of the given risk area ids, those that exist (retired ones too: travel history refers to the past). */
export async function existingRiskAreaIds(db: Queryable, ids: number[]): Promise<Set<number>> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM risk_areas WHERE id = ANY ($1::bigint[])', [ids]);
  return new Set(rows.map((row) => row.id));
}

/**
 * Inserts the people that are new; one whose id, or whose (idType, idNumber), is already taken is
 * skipped (ON CONFLICT DO NOTHING waits for a concurrent writer of the same key, so a race ends
 * here too). Returns the ids inserted; the caller tells duplicates from conflicts.
 */
export async function insertPeople(db: Queryable, people: ResolvedPerson[], by: string): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO people (id, name, id_type, id_number, phone, address, grid_code, area_path, category, health_code,
                         arrived_on, origin, note, created_by, updated_by)
     SELECT i.id, i.name, i.id_type, i.id_number, i.phone, i.address, g.code, g.path, i.category, i.health_code,
            i.arrived_on, i.origin, i.note, $13, $13
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::date[], $11::text[], $12::text[]) WITH ORDINALITY
            AS i(id, name, id_type, id_number, phone, address, grid_code, category, health_code, arrived_on, origin, note, n)
       JOIN areas g ON g.code = i.grid_code AND g.level = 'grid'
      -- in key order, so two batches sharing ID numbers wait for each other instead of deadlocking;
      -- within one number, the batch's first record wins
      ORDER BY i.id_type, i.id_number, i.n
     ON CONFLICT DO NOTHING
     RETURNING id::text`,
    [
      people.map((p) => p.id),
      people.map((p) => p.name),
      people.map((p) => p.idType),
      people.map((p) => p.idNumber),
      people.map((p) => p.phone),
      people.map((p) => p.address),
      people.map((p) => p.gridCode),
      people.map((p) => p.category),
      people.map((p) => p.healthCode),
      people.map((p) => p.arrivedOn),
      people.map((p) => p.origin),
      people.map((p) => p.note),
      by,
    ],
  );
  return new Set(rows.map((row) => row.id));
}

/** Of the given ids, those already registered. */
export async function existingPersonIds(db: Queryable, ids: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM people WHERE id = ANY ($1::uuid[])', [ids]);
  return new Set(rows.map((row) => row.id));
}

/** Who holds each (idType, idNumber), and whether that person is inside the scope (keyed `type:number`). */
export async function idNumberHolders(
  db: Queryable,
  keys: Array<{ idType: string; idNumber: string }>,
  scopePath: string,
): Promise<Map<string, { id: string; inScope: boolean }>> {
  const { rows } = await db.query<{ key: string; id: string; inScope: boolean }>(
    `SELECT p.id_type || ':' || p.id_number AS key, p.id::text, p.area_path <@ $3::ltree AS "inScope"
       FROM people p JOIN unnest($1::text[], $2::text[]) AS k(id_type, id_number)
         ON p.id_type = k.id_type AND p.id_number = k.id_number`,
    [keys.map((k) => k.idType), keys.map((k) => k.idNumber), scopePath],
  );
  return new Map(rows.map((row) => [row.key, { id: row.id, inScope: row.inScope }]));
}

export async function insertTravel(db: Queryable, people: ResolvedPerson[]): Promise<void> {
  const stops = people.flatMap((p) => p.travel.map((stop, seq) => ({ personId: p.id, seq: seq + 1, ...stop })));
  if (stops.length === 0) return;
  await db.query(
    `INSERT INTO person_travel (person_id, seq, from_day, to_day, place, position, risk_area_id)
     SELECT s.person_id, s.seq, s.from_day, s.to_day, s.place,
            CASE WHEN s.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) END, s.risk_area_id
       FROM unnest($1::uuid[], $2::int[], $3::date[], $4::date[], $5::text[], $6::float8[], $7::float8[], $8::bigint[])
            AS s(person_id, seq, from_day, to_day, place, lon, lat, risk_area_id)`,
    [
      stops.map((s) => s.personId),
      stops.map((s) => s.seq),
      stops.map((s) => s.fromDay),
      stops.map((s) => s.toDay),
      stops.map((s) => s.place),
      stops.map((s) => s.position?.[0] ?? null),
      stops.map((s) => s.position?.[1] ?? null),
      stops.map((s) => s.riskAreaId),
    ],
  );
}

/**
 * Every medium/high risk area that a stored travel stop of the people ($1) touched within the 14
 * days before their arrival (arrived_on, or $2 = today when they have none): the stop names the
 * area, lies inside its polygon, or its place equals the area's name; and the area was in force
 * (valid_from .. valid_to, ended early by retirement) at some time during the part of the stop in
 * that window, days being the city's ($3 = time zone). Best first per person: high before medium,
 * then by id, position, name, then earliest stop.
 */
const riskMatchesSql = `
  WITH stops AS (
    SELECT t.person_id, t.seq, t.from_day, t.to_day, t.place, t.position, t.risk_area_id,
           greatest(t.from_day, w.arrival - ${arrivalRiskWindowDays}) AS w_from, least(t.to_day, w.arrival) AS w_to
      FROM people p
     CROSS JOIN LATERAL (SELECT COALESCE(p.arrived_on, $2::date) AS arrival) AS w
      JOIN person_travel t ON t.person_id = p.id
     WHERE p.id = ANY ($1::uuid[])
       AND t.to_day >= w.arrival - ${arrivalRiskWindowDays} AND t.from_day <= w.arrival
  ), candidates AS (
    SELECT s.person_id, s.seq, s.w_from, s.w_to, r.id AS risk_area_id, 'id' AS matched_by, 1 AS match_rank
      FROM stops s JOIN risk_areas r ON r.id = s.risk_area_id
    UNION ALL
    SELECT s.person_id, s.seq, s.w_from, s.w_to, r.id, 'position', 2
      FROM stops s JOIN risk_areas r ON s.position IS NOT NULL AND ST_Intersects(r.geom, s.position)
    UNION ALL
    SELECT s.person_id, s.seq, s.w_from, s.w_to, r.id, 'name', 3
      FROM stops s JOIN risk_areas r ON r.name = s.place
  )
  SELECT c.person_id, c.seq, c.matched_by, c.match_rank, r.id AS risk_area_id, r.name AS risk_area_name, r.level
    FROM candidates c JOIN risk_areas r ON r.id = c.risk_area_id
   WHERE r.level IN ('medium', 'high')
     AND r.valid_from < ((c.w_to + 1)::timestamp AT TIME ZONE $3::text)
     AND COALESCE(least(r.valid_to, r.retired_at), 'infinity'::timestamptz) > (c.w_from::timestamp AT TIME ZONE $3::text)`;

/**
 * Sets risk_area_level of the people from their stored travel (see riskMatchesSql) and returns the
 * ones that got a level, with the grid path and arrival day their arrival is counted on.
 */
export async function setRiskAreaLevels(
  db: Queryable,
  personIds: string[],
  today: string,
  timeZone: string,
): Promise<Array<{ path: string; arrivedOn: string | null; level: PersonRiskLevel }>> {
  const { rows } = await db.query<{ path: string; arrivedOn: string | null; level: PersonRiskLevel }>(
    `WITH m AS (${riskMatchesSql}),
     top AS (SELECT person_id, CASE WHEN bool_or(level = 'high') THEN 'high' ELSE 'medium' END AS level FROM m GROUP BY person_id)
     UPDATE people p SET risk_area_level = top.level FROM top WHERE p.id = top.person_id
     RETURNING p.area_path::text AS path, to_char(p.arrived_on, 'YYYY-MM-DD') AS "arrivedOn", p.risk_area_level AS level`,
    [personIds, today, timeZone],
  );
  return rows;
}

/** The person's risk-area matches now (the best first), for the suggestion. */
export async function riskAreaMatches(db: Queryable, personId: string, today: string, timeZone: string): Promise<PersonRiskAreaMatch[]> {
  const { rows } = await db.query<PersonRiskAreaMatch>(
    `SELECT json_build_object('seq', t.seq, 'fromDay', to_char(t.from_day, 'YYYY-MM-DD'), 'toDay', to_char(t.to_day, 'YYYY-MM-DD'), 'place', t.place) AS stop,
            json_build_object('id', m.risk_area_id, 'name', m.risk_area_name, 'level', m.level) AS "riskArea",
            m.matched_by AS "matchedBy"
       FROM (${riskMatchesSql}) AS m
       JOIN person_travel t ON t.person_id = m.person_id AND t.seq = m.seq
      ORDER BY (m.level = 'high') DESC, m.match_rank, m.seq, m.risk_area_id`,
    [[personId], today, timeZone],
  );
  return rows;
}

const summaryColumns = `
  p.id::text AS id, p.name, p.id_type AS "idType", p.id_number AS "idNumber", p.phone, p.address,
  p.grid_code AS "gridCode", g.name AS "gridName", p.category, p.health_code AS "healthCode",
  to_char(p.arrived_on, 'YYYY-MM-DD') AS "arrivedOn", p.origin, p.risk_area_level AS "riskAreaLevel",
  p.created_by AS "createdBy", to_json(p.created_at) #>> '{}' AS "createdAt", to_json(p.updated_at) #>> '{}' AS "updatedAt"`;

export type StoredSummary = Omit<PersonSummary, 'masked'>;
export type StoredDetail = Omit<PersonDetail, 'masked'>;

/** LIKE pattern for "starts with", the user's text taken literally. */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface PeopleFilter {
  scopePath: string;
  categories?: string[];
  healthCode?: PeopleQuery['healthCode'];
  riskArea?: boolean;
  arrivedFrom?: string;
  arrivedTo?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** People inside the scope matching the filter, newest first, with the number of matches before paging. */
export async function listPeople(db: Queryable, filter: PeopleFilter): Promise<{ total: number; items: StoredSummary[] }> {
  const { rows } = await db.query<{ total: number; items: StoredSummary[] }>(
    `WITH matched AS (
       SELECT p.* FROM people p
        WHERE p.area_path <@ $1::ltree
          AND ($2::text[] IS NULL OR p.category = ANY ($2))
          AND ($3::text IS NULL OR p.health_code = $3)
          AND ($4::boolean IS NULL OR (p.risk_area_level IS NOT NULL) = $4)
          AND ($5::date IS NULL OR p.arrived_on >= $5)
          AND ($6::date IS NULL OR p.arrived_on <= $6)
          AND ($7::text IS NULL OR p.name ILIKE $7 OR p.id_number LIKE upper($7))
     )
     SELECT (SELECT count(*) FROM matched)::int AS total,
            COALESCE((SELECT json_agg(x) FROM (
              SELECT ${summaryColumns} FROM matched p JOIN areas g ON g.code = p.grid_code
               ORDER BY p.created_at DESC, p.id LIMIT $8 OFFSET $9) AS x), '[]') AS items`,
    [
      filter.scopePath,
      filter.categories ?? null,
      filter.healthCode ?? null,
      filter.riskArea ?? null,
      filter.arrivedFrom ?? null,
      filter.arrivedTo ?? null,
      filter.q === undefined ? null : prefixPattern(filter.q.trim()),
      filter.limit,
      filter.offset,
    ],
  );
  return rows[0] ?? { total: 0, items: [] };
}

/** One person inside the scope, with travel and cases. */
export async function getPerson(db: Queryable, id: string, scopePath: string): Promise<StoredDetail | undefined> {
  const { rows } = await db.query<StoredDetail>(
    `SELECT ${summaryColumns}, p.note, p.updated_by AS "updatedBy",
            COALESCE((SELECT json_agg(json_build_object(
                        'seq', t.seq, 'fromDay', to_char(t.from_day, 'YYYY-MM-DD'), 'toDay', to_char(t.to_day, 'YYYY-MM-DD'),
                        'place', t.place,
                        'position', CASE WHEN t.position IS NULL THEN NULL ELSE json_build_object('lon', ST_X(t.position), 'lat', ST_Y(t.position)) END,
                        'riskAreaId', t.risk_area_id, 'riskAreaName', r.name) ORDER BY t.seq)
                        FROM person_travel t LEFT JOIN risk_areas r ON r.id = t.risk_area_id
                       WHERE t.person_id = p.id), '[]') AS travel,
            COALESCE((SELECT json_agg(json_build_object(
                        'id', c.id, 'regimeCode', c.regime_code, 'kind', c.kind, 'status', c.status,
                        'startDay', to_char(c.start_day, 'YYYY-MM-DD'), 'plannedEnd', to_char(c.planned_end, 'YYYY-MM-DD'))
                        ORDER BY c.start_day DESC, c.created_at DESC)
                        FROM quarantine_cases c WHERE c.person_id = p.id), '[]') AS cases
       FROM people p JOIN areas g ON g.code = p.grid_code
      WHERE p.id = $1::uuid AND p.area_path <@ $2::ltree`,
    [id, scopePath],
  );
  return rows[0];
}

export interface PersonChanges {
  phone?: string | null;
  address?: string | null;
  healthCode?: string;
  note?: string | null;
  category?: string;
}

/**
 * Changes the fields that no counter depends on. A field absent from `changes` keeps its value;
 * null clears it. False when the person is not inside the scope.
 */
export async function updatePerson(db: Queryable, id: string, scopePath: string, changes: PersonChanges, by: string): Promise<boolean> {
  const has = (key: keyof PersonChanges) => Object.hasOwn(changes, key);
  const result = await db.query(
    `UPDATE people SET
        phone = CASE WHEN $3 THEN $4 ELSE phone END,
        address = CASE WHEN $5 THEN $6 ELSE address END,
        health_code = CASE WHEN $7 THEN $8 ELSE health_code END,
        note = CASE WHEN $9 THEN $10 ELSE note END,
        category = CASE WHEN $11 THEN $12 ELSE category END,
        updated_by = $13, updated_at = now()
      WHERE id = $1::uuid AND area_path <@ $2::ltree`,
    [
      id, scopePath,
      has('phone'), changes.phone ?? null,
      has('address'), changes.address ?? null,
      has('healthCode'), changes.healthCode ?? null,
      has('note'), changes.note ?? null,
      has('category'), changes.category ?? null,
      by,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The id of the person's active case, if any. */
export async function activeCaseId(db: Queryable, personId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM quarantine_cases WHERE person_id = $1::uuid AND status = 'active'`,
    [personId],
  );
  return rows[0]?.id ?? null;
}

const regimeJson = `json_build_object('code', q.code, 'nameZh', q.name_zh, 'nameEn', q.name_en,
                                      'phases', q.phases, 'totalDays', q.total_days, 'active', q.active)`;

/** The regimes of the catalogue, by code. */
export async function listRegimes(db: Queryable): Promise<PolicyRegime[]> {
  const { rows } = await db.query<{ regime: PolicyRegime }>(`SELECT ${regimeJson} AS regime FROM quarantine_regimes q ORDER BY q.code`);
  return rows.map((row) => row.regime);
}

export async function listArrivalPolicies(db: Queryable): Promise<ArrivalPolicy[]> {
  const { rows } = await db.query<ArrivalPolicy>(
    `SELECT a.risk_level AS "riskLevel", ${regimeJson} AS regime, a.updated_by AS "updatedBy",
            to_json(a.updated_at) #>> '{}' AS "updatedAt"
       FROM arrival_policies a JOIN quarantine_regimes q ON q.code = a.regime_code
      ORDER BY array_position(ARRAY['high', 'medium'], a.risk_level)`,
  );
  return rows;
}

/** Sets the regime suggested for arrivals from areas of the level; false when no active regime has the code. */
export async function setArrivalPolicy(db: Queryable, riskLevel: PersonRiskLevel, regimeCode: string, by: string): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO arrival_policies (risk_level, regime_code, updated_by, updated_at)
     SELECT $1, q.code, $3, now() FROM quarantine_regimes q WHERE q.code = $2 AND q.active
     ON CONFLICT (risk_level) DO UPDATE SET regime_code = excluded.regime_code, updated_by = excluded.updated_by, updated_at = now()`,
    [riskLevel, regimeCode, by],
  );
  return (result.rowCount ?? 0) > 0;
}
