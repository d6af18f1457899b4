// A database of a test file's own, copied from the run's demo template (tests/helpers/database-setup.ts):
// every integration test file gets one (file-database.ts), so no file sees another's writes.
import pg from 'pg';
import { inject } from 'vitest';
import { projectRoot } from '../../server/infra/client-build.ts';
import { withDatabase } from '../../server/infra/local-postgres.ts';
import { copyTemplate, dropDatabase, runDatabaseName, templateLockKey, templateName } from './test-databases.ts';

/** A copy of the demo template, dropped by the caller. */
export async function createOwnDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = runDatabaseName(label);
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'ecc-own-database' });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [templateLockKey]);
    await copyTemplate(admin, await templateName(projectRoot), name);
  } finally {
    await admin.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await admin.end();
  }
  return { url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/** The environment variable through which file-database.ts hands a test file its database. */
export const fileDatabaseVariable = 'ECC_TEST_FILE_DATABASE_URL';

/** The test file's database: its own copy in the integration project, the run's database elsewhere (e2e). */
export function testDatabaseUrl(): string {
  return process.env[fileDatabaseVariable] ?? inject('databaseUrl');
}
