// The real application, in process, on the test file's own throw-away database (file-database.ts).
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createPool, type Pool } from '../../server/infra/db.ts';
import { sessionCookie } from '../../server/auth/index.ts';
import { testDatabaseUrl } from './own-database.ts';

export interface TestApp {
  app: FastifyInstance;
  pool: Pool;
  /** Signs a demo user in and returns the Cookie header for their session. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export const demoPassword = 'demo-password';

export interface TestAppOptions {
  onRoute?: (route: RouteOptions) => void;
  /** settings other than the defaults (a test of sign-in limits, session timeouts...) */
  config?: Partial<Config>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const pool = createPool(testDatabaseUrl(), 4);
  // A file signs in from 127.0.0.1 many times, after tests of bad sign-ins too: the per-address limit
  // would refuse its later sign-ins, so it is lifted here (sessions.test.ts sets and tests it).
  const config = { ...loadConfig({}), logLevel: 'warn', sweepIntervalSeconds: 0, loginIpMaxFailures: 100_000, ...options.config };
  const app = await buildApp({ pool, config, logger: false, onRoute: options.onRoute });
  await app.ready();
  return {
    app,
    pool,
    async login(username: string) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: demoPassword } });
      const session = response.cookies.find((cookie) => cookie.name === sessionCookie);
      if (response.statusCode !== 200 || !session) throw new Error(`login as ${username} failed: ${response.body}`);
      return `${sessionCookie}=${session.value}`;
    },
    async close() {
      await app.close();
      await pool.end();
    },
  };
}

export function json<T>(response: LightMyRequestResponse): T {
  return response.json() as T;
}
