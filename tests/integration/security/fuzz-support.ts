// Property-based fuzzing of the API (fast-check): a database of the test's own with a log of every
// committed row change, the routes as Fastify registered them, and request generators that start
// from each route's own JSON Schema and break it.
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse, RouteOptions } from 'fastify';
import { expect } from 'vitest';
import { quoteIdent } from '../../../server/infra/local-postgres.ts';
import type { Pool } from '../../../server/infra/db.ts';

type Schema = Record<string, unknown>;
type Json = unknown;
/** An object or array of the value being mutated, indexed by a path step. */
type Container = { [key: string | number]: Json };

/** The suite's seed: `npm test` sends the same requests on every run, so a red CI is a change in the code. */
const suiteSeed = 20_261_123;

/**
 * Runs per route and user (FUZZ_RUNS to search harder). FUZZ_SEED=random explores new requests
 * (`npm run fuzz`); FUZZ_SEED=<seed> FUZZ_PATH=<path> replays a reported failure.
 */
export function fuzzParameters(): fc.Parameters<unknown> {
  const asked = process.env.FUZZ_SEED;
  const seed = asked === 'random' ? undefined : asked === undefined ? suiteSeed : Number(asked);
  const replaying = process.env.FUZZ_PATH !== undefined;
  return {
    numRuns: Number(process.env.FUZZ_RUNS ?? 40),
    ...(seed === undefined ? {} : { seed }),
    ...(replaying ? { path: process.env.FUZZ_PATH, endOnFailure: true } : {}),
    // A failing request is shrunk for a few seconds at most: each step is a real request.
    interruptAfterTimeLimit: 60_000,
    markInterruptAsFailure: false,
  };
}

/** Tables a refused request may legitimately write: sign-in bookkeeping and the audit trail. */
export const writtenEvenOnRefusal = new Set(['sessions', 'login_throttle', 'audit_log']);

/**
 * A row trigger on every other table of the public schema logs each committed insert, update and
 * delete (and truncate) to fuzz_changes: a rolled-back write leaves nothing, a half-write shows.
 */
export async function logEveryChange(pool: Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE fuzz_changes (id bigserial PRIMARY KEY, table_name text NOT NULL, op text NOT NULL);
    CREATE FUNCTION fuzz_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO fuzz_changes (table_name, op) VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;`);
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname NOT IN ('fuzz_changes', 'spatial_ref_sys') AND c.relname <> ALL ($1)`,
    [[...writtenEvenOnRefusal]],
  );
  for (const { name } of rows) {
    await pool.query(`CREATE TRIGGER fuzz_log_rows AFTER INSERT OR UPDATE OR DELETE ON ${quoteIdent(name)}
                        FOR EACH ROW EXECUTE FUNCTION fuzz_log_change()`);
    await pool.query(`CREATE TRIGGER fuzz_log_truncate AFTER TRUNCATE ON ${quoteIdent(name)}
                        FOR EACH STATEMENT EXECUTE FUNCTION fuzz_log_change()`);
  }
}

/**
 * Restores the fuzzing users' rows as they were at the start and forgets failed sign-ins: a fuzzed
 * admin route may have disabled them, changed their role or password, a fuzzed sign-in locked them out.
 */
export async function keepUsers(pool: Pool, usernames: readonly string[]): Promise<() => Promise<void>> {
  await pool.query('CREATE TABLE fuzz_users_kept AS SELECT * FROM users WHERE username = ANY($1)', [usernames]);
  const { rows } = await pool.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'users' AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
  );
  const columns = rows.map((row) => quoteIdent(row.name));
  return async () => {
    await pool.query(`UPDATE users u SET (${columns.join(', ')}) = (SELECT ${columns.map((c) => `k.${c}`).join(', ')} FROM fuzz_users_kept k WHERE k.id = u.id)
                       WHERE u.id IN (SELECT id FROM fuzz_users_kept)`);
    await pool.query('DELETE FROM login_throttle');
  };
}

