// resolveDatabase against the real server: creating a database with its extensions, and the errors.
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { quoteIdent, resolveDatabase, withDatabase } from '../../server/infra/local-postgres.ts';
import { runDatabaseName } from '../helpers/test-databases.ts';

const adminUrl = inject('adminDatabaseUrl');
const name = runDatabaseName('resolve');

afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  await admin.end();
});

describe('resolveDatabase with DATABASE_URL', () => {
  it('creates a missing database with PostGIS and ltree, then finds it ready', async () => {
    const url = withDatabase(adminUrl, name);
    const lines: string[] = [];
    expect(await resolveDatabase({ log: (line) => lines.push(line), databaseUrl: url })).toBe(url);
    expect(lines.join('\n')).toMatch(new RegExp(`created ${name}[\\s\\S]*extensions postgis, ltree created`));

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname IN ('postgis', 'ltree') ORDER BY 1`);
    await client.end();
    expect(rows.map((row) => row.extname)).toEqual(['ltree', 'postgis']);

    const again: string[] = [];
    await resolveDatabase({ log: (line) => again.push(line), databaseUrl: url });
    expect(again.filter((line) => /created/.test(line))).toEqual([]);
  });

  it('says which server it could not reach', async () => {
    await expect(resolveDatabase({ log: () => undefined, databaseUrl: 'postgresql://postgres@127.0.0.1:1/nothing' })).rejects.toThrow(
      /Cannot connect to 127\.0\.0\.1:1\/nothing: .*Check DATABASE_URL/,
    );
  });
});
