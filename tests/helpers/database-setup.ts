// Vitest globalSetup: a throw-away database per test run, copied from a template that holds the
// migrated schema and the demo. Loading the demo takes tens of seconds, copying a template a few,
// so the template is rebuilt only when what goes into it changes (its name carries a fingerprint of
// the migrations, the demo generator and data, and the demo users).
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { loadDemo } from '../../data/load-demo.ts';
import { migrate } from '../../db/migrate.ts';
import { projectRoot } from '../../server/infra/client-build.ts';
import { createDatabase, prepareDatabase, quoteIdent, resolveLocalServer, withDatabase } from '../../server/infra/local-postgres.ts';
import { copyTemplate, dropDatabase, isLeftover, processAlive, runDatabaseName, templateLockKey, templateName, templateNote } from './test-databases.ts';

/** The password every demo user has in test databases, whatever DEMO_PASSWORD says. */
export const testDemoPassword = 'demo-password';

const log = (line: string): void => console.log(`[test db] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL || (await resolveLocalServer({ log: () => undefined }));
  const template = await templateName(projectRoot);
  const runDatabase = runDatabaseName(project.name);

  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'ecc-test-setup' });
  await admin.connect();
  try {
    // Template builds, clones and clean-ups of every concurrent run happen one at a time.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [templateLockKey]);
    await dropLeftovers(admin, template);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    if (!exists) await buildTemplate(admin, adminUrl, template);
    const started = performance.now();
    await copyTemplate(admin, template, runDatabase);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(template)} IS '${templateNote()}'`);
    log(`${project.name}: ${runDatabase} from ${template} in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await admin.end();
  }

  const databaseUrl = withDatabase(adminUrl, runDatabase);
  project.provide('databaseUrl', databaseUrl);
  project.provide('adminDatabaseUrl', adminUrl);
  // For a later globalSetup of the same run that prefers the environment.
  process.env.ECC_TEST_DATABASE_URL = databaseUrl;

  return () => dropDatabase(adminUrl, runDatabase);
}

async function buildTemplate(admin: pg.Client, adminUrl: string, template: string): Promise<void> {
  const started = performance.now();
  // Built under a temporary name and renamed when complete, so a crash never leaves a half template.
  const building = `ecc_tplbuild_${process.pid}_${Date.now()}`;
  log(`building template ${template} (migrations + demo; once per change of schema or demo data)...`);
  await createDatabase(adminUrl, building);
  const url = withDatabase(adminUrl, building);
  try {
    await prepareDatabase(url, () => undefined);
    await migrate(url, () => undefined);
    const demo = await loadDemo(url, { log: (line) => log(`  ${line}`), password: testDemoPassword });
    log(`template: ${demo.areas} areas, ${demo.sites} sites, ${demo.riskAreas} risk areas, ${demo.users} users`);
    await renameWhenIdle(admin, building, template);
    await admin.query(`ALTER DATABASE ${quoteIdent(template)} IS_TEMPLATE true`);
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`).catch(() => undefined);
    throw error;
  }
  log(`template ${template} ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// A pool that has just ended may still hold server backends for a moment; RENAME needs none.
async function renameWhenIdle(admin: pg.Client, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Drops templates of other fingerprints unused for hours, half-built templates and run databases
 * whose process is gone (a run that was killed before its teardown). Runs under the template lock.
 */
async function dropLeftovers(admin: pg.Client, keep: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string; note: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
      WHERE datname LIKE 'ecc\\_tpl\\_%' OR datname LIKE 'ecc\\_tplbuild\\_%' OR datname LIKE 'ecc\\_test\\_%'`,
  );
  // Process ids mean nothing on another machine's server: there only age counts.
  const alive = process.env.TEST_DATABASE_ADMIN_URL ? () => true : processAlive;
  for (const { datname: name, note } of rows) {
    if (name === keep || !isLeftover(name, Date.now(), alive, note)) continue;
    try {
      if (name.startsWith('ecc_tpl_')) await admin.query(`ALTER DATABASE ${quoteIdent(name)} IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      log(`dropped leftover database ${name}`);
    } catch {
      // Someone is connected to it (a developer looking at an old template): leave it for next time.
    }
  }
}