/** The changes logged after `since` (an id of fuzz_changes), by table and operation. */
export async function changesSince(pool: Pool, since: number): Promise<{ last: number; changes: string[] }> {
  const { rows } = await pool.query<{ last: string; table_name: string; op: string; n: string }>(
    `SELECT max(id) OVER () AS last, table_name, op, count(*) OVER (PARTITION BY table_name, op) AS n
       FROM fuzz_changes WHERE id > $1 ORDER BY id`,
    [since],
  );
  const changes = [...new Set(rows.map((row) => `${row.op} ${row.table_name} ×${row.n}`))];
  return { last: rows.length > 0 ? Number(rows[0]!.last) : since, changes };
}

// ------------------------------------------------------------------ routes

export interface FuzzRoute {
  method: string;
  url: string;
  body?: Schema;
  params?: Schema;
  querystring?: Schema;
  multipart: boolean;
  bodyLimit?: number;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An onRoute listener for buildApp, and the write routes it saw. */
export function collectWriteRoutes(): { onRoute: (route: RouteOptions) => void; routes: FuzzRoute[] } {
  const routes: FuzzRoute[] = [];
  const onRoute = (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as Schema & { consumes?: string[] };
    for (const method of [route.method].flat()) {
      if (!writeMethods.has(method)) continue;
      routes.push({
        method,
        url: route.url!,
        body: schema.body as Schema | undefined,
        params: schema.params as Schema | undefined,
        querystring: schema.querystring as Schema | undefined,
        multipart: schema.consumes?.includes('multipart/form-data') ?? false,
        bodyLimit: route.bodyLimit,
      });
    }
  };
  return { onRoute, routes };
}

export const routeKey = (route: Pick<FuzzRoute, 'method' | 'url'>) => `${route.method} ${route.url}`;

// ------------------------------------------------------------------ values

/** Strings an attacker or a broken client sends. */
export const nastyStrings = [
  "'; DROP TABLE areas; --",
  "' OR '1'='1",
  "1); SELECT pg_sleep(5); --",
  '$1',
  '%s%s%s%n',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '{"$gt": ""}',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '',
  ' ',
  'null',
  'undefined',
  '__proto__',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\u202eRTL\u202c',
  '\u200f310000',
  'zero\u200bwidth\ufeff',
  'e\u0301\u0301\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦🇨🇳',
  '𠜎𠜱𠝹',
  '３１００００',
  '٣١٠٠٠٠',
  '陆家嘴\r\n\t街道',
  '\\',
  '"',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => '长'.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...nastyStrings), fc.string({ maxLength: 10 })).map(([a, b]) => `${b}${a}${b}`) },
);

const nastyNumber = fc.constantFrom(-1, 0, 0.5, -0.000001, 1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 181, -91, 1e-320);

function deeplyNested(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/** A value of another kind than expected, or a pathological one of the same kind. */
export const badValue: fc.Arbitrary<Json> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.constantFrom(null, true, false, [], {}, [[]], { '': null }),
  fc.integer({ min: 50, max: 600 }).map(deeplyNested),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.constant(1), { minLength: 1_000, maxLength: 20_000 }),
);

/** Known values for the patterns whose random matches would almost never exist. */
export interface Hints {
  areaCodes: string[];
}

// Most handlers refuse times far from today: aim at the last days mostly.
const dayMs = 24 * 3600 * 1000;
const instant = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3 * dayMs, max: 0 }).map((offset) => new Date(Date.now() + offset)) },
  { weight: 1, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }) },
);
const dayString = instant.map((d) => d.toISOString().slice(0, 10));

