// The error mapping the fuzzing relies on, cause by cause: real PostgreSQL and PostGIS errors, the
// body parser's and multipart's, text no column can keep. Each answer is a 4xx { code, message }
// whose message names no table, constraint, value or SQL.
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../../../server/errors.ts';
import { createPool, withTransaction, type Pool } from '../../../server/infra/db.ts';
import { testDatabaseUrl } from '../../helpers/own-database.ts';

let pool: Pool;
let app: FastifyInstance;

// Each statement runs after the setup, in a transaction that is rolled back.
const setup = `
  CREATE TEMP TABLE fuzz_parent (id int PRIMARY KEY, code varchar(4) UNIQUE, n int CHECK (n > 0), label text NOT NULL DEFAULT '');
  CREATE TEMP TABLE fuzz_child (parent int REFERENCES fuzz_parent (id));
  INSERT INTO fuzz_parent VALUES (1, 'a', 1);
  INSERT INTO fuzz_child VALUES (1);`;

const statements: Record<string, { sql: string; params?: unknown[] }> = {
  '22P02': { sql: 'SELECT $1::int', params: ["'; DROP TABLE areas; --"] },
  '22003': { sql: 'SELECT $1::int', params: ['99999999999'] },
  '22001': { sql: "INSERT INTO fuzz_parent (id, code, n) VALUES (2, 'toolong', 1)" },
  '22007': { sql: 'SELECT $1::timestamptz', params: ['yesterday at noon'] },
  '22021': { sql: 'SELECT $1::text', params: ['a\u0000b'] },
  '23505': { sql: "INSERT INTO fuzz_parent (id, code, n) VALUES (2, 'a', 1)" },
  '23503 insert': { sql: 'INSERT INTO fuzz_child VALUES (42)' },
  '23503 delete': { sql: 'DELETE FROM fuzz_parent WHERE id = 1' },
  '23514': { sql: "INSERT INTO fuzz_parent (id, code, n) VALUES (2, 'b', -1)" },
  '23502': { sql: "INSERT INTO fuzz_parent (id, code, n, label) VALUES (2, 'b', 1, NULL)" },
  '54001': { sql: "SELECT repeat('[', 100000)::jsonb" },
  'XX000 GeoJSON': { sql: 'SELECT ST_GeomFromGeoJSON($1)', params: ['{"type":"Polygonx","coordinates":[]}'] },
  'XX000 WKT': { sql: 'SELECT ST_GeomFromText($1)', params: ['POLYGON((0 0, 1 1, 1 0, 0 1'] },
  'XX000 GEOS': {
    sql: 'SELECT ST_Intersection(ST_GeomFromText($1), ST_GeomFromText($2))',
    params: ['POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))', 'POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))'],
  },
  'XX000 too few points': { sql: 'SELECT ST_Buffer(ST_GeomFromText($1), 1)', params: ['POLYGON((0 0, 1 1))'] },
  'not the input': { sql: 'SELECT 1 / 0 FROM pg_class WHERE false UNION ALL SELECT * FROM no_such_table' },
};

beforeAll(async () => {
  pool = createPool(testDatabaseUrl(), 2);
  app = Fastify({ logger: false });
  registerErrorHandler(app);
  await app.register(multipart);
  app.post<{ Params: { cause: string } }>('/sql/:cause', async (request) => {
    const statement = statements[request.params.cause]!;
    return withTransaction(pool, async (client) => {
      await client.query(setup);
      await client.query(statement.sql, statement.params);
      throw new Error('the statement did not fail');
    });
  });
  app.post('/echo', { schema: { body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } } }, async (request) => request.body);
  app.post('/upload', async (request) => {
    const file = await request.file();
    return { bytes: file ? (await file.toBuffer()).length : 0 };
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await pool.end();
});

const expected: Array<[string, number, string]> = [
  ['22P02', 400, 'bad_request'],
  ['22003', 400, 'bad_request'],
  ['22001', 400, 'bad_request'],
  ['22007', 400, 'bad_request'],
  ['22021', 400, 'bad_request'],
  ['23505', 409, 'conflict'],
  ['23503 insert', 400, 'bad_request'],
  ['23503 delete', 409, 'conflict'],
  ['23514', 400, 'bad_request'],
  ['23502', 400, 'bad_request'],
  ['54001', 400, 'bad_request'],
  ['XX000 GeoJSON', 400, 'bad_request'],
  ['XX000 WKT', 400, 'bad_request'],
  ['XX000 GEOS', 400, 'bad_request'],
  ['XX000 too few points', 400, 'bad_request'],
  ['not the input', 500, 'internal'],
];

describe('PostgreSQL errors', () => {
  it.each(expected)('%s → %i %s', async (cause, status, code) => {
    const response = await app.inject({ method: 'POST', url: `/sql/${encodeURIComponent(cause)}` });
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json() as { code: string; message: string };
    expect(body.code).toBe(code);
    // Fixed bilingual messages: no table, constraint, value or statement of ours.
    expect(body.message).toMatch(/ \/ /);
    expect(body.message).not.toMatch(/fuzz_|DROP|toolong|no_such_table|constraint|relation|SELECT|INSERT|DELETE/i);
  });
});

describe('requests', () => {
  it('refuses NUL and lone surrogates anywhere in a body, naming the field', async () => {
    for (const [payload, field] of [
      ['{"name":"a\\u0000b"}', 'body/name'],
      ['{"name":"\\ud800"}', 'body/name'],
      ['{"x\\udfff":"ok"}', 'body/x\udfff'],
      ['{"records":[{"id":"ok"},{"id":"a","tags":["b","c\\u0000"]}]}', 'body/records/1/tags/1'],
      ['"\\ud83d"', 'body'],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'validation_failed', details: [{ field }] });
    }
  });

  it('keeps other Unicode: RTL and zero-width marks, combining characters, emoji, paired surrogates', async () => {
    const name = '\u202e陆家嘴\u200b e\u0301 👩‍👩‍👧 𠜎';
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { name } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name });
  });

  it('answers malformed JSON with 400 and other media types with 415', async () => {
    const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'bad_request' });
    const xml = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('answers malformed multipart with 400', async () => {
    for (const headers of [{ 'content-type': 'multipart/form-data' }, { 'content-type': `multipart/form-data; boundary=${'x'.repeat(300)}` }]) {
      const response = await app.inject({ method: 'POST', url: '/upload', headers, payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b\r\n--x--\r\n' });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'bad_request' });
    }
  });
});
