// Sessions: an opaque random token in an httpOnly, SameSite=Strict cookie; only its SHA-256 is stored.
// A session ends at its absolute expiry, after its idle timeout, at logout, or when all of its user's
// sessions are ended. Every /api route except health and the sign-ins needs a session; the user's
// jurisdiction scopes every query. Unsafe cross-site requests are refused (csrf.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { LoginBody, MeResponse, sessionCookie, type Role, type SessionUser } from '../contracts/auth.ts';
import type { Pool, Queryable } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { AppError, forbidden, unauthenticated } from '../errors.ts';
import { schedulePeriodicSweep } from '../infra/periodic-sweep.ts';
import { assertSameOrigin } from './csrf.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import * as repo from './auth.repository.ts';
import type { AuthUser } from './auth.repository.ts';

export type { AuthUser } from './auth.repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export { sessionCookie };
const publicPaths = new Set(['/api/health', '/api/auth/login', '/api/wall/sign-in']);
const writerRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official']);

/** SHA-256 of a secret token, as stored (sessions, wall tokens). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

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

/**
 * Starts a session for a user and sets its cookie on the reply: the login route, and any other way of
 * signing in (a wall display's token), go through here.
 */
export async function startSession(pool: Pool, config: Config, reply: FastifyReply, userId: number): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await repo.createSession(pool, hashToken(token), userId, config.sessionTtlHours, config.sessionIdleMinutes);
  reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    // Every page is served by this server: no other site ever needs to send the cookie.
    sameSite: 'strict',
    secure: config.secureCookies,
    path: '/',
    maxAge: config.sessionTtlHours * 3600,
  });
}

/** Ends every session of a user (a disabled user, a changed password, "sign out everywhere"). */
export async function endUserSessions(db: Queryable, userId: number): Promise<number> {
  const ended = await repo.deleteUserSessions(db, userId);
  for (const [tokenHash, user] of sessionCache.entries()) {
    if (user && user.id === userId) sessionCache.delete(tokenHash);
  }
  return ended;
}

// Failed sign-ins are counted per account (consecutive, until a success or a day without one) and
// per client address (within the lock's length): the first stops guessing one password, the second
// trying one password on many accounts. A browser the account has signed in from before (its device
// cookie) is counted on its own instead of with the account: strangers failing lock out strangers,
// not the owner at their usual desk.
const accountKey = (username: string) => `user:${username}`;
const deviceKey = (tokenHash: string) => `device:${tokenHash}`;
const addressKey = (ip: string) => `ip:${ip}`;
const accountWindowMinutes = 24 * 60;
/** The device cookie: sent to the sign-in route only. */
export const deviceCookie = 'ecc_device';
const deviceTrustDays = 180;

/** Lifts an account's sign-in lock (an admin, once the owner is known to be the one who failed). */
export async function clearLoginLock(pool: Pool, username: string): Promise<void> {
  await repo.clearLoginFailures(pool, accountKey(username));
}

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));
const accountLocked = (seconds: number) =>
  new AppError(423, 'account_locked', `Too many failed sign-ins for this account: try again in ${minutes(seconds)} min / 该账号登录失败次数过多，请 ${minutes(seconds)} 分钟后再试`, { retryAfterSeconds: seconds });
const addressLimited = (seconds: number) =>
  new AppError(429, 'rate_limited', `Too many failed sign-ins from this address: try again in ${minutes(seconds)} min / 此地址登录失败次数过多，请 ${minutes(seconds)} 分钟后再试`, { retryAfterSeconds: seconds });

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

  const trustedOrigins = new Set(config.corsOrigins);
  app.addHook('onRequest', async (request) => {
    assertSameOrigin(request, trustedOrigins);
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
        description: `After ${config.loginMaxFailures} failed sign-ins in a row an account is locked for ${config.loginLockMinutes} min (423); `
          + `after ${config.loginIpMaxFailures} failures within that time an address is refused as long (429). Both say when to retry (Retry-After). `
          + 'Unknown usernames are answered, and locked, exactly like known ones.',
        body: LoginBody,
        response: { 200: MeResponse, 401: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const name = username.trim().toLowerCase();
      const deviceToken = request.cookies[deviceCookie];
      const deviceHash = deviceToken && deviceToken.length <= 128 ? hashToken(deviceToken) : null;
      const device = deviceHash && (await repo.isTrustedDevice(pool, deviceHash, name)) ? deviceHash : null;
      // A trusted browser's failures lock that browser; anyone else's lock the account for anyone else.
      const keys = { counted: device ? deviceKey(device) : accountKey(name), address: addressKey(request.ip) };
      const locked = await repo.lockedKeys(pool, [keys.counted, keys.address]);
      const addressLock = locked.get(keys.address);
      if (addressLock !== undefined) throw addressLimited(addressLock);
      const accountLock = locked.get(keys.counted);
      if (accountLock !== undefined) throw accountLocked(accountLock);

      const user = await repo.findUserForLogin(pool, name);
      if (!(await verifyPassword(password, user?.passwordHash)) || !user) {
        const [accountNowLocked, addressNowLocked] = await Promise.all([
          repo.recordLoginFailure(pool, keys.counted, { maxFailures: config.loginMaxFailures, windowMinutes: accountWindowMinutes, lockMinutes: config.loginLockMinutes }),
          repo.recordLoginFailure(pool, keys.address, { maxFailures: config.loginIpMaxFailures, windowMinutes: config.loginLockMinutes, lockMinutes: config.loginLockMinutes }),
        ]);
        if (addressNowLocked !== undefined) throw addressLimited(addressNowLocked);
        if (accountNowLocked !== undefined) throw accountLocked(accountNowLocked);
        throw unauthenticated('Wrong username or password / 用户名或密码错误');
      }
      await repo.clearLoginFailures(pool, keys.counted);
      if (needsRehash(user.passwordHash)) await repo.updatePasswordHash(pool, user.id, await hashPassword(password));
      await startSession(pool, config, reply, user.id);
      if (!device) {
        const token = randomBytes(32).toString('base64url');
        await repo.trustDevice(pool, hashToken(token), user.id, deviceTrustDays);
        reply.setCookie(deviceCookie, token, {
          httpOnly: true, sameSite: 'strict', secure: config.secureCookies, path: '/api/auth/login', maxAge: deviceTrustDays * 86_400,
        });
      }
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

  typed.post(
    '/api/auth/logout-everywhere',
    { schema: { tags: ['auth'], summary: 'End every session of the signed-in user (all browsers and devices)', response: { 204: { type: 'null' }, 401: ErrorResponse } } },
    async (request, reply) => {
      await endUserSessions(pool, currentUser(request).id);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponse, 401: ErrorResponse } } },
    async (request) => ({ user: toSessionUser(currentUser(request)) }),
  );

  // Sessions past their expiry or idle timeout, and failed sign-ins no longer counted.
  schedulePeriodicSweep(app, pool, {
    name: 'sessions',
    intervalSeconds: config.sweepIntervalSeconds,
    sweep: async (_now, client) => {
      await repo.sweepSessions(client, Math.max(accountWindowMinutes, config.loginLockMinutes));
      return { alertIds: [] };
    },
  });
}

export default fp(authPlugin, { name: 'auth' });