function stringArbitrary(schema: Schema, hints: Hints): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, minLength + 40);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return instant.map((d) => d.toISOString());
  if (schema.format === 'date') return dayString;
  if (typeof schema.pattern === 'string') {
    // Patterns here bound their own length; minLength/maxLength beside them only repeat it.
    const matching = fc.stringMatching(new RegExp(schema.pattern));
    if (schema.pattern === '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') return fc.oneof(dayString, matching);
    if (schema.pattern.startsWith('^[0-9]{6,16}') || schema.pattern.startsWith('^([0-9]{6,16}')) return fc.oneof(fc.constantFrom(...hints.areaCodes), matching);
    return matching;
  }
  const words = ['陆家嘴街道', '张三', '上海市浦东新区世纪大道100号'].filter((word) => word.length >= minLength && word.length <= maxLength);
  const random = fc.string({ minLength, maxLength });
  // Free text that passes the schema yet is hostile: it reaches the handler and the database.
  const hostile = nastyString.map((text) => (text + '.'.repeat(minLength)).slice(0, Math.max(minLength, Math.min(text.length, (schema.maxLength as number | undefined) ?? 10_000))));
  return words.length > 0 ? fc.oneof(random, hostile, fc.constantFrom(...words)) : fc.oneof(random, hostile);
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? (schema.exclusiveMinimum as number | undefined) ?? -1e6;
  const max = (schema.maximum as number | undefined) ?? (schema.exclusiveMaximum as number | undefined) ?? 1e6;
  if (integer) {
    // Ids that exist are small: aim there often.
    const low = Math.ceil(min);
    return fc.oneof(fc.integer({ min: low, max: Math.min(Math.floor(max), low + 20) }), fc.integer({ min: low, max: Math.floor(max) }));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Lon/lat rings around Lujiazui: closed squares, self-intersecting bow ties, open or tiny rings. */
export const polygonCoordinates: fc.Arbitrary<number[][][]> = fc
  .record({
    lon: fc.double({ min: 121.49, max: 121.52, noNaN: true }),
    lat: fc.double({ min: 31.22, max: 31.245, noNaN: true }),
    size: fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0.0005, max: 0.01, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 0.00001, max: 0.0005, noNaN: true }) }),
    shape: fc.constantFrom('square', 'bowtie', 'open', 'two-points', 'spike', 'far-away'),
  })
  .map(({ lon, lat, size, shape }) => {
    const s = size;
    const rings: Record<string, number[][]> = {
      square: [[lon, lat], [lon + s, lat], [lon + s, lat + s], [lon, lat + s], [lon, lat]],
      bowtie: [[lon, lat], [lon + s, lat + s], [lon + s, lat], [lon, lat + s], [lon, lat]],
      open: [[lon, lat], [lon + s, lat], [lon + s, lat + s], [lon, lat + s]],
      'two-points': [[lon, lat], [lon + s, lat], [lon, lat], [lon, lat]],
      spike: [[lon, lat], [lon + s, lat], [lon + s / 2, lat], [lon + s, lat], [lon, lat]],
      'far-away': [[-70, -40], [-70 + s, -40], [-70 + s, -40 + s], [-70, -40]],
    };
    return [rings[shape]!];
  });

/** A value the schema accepts (mostly: the generators do not solve every constraint). */
export function validValue(input: object | undefined, hints: Hints): fc.Arbitrary<Json> {
  const schema = input as Schema | undefined;
  if (!schema || Object.keys(schema).filter((k) => k !== 'description').length === 0) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => validValue(alternative, hints)));
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf as Schema[];
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of parts) {
      Object.assign(merged.properties as Schema, part.properties);
      (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
    }
    return validValue(merged, hints);
  }
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (type.length > 1) return fc.oneof(...type.map((t) => validValue({ ...schema, type: t }, hints)));
  switch (type[0]) {
    case 'string':
      return stringArbitrary(schema, hints);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((schema.maxItems as number | undefined) ?? minLength + 3, minLength + 3);
      const prefix = (schema.prefixItems ?? (Array.isArray(schema.items) ? schema.items : undefined)) as Schema[] | undefined;
      if (prefix) return fc.tuple(...prefix.map((item) => validValue(item, hints)));
      const item = validValue(schema.items as Schema | undefined, hints);
      return schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      // A polygon's coordinates: shapes that matter to PostGIS rather than random numbers.
      const typeProperty = properties.type as Schema | undefined;
      if (typeProperty?.const === 'Polygon') return polygonCoordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
      if (typeProperty?.const === 'MultiPolygon') return polygonCoordinates.map((coordinates) => ({ type: 'MultiPolygon', coordinates: [coordinates] }));
      const required = ((schema.required ?? []) as string[]).filter((key) => key in properties);
      const optional = Object.keys(properties).filter((key) => !required.includes(key));
      // Few optional fields as often as many: handlers often want exactly one of several.
      const chosen = fc.oneof(fc.subarray(optional, { maxLength: Math.min(1, optional.length) }), fc.subarray(optional));
      return chosen.chain((keys) => {
        const record: Record<string, fc.Arbitrary<Json>> = {};
        for (const key of [...required, ...keys]) record[key] = validValue(properties[key], hints);
        return fc.record(record);
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Path = Array<string | number>;

/** The value's nodes, the first thousands and not too deep (a mutated value may be huge or deeply nested). */
function pathsOf(value: Json, path: Path = [], into: Path[] = []): Path[] {
  if (into.length >= 2_000 || path.length > 40) return into;
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], into));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], into);
  return into;
}

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'extra'; at: number; key: string; value: Json }
  | { kind: 'flood'; at: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: badValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom('extra', 'constructor', 'isAdmin', 'role', 'id', "name'--"), nastyString.filter((s) => s.length < 50)),
      value: badValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flood' as const), at: fc.nat(), times: fc.integer({ min: 100, max: 20_000 }) }) },
);

