// The application in the test's own process, for tests that talk to it over real sockets.
import { loadConfig } from '../../server/config.ts';
import { createPool } from '../../server/infra/db.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { testDatabaseUrl } from './own-database.ts';

/**
 * The application listening on a free port of 127.0.0.1 in this process, on the test file's database;
 * sweeps off, since a test drives what they would do. `baseUrl` uses 127.0.0.1, not
 * localhost, so clients never try IPv6 first.
 */
export async function startTestServer(options: { connections?: number } = {}): Promise<{ server: RunningServer; baseUrl: string }> {
  const server = await startServer({
    pool: createPool(testDatabaseUrl(), options.connections ?? 4),
    config: { ...loadConfig({}), port: 0, host: '127.0.0.1', logLevel: 'warn', sweepIntervalSeconds: 0 },
    handleSignals: false,
    logger: false,
  });
  return { server, baseUrl: server.url.replace('localhost', '127.0.0.1') };
}
