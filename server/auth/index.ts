// Sessions: an opaque random token in an httpOnly cookie; only its SHA-256 is stored.
// Every /api route except health and login needs a session; the user's jurisdiction scopes every query.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { LoginBody, MeResponse, type Role, type SessionUser } from '../contracts/auth.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { verifyPassword } from './password.ts';
import * as repo from './auth.repository.ts';
import type { AuthUser } from './auth.repository.ts';

export type { AuthUser } from './auth.repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export const sessionCookie = 'ecc_session';
const publicPaths = new Set(['/api/health', '/api/auth/login']);
const writerRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official']);

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// A map view asks for dozens of tiles at once, each with the session cookie: remembering a session
// for a few seconds spares PostgreSQL those lookups. Logout forgets it at once on this process; on
// other processes a session lives at most this long after logout.
const sessionCacheMs = 3000;
const sessionCache = new LRUCache<string, AuthUser | false>({ max: 10_000, ttl: sessionCacheMs });

export function canWrite(user: AuthUser): boolean {
  return writerRoles.has(user.role);
}

/** The signed-in user; routes behind the session hook can rely on it. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthenticated();
  return request.user;
}

/** The signed-in user if their role is one of those given; 403 otherwise. */
export function requireRole(request: FastifyRequest, allowed: ReadonlySet<Role>, action: string): AuthUser {
  const user = currentUser(request);
  if (!allowed.has(user.role)) throw forbidden(`Role ${user.role} may not ${action} / 该角色无此权限`);
  return user;
}

/** The user of a session cookie header (for socket handshakes, which do not pass through Fastify hooks). */
export async function userFromCookies(pool: Pool, cookies: Record<string, string | undefined>): Promise<AuthUser | undefined> {
  const token = cookies[sessionCookie];
  if (!token || token.length > 128) return undefined;
  const tokenHash = hashToken(token);
  const cached = sessionCache.get(tokenHash);
  if (cached !== undefined) return cached || undefined;
  const user = await repo.findSessionUser(pool, tokenHash);
  sessionCache.set(tokenHash, user ?? false);
  return user;
}

export function requireWriter(request: FastifyRequest): AuthUser {
  const user = currentUser(request);
  if (!canWrite(user)) throw forbidden(`Role ${user.role} may not change data / 该角色无修改权限`);
  return user;
}

export function toSessionUser(user: AuthUser): SessionUser {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    jurisdiction: {
      code: user.jurisdictionCode,
      name: user.jurisdictionName,
      nameEn: user.jurisdictionNameEn,
      level: user.jurisdictionLevel,
    },
    canWrite: canWrite(user),
  };
}

function needsSession(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return (path.startsWith('/api/') || path.startsWith('/tiles/')) && !publicPaths.has(path);
}

async function authPlugin(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (request) => {
    request.user = (await userFromCookies(pool, request.cookies)) ?? null;
    if (!request.user && needsSession(request.url)) throw unauthenticated();
  });

  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets an httpOnly session cookie',
        body: LoginBody,
        response: { 200: MeResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await repo.findUserForLogin(pool, username.trim().toLowerCase());
      if (!user || !(await verifyPassword(password, user.passwordHash))) {
        throw unauthenticated('Wrong username or password / 用户名或密码错误');
      }
      const token = randomBytes(32).toString('base64url');
      await repo.createSession(pool, hashToken(token), user.id, config.sessionTtlHours);
      reply.setCookie(sessionCookie, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        path: '/',
        maxAge: config.sessionTtlHours * 3600,
      });
      return { user: toSessionUser(user) };
    },
  );

  typed.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the session', response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) {
        await repo.deleteSession(pool, hashToken(token));
        sessionCache.delete(hashToken(token));
      }
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponse, 401: ErrorResponse } } },
    async (request) => ({ user: toSessionUser(currentUser(request)) }),
  );
}

export default fp(authPlugin, { name: 'auth' });
