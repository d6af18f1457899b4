// A bare API server process for tests that need several processes or kill one:
// DATABASE_URL, PORT (0 for any) and REDIS_URL from the environment; prints "listening <url>".
import { loadConfig } from '../../server/config.ts';
import { createPool } from '../../server/infra/db.ts';
import { startServer } from '../../server/server.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const server = await startServer({
  pool: createPool(databaseUrl, 6),
  // No periodic sweeps: they would raise alerts on the real clock (report reminders from 08:30 city
  // time) that the tests neither make nor expect.
  config: { ...loadConfig(), host: '127.0.0.1', logLevel: 'warn', sweepIntervalSeconds: 0 },
  logger: false,
});
console.log(`listening ${server.url}`);