/** Applies mutations to a copy of the value, each at a node picked among the value's nodes. */
export function applyMutations(value: Json, mutations: readonly Mutation[]): Json {
  let root: Json = structuredClone(value);
  for (const change of mutations) {
    const paths = pathsOf(root);
    const path = paths[change.at % paths.length]!;
    // Every path but the last step leads through objects and arrays (pathsOf only descends into those).
    const parent = path.length === 0 ? undefined : (path.slice(0, -1).reduce<Json>((node, key) => (node as Container)[key], root) as Container);
    const key = path[path.length - 1];
    const node = parent === undefined ? root : parent[key!];
    // Generated values belong to fast-check (it shrinks them later): only copies go in.
    if (change.kind === 'replace') {
      if (parent === undefined) root = structuredClone(change.value);
      else parent[key!] = structuredClone(change.value);
    } else if (change.kind === 'delete') {
      if (parent === undefined) root = undefined;
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key!];
    } else if (change.kind === 'extra') {
      const value = structuredClone(change.value);
      if (node && typeof node === 'object' && !Array.isArray(node)) Object.defineProperty(node, change.key, { value, enumerable: true, writable: true, configurable: true });
      else if (Array.isArray(node)) node.push(value);
    } else if (Array.isArray(node) && node.length > 0) {
      // At most ~2 MB of copies: past the body limit more only costs memory.
      const size = (JSON.stringify(node[0]) ?? '').length + 1;
      const times = Math.min(change.times, Math.floor(2e6 / size));
      for (let i = 0; i < times; i++) node.push(structuredClone(node[0]));
    }
  }
  return root;
}

/** Valid values with one to three things broken. */
export function brokenValue(schema: object | undefined, hints: Hints): fc.Arbitrary<Json> {
  return fc.tuple(validValue(schema, hints), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, mutations]) => applyMutations(value, mutations));
}

/** Mostly valid (to reach the handler and the database), often broken, sometimes anything. */
export function inputValue(schema: object | undefined, hints: Hints): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: validValue(schema, hints) },
    { weight: 4, arbitrary: brokenValue(schema, hints) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );
}

// ------------------------------------------------------------------ requests

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** what was generated, for the counterexample */
  about: string;
}

