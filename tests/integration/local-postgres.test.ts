// resolveDatabase against the real server: creating a database with its extensions, and the errors.
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { quoteIdent, resolveDatabase, withDatabase } from '../../server/infra/local-postgres.ts';
import { runDatabaseName } from '../helpers/test-databases.ts';

const adminUrl = inject('adminDatabaseUrl');
const name = runDatabaseName('resolve');
const plainName = runDatabaseName('plainrole');
const plainRole = `ecc_test_role_${process.pid}`;

async function asAdmin(...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

afterAll(async () => {
  await asAdmin(
    `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
    `DROP DATABASE IF EXISTS ${quoteIdent(plainName)} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${quoteIdent(plainRole)}`,
  );
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

  it('tells a role that may not create PostGIS what a superuser must run', async () => {
    await asAdmin(
      `DROP ROLE IF EXISTS ${quoteIdent(plainRole)}`,
      `CREATE ROLE ${quoteIdent(plainRole)} LOGIN PASSWORD 'plain-password'`,
      `CREATE DATABASE ${quoteIdent(plainName)} OWNER ${quoteIdent(plainRole)} TEMPLATE template0`,
    );
    // Over TCP with a password: Debian's default peer rule on the socket would refuse this role.
    const admin = new URL(adminUrl);
    const socketDir = admin.searchParams.get('host');
    const host = socketDir ? '127.0.0.1' : admin.hostname;
    const port = (socketDir ? admin.searchParams.get('port') : admin.port) || '5432';
    const url = `postgresql://${plainRole}:plain-password@${host}:${port}/${plainName}`;
    await expect(resolveDatabase({ log: () => undefined, databaseUrl: url })).rejects.toThrow(
      /may not create the postgis extension[\s\S]*CREATE EXTENSION IF NOT EXISTS postgis/,
    );
  });

  it('says which server it could not reach', async () => {
    await expect(resolveDatabase({ log: () => undefined, databaseUrl: 'postgresql://postgres@127.0.0.1:1/nothing' })).rejects.toThrow(
      /Cannot connect to 127\.0\.0\.1:1\/nothing: .*Check DATABASE_URL/,
    );
  });
});
