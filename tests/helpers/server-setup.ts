// Vitest globalSetup for the e2e project: the real server, in-process on a free port, against the
// run's database made by database-setup.ts (listed before this file in vite.config.ts).
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config.ts';
import { ensureClientBuilt } from '../../server/infra/client-build.ts';
import { createPool } from '../../server/infra/db.ts';
import { startServer } from '../../server/server.ts';

const log = (line: string): void => console.log(`[test server] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = project.getProvidedContext().databaseUrl || process.env.ECC_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error('server-setup needs tests/helpers/database-setup.ts to run first (see vite.config.ts)');
  await ensureClientBuilt({ log });
  const config = { ...loadConfig(), port: 0, host: '127.0.0.1', databaseUrl, logLevel: process.env.LOG_LEVEL ?? 'warn' };
  const pool = createPool(databaseUrl);
  // The vitest process owns SIGINT/SIGTERM; teardown closes the server.
  const server = await startServer({ pool, config, handleSignals: false });
  log(`listening on ${server.url}`);
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
    // startServer's close may already have ended the pool; ending it twice only throws.
    await pool.end().catch(() => undefined);
  };
}