/** Lone surrogates replaced by U+FFFD: URLs and workbooks cannot carry them at all. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function fillPath(url: string, params: Json): string {
  const values = params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, Json>) : {};
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    // Lone surrogates cannot be percent-encoded: they travel as the replacement character.
    return encodeURIComponent(wellFormed(text));
  });
}

function queryString(query: Json): string {
  if (!query || typeof query !== 'object' || Array.isArray(query)) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(wellFormed(key), wellFormed(typeof item === 'string' ? item : JSON.stringify(item) ?? ''));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const malformedJson = fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'NaN', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '');

function jsonBody(schema: Schema | undefined, hints: Hints): fc.Arbitrary<Pick<FuzzRequest, 'headers' | 'payload' | 'about'>> {
  return fc.oneof(
    { weight: 8, arbitrary: inputValue(schema, hints).map((value) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(value) ?? '', about: 'json' })) },
    { weight: 1, arbitrary: malformedJson.map((payload) => ({ headers: { 'content-type': 'application/json' }, payload, about: 'malformed json' })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=latin1', 'image/png'), fc.string({ maxLength: 50 }))
        .map(([type, payload]) => ({ headers: { 'content-type': type }, payload, about: `as ${type}` })),
    },
  );
}

// ---- uploads: CSV and Excel files, malformed multipart

const csvCell = fc.oneof(nastyString.map((s) => s.slice(0, 200)), fc.constantFrom('310115004001', '2026-11-22', '张三', '31011519800101123X', '13800138000', 'positive', '阳性', '37.5', '-1', ''), fc.string({ maxLength: 12 }));
const headerWords = ['记录编号', '网格', '姓名', '身份证号', '手机号', '筛查时间', '结果', '采样时间', '检测结果', 'record id', 'grid', 'name', 'id number', 'phone', 'result', 'sampled at', '', '姓名'];
const sheetRows = fc.tuple(
  fc.array(fc.constantFrom(...headerWords), { minLength: 0, maxLength: 8 }),
  fc.array(fc.array(csvCell, { maxLength: 8 }), { maxLength: 6 }),
);

function csvText([header, rows]: [string[], string[][]]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\r\n');
}

async function xlsxBuffer([header, rows]: [string[], string[][]]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('数据');
  // Excel cannot hold control characters or lone surrogates: those go in as they come in CSV only.
  for (const row of [header, ...rows]) sheet.addRow(row.map((cell) => wellFormed(cell.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

type FileKind = 'csv' | 'xlsx' | 'xlsx-truncated' | 'xlsx-corrupted' | 'zip-not-xlsx' | 'binary';
interface UploadFile {
  kind: FileKind;
  sheet: [string[], string[][]];
  cut: number;
  flips: Array<[number, number]>;
  bytes: Uint8Array;
  filename: string;
  envelope: string;
}
const uploadFile: fc.Arbitrary<UploadFile> = fc.record({
  kind: fc.constantFrom<FileKind>('csv', 'csv', 'xlsx', 'xlsx-truncated', 'xlsx-corrupted', 'zip-not-xlsx', 'binary'),
  sheet: sheetRows,
  cut: fc.double({ min: 0, max: 1, noNaN: true }),
  flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
  bytes: fc.uint8Array({ maxLength: 2_000 }),
  filename: fc.oneof(fc.constantFrom('records.csv', 'records.xlsx', 'records.xls', 'noext', '../../evil.xlsx', '名单.csv'), nastyString.map((s) => s.slice(0, 100))),
  envelope: fc.constantFrom('ok', 'ok', 'ok', 'no-file', 'wrong-field', 'two-files', 'no-boundary', 'truncated', 'bad-header'),
});

async function fileContent(file: UploadFile): Promise<Buffer> {
  switch (file.kind) {
    case 'csv':
      return Buffer.from(csvText(file.sheet), 'utf8');
    case 'binary':
      return Buffer.from(file.bytes);
    case 'zip-not-xlsx':
      // A zip's signature without a workbook inside.
      return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(file.bytes)]);
    default: {
      const xlsx = await xlsxBuffer(file.sheet);
      if (file.kind === 'xlsx') return xlsx;
      if (file.kind === 'xlsx-truncated') return xlsx.subarray(0, Math.floor(xlsx.length * file.cut));
      const corrupted = Buffer.from(xlsx);
      for (const [where, byte] of file.flips) corrupted[Math.floor(where * (corrupted.length - 1))] = byte;
      return corrupted;
    }
  }
}

async function multipartRequest(file: UploadFile): Promise<Pick<FuzzRequest, 'headers' | 'payload' | 'about'>> {
  const boundary = '----ecc-fuzz-boundary';
  const content = await fileContent(file);
  const part = (field: string, filename: string) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename.replace(/["\r\n]/g, '_')}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from('\r\n'),
    ]);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const about = `multipart ${file.kind} (${content.length} bytes) as ${JSON.stringify(file.filename)}, ${file.envelope}`;
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  switch (file.envelope) {
    case 'no-file':
      return { headers, payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`), end]), about };
    case 'wrong-field':
      return { headers, payload: Buffer.concat([part('upload', file.filename), end]), about };
    case 'two-files':
      return { headers, payload: Buffer.concat([part('file', file.filename), part('file', file.filename), end]), about };
    case 'no-boundary':
      return { headers: { 'content-type': 'multipart/form-data' }, payload: Buffer.concat([part('file', file.filename), end]), about };
    case 'truncated': {
      const whole = Buffer.concat([part('file', file.filename), end]);
      return { headers, payload: whole.subarray(0, Math.max(1, Math.floor(whole.length * file.cut))), about };
    }
    case 'bad-header':
      return { headers, payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=file; filename\r\n\r\n`), content, end]), about };
    default:
      return { headers, payload: Buffer.concat([part('file', file.filename), end]), about };
  }
}

/** What a request is made of; printable, so a failing one shows in fast-check's report. */
export interface RequestPlan {
  params: Json;
  query: Json;
  body: { json: Pick<FuzzRequest, 'headers' | 'payload' | 'about'> } | { file: UploadFile };
}

