// The real application, in process, on the run's throw-away database (see database-setup.ts).
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createPool, type Pool } from '../../server/infra/db.ts';
import { sessionCookie } from '../../server/auth/index.ts';

export interface TestApp {
  app: FastifyInstance;
  pool: Pool;
  /** Signs a demo user in and returns the Cookie header for their session. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export const demoPassword = 'demo-password';

export interface TestAppOptions {
  /** another database than the run's (a test that needs one to itself) */
  databaseUrl?: string;
  onRoute?: (route: RouteOptions) => void;
  /** settings other than the defaults (a test of sign-in limits, session timeouts...) */
  config?: Partial<Config>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const pool = createPool(options.databaseUrl ?? inject('databaseUrl'), 4);
  // Every test file signs in from 127.0.0.1 on one database: a lock on that address (after tests of
  // bad input to the login) would fail unrelated files, so the per-address limit is lifted here.
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
