// `npm start`: from a bare machine to the running product with the demo loaded.
// database (find, start or install it) → migrations → demo data (only into an empty database)
// → client build (only when stale) → HTTP server. Each step says what it does and how long it took.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';
import { demoUsers } from './auth/demo-users.ts';
import { loadConfig, type Config } from './config.ts';
import { ensureClientBuilt } from './infra/client-build.ts';
import { createPool } from './infra/db.ts';
import { resolveDatabase } from './infra/local-postgres.ts';

const log = (line: string): void => console.log(`[start] ${line}`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const started = performance.now();
  const timings: string[] = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    const result = await work();
    timings.push(`${name} ${seconds(performance.now() - at)}`);
    return result;
  };

  const config = loadConfig();
  // Loading the server's modules takes seconds of CPU; let it overlap the database steps' waiting.
  const serverModule = import('./server.ts');
  serverModule.catch(() => undefined);
  const url = await step('database', () => resolveDatabase({ log, databaseUrl: config.databaseUrl }));
  const migrations = await step('migrations', () => migrate(url, log));
  if (migrations.applied.length > 0) log(`migrations: ${migrations.applied.length} applied`);

  await step('demo', async () => {
    if (await hasAreas(url)) {
      // A demo loaded before the supervision round existed gets it now (once).
      if ((await (await import('./inspection/demo-round.ts')).ensureDemoRound(url)).created) log('demo: inspection round added');
      return log('demo: already loaded');
    }
    // Imported only when needed: the generator's modules are a good part of a start's time.
    const { loadDemo } = await import('../data/load-demo.ts');
    const demo = await loadDemo(url, { log, password: config.demoPassword });
    if (demo.loaded) {
      log(`demo: loaded ${demo.areas} areas, ${demo.sites} sites, ${demo.riskAreas} risk areas, ${demo.users} users in ${seconds(demo.ms)}`);
    }
  });

  const client = await step('client', () => ensureClientBuilt({ log }));
  if (!client.built) log('client: up to date');

  const pool = createPool(url);
  const { startServer } = await serverModule;
  const server = await step('server', () => startServer({ pool, config }));
  printBanner(server.url, config, performance.now() - started, timings);
}

async function hasAreas(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, application_name: 'ecc-start' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM areas LIMIT 1')).rowCount === 1;
  } finally {
    await client.end();
  }
}

function printBanner(url: string, config: Config, totalMs: number, timings: string[]): void {
  const width = Math.max(...demoUsers.map((user) => user.username.length));
  const lines = [
    '',
    '  疫情防控指挥中心 GIS · Epidemic control command centre',
    `  ready in ${seconds(totalMs)} (${timings.join(', ')})`,
    '',
    `  open      ${browserUrl(url)}`,
    `  API docs  ${browserUrl(url)}/docs`,
    '',
    '  demo users:',
    ...demoUsers.map((user) => `    ${user.username.padEnd(width)}  ${user.role.padEnd(17)} ${user.jurisdiction}  ${user.displayName}`),
    config.demoPassword === 'demo-password'
      ? '  password: demo-password (set DEMO_PASSWORD before the first start to change it)'
      : '  password: the value of DEMO_PASSWORD at the first start',
    '',
  ];
  console.log(lines.join('\n'));
}

// Listening on 0.0.0.0 is right for a server, but a browser needs a name it can open.
function browserUrl(url: string): string {
  return url.replace('://0.0.0.0', '://localhost').replace('://[::]', '://localhost').replace(/\/$/, '');
}

main().catch((error: unknown) => {
  console.error(`\n[start] failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