/** Requests for one route: params, query and body each valid, broken or anything. */
export function requestFor(route: FuzzRoute, hints: Hints, itemSchemas: Record<string, object> = {}): fc.Arbitrary<RequestPlan> {
  const body = route.body ? withItemSchemas(route.body, itemSchemas) : undefined;
  return fc.record({
    params: fc.oneof({ weight: 4, arbitrary: validValue(route.params, hints) }, { weight: 2, arbitrary: brokenValue(route.params, hints) }),
    query: route.querystring
      ? inputValue(route.querystring, hints)
      : fc.oneof(fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 8 }), nastyString.map((s) => s.slice(0, 100)), { maxKeys: 3 })),
    body: route.multipart ? uploadFile.map((file) => ({ file })) : jsonBody(body, hints).map((json) => ({ json })),
  });
}

export async function toRequest(route: FuzzRoute, plan: RequestPlan): Promise<FuzzRequest> {
  const url = fillPath(route.url, plan.params) + queryString(plan.query);
  const content = 'file' in plan.body ? await multipartRequest(plan.body.file) : plan.body.json;
  return { method: route.method, url, ...content, about: `${content.about}; query ${JSON.stringify(plan.query)}` };
}

/** Puts the item schema a handler checks on its own (the route declares `items: {}`) in its place. */
function withItemSchemas(body: Schema, itemSchemas: Record<string, object>): Schema {
  const properties = { ...(body.properties as Record<string, Schema>) };
  for (const [key, items] of Object.entries(itemSchemas)) {
    if (properties[key]) properties[key] = { ...properties[key], items };
  }
  return { ...body, properties };
}

/** A payload one byte over the route's body limit. */
export function oversizedRequest(route: FuzzRoute, limit: number): FuzzRequest {
  return {
    method: route.method,
    url: route.url.replace(/:[A-Za-z0-9_]+/g, '1'),
    headers: { 'content-type': route.multipart ? 'multipart/form-data; boundary=x' : 'application/json' },
    payload: Buffer.alloc(limit + 1, 0x20),
    about: `${limit + 1} bytes`,
  };
}

// ------------------------------------------------------------------ properties

/** A refusal is a 4xx with { code, message } (strings, no stack, no SQL); nothing is a 5xx. */
export function expectCleanAnswer(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
  if (response.statusCode < 400) return;
  expect(response.headers['content-type'], response.body.slice(0, 200)).toMatch(/^application\/json/);
  const body = response.json() as { code?: unknown; message?: unknown };
  expect(typeof body.code, response.body.slice(0, 200)).toBe('string');
  expect(typeof body.message, response.body.slice(0, 200)).toBe('string');
  expect(body.message).not.toMatch(/\n\s+at |\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|node_modules/);
}

/** Collects unhandled rejections and uncaught exceptions while a test runs. */
export function watchProcessFailures(): { failures: unknown[]; stop(): void } {
  const failures: unknown[] = [];
  const record = (error: unknown) => failures.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    failures,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}
