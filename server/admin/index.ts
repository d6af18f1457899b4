// User administration and wall-display tokens (admin role, inside the admin's jurisdiction), and
// the wall's token sign-in. Every change is written to the audit log in the change's transaction.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { MeResponse, type Role } from '../contracts/auth.ts';
import {
  AdminUser,
  AdminUserList,
  AdminUserParams,
  AdminUserQuery,
  CreatedWallToken,
  CreateUserBody,
  CreateWallTokenBody,
  ResetPasswordBody,
  UpdateUserBody,
  UserWithPassword,
  WallSignInBody,
  WallToken,
  WallTokenList,
  WallTokenParams,
} from '../contracts/admin.ts';
import type { AreaLevel } from '../contracts/common.ts';
import { clearLoginLock, endUserSessions, hashToken, requireRole, startSession, toSessionUser, type AuthUser } from '../auth/index.ts';
import { findUserForLogin } from '../auth/auth.repository.ts';
import { hashPassword } from '../auth/password.ts';
import { audit } from '../audit/index.ts';
import { findAreaPath, pathWithin } from '../areas/areas.repository.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { badRequest, conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import * as repo from './admin.repository.ts';

const adminRoles: ReadonlySet<Role> = new Set(['admin']);
/** A wall draws its area's children and grandchildren: below a street there is too little to show. */
const wallLevels: ReadonlySet<AreaLevel> = new Set(['city', 'district', 'street']);
/** Stored for a wall token's own user: no password hash has this form, so no password signs it in. */
const unusablePassword = '!wall-token';

const generatePassword = () => randomBytes(12).toString('base64url');

/** The area if it exists and lies inside the admin's jurisdiction; 400 / 403 otherwise. */
async function areaInScope(pool: Pool, admin: AuthUser, code: string, field: string) {
  const area = await findAreaPath(pool, code);
  if (!area) throw badRequest(`${field}: no area ${code} / 无此区划代码`, [{ field, message: 'unknown area code' }]);
  if (!pathWithin(area.path, admin.jurisdictionPath)) {
    throw forbidden(`${field}: area ${code} is outside your jurisdiction / 超出管辖范围`);
  }
  return area;
}

function refuseWallRole(role: Role | undefined) {
  if (role === 'wall') {
    throw badRequest('The wall role is only for wall-display tokens / 大屏角色只能通过大屏令牌创建', [{ field: 'role', message: 'wall is reserved for wall tokens' }]);
  }
}

export default async function adminRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const tags = ['admin'];

  const requireAdmin = (request: FastifyRequest) => requireRole(request, adminRoles, 'administer users and wall displays');

  /** A person's account inside the admin's jurisdiction (wall tokens' users are changed through their token). */
  async function managedUser(admin: AuthUser, id: number) {
    const user = await repo.getUser(pool, admin.jurisdictionPath, id);
    if (!user) throw notFound(`No user ${id} in your jurisdiction / 无此用户`);
    if (user.wallTokenId !== null) {
      throw badRequest(`User ${user.username} belongs to wall token ${user.wallTokenId}: revoke the token instead / 该账号属于大屏令牌，请撤销令牌`);
    }
    return user;
  }
  async function reread(admin: AuthUser, id: number): Promise<AdminUser> {
    const { wallTokenId: _wall, ...user } = (await repo.getUser(pool, admin.jurisdictionPath, id))!;
    return user;
  }

  typed.get(
    '/api/admin/users',
    {
      schema: { tags, summary: 'Users in your jurisdiction, by username, searched and paged', querystring: AdminUserQuery, response: { 200: AdminUserList, ...errors } },
    },
    async (request) => {
      const admin = requireAdmin(request);
      const offset = request.query.offset ?? 0;
      const limit = request.query.limit ?? 25;
      const page = await repo.listUsers(pool, admin.jurisdictionPath, { ...request.query, offset, limit });
      return { ...page, offset, limit };
    },
  );

  typed.post(
    '/api/admin/users',
    {
      schema: {
        tags,
        summary: 'Create a user; without a password one is generated and returned this once',
        body: CreateUserBody,
        response: { 201: UserWithPassword, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const body = request.body;
      refuseWallRole(body.role);
      await areaInScope(pool, admin, body.jurisdiction, 'jurisdiction');
      if (await repo.usernameTaken(pool, body.username)) throw conflict(`Username ${body.username} is taken / 用户名已存在`);
      const generatedPassword = body.password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(body.password ?? generatedPassword!);
      const id = await withTransaction(pool, async (client) => {
        const newId = await repo.insertUser(client, {
          username: body.username,
          displayName: body.displayName.trim(),
          passwordHash,
          role: body.role,
          jurisdiction: body.jurisdiction,
          mayExportPersonalData: body.mayExportPersonalData ?? false,
        });
        await audit(request, {
          action: 'user.create',
          resource: 'users',
          resourceId: String(newId),
          detail: {
            username: body.username,
            role: body.role,
            jurisdiction: body.jurisdiction,
            mayExportPersonalData: body.mayExportPersonalData ?? false,
            passwordGenerated: generatedPassword !== undefined,
          },
        }, client);
        return newId;
      });
      return reply.status(201).send({ user: await reread(admin, id), ...(generatedPassword ? { generatedPassword } : {}) });
    },
  );

  typed.patch(
    '/api/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user\'s display name, role, jurisdiction or export right (not your own role or jurisdiction)',
        params: AdminUserParams,
        body: UpdateUserBody,
        response: { 200: AdminUser, ...errors },
      },
    },
    async (request) => {
      const admin = requireAdmin(request);
      const { id } = request.params;
      const body = request.body;
      const user = await managedUser(admin, id);
      refuseWallRole(body.role);
      if (body.role !== undefined && body.role !== user.role && user.role === 'wall') refuseWallRole('wall');
      if (id === admin.id && ((body.role !== undefined && body.role !== 'admin') || (body.jurisdiction !== undefined && body.jurisdiction !== admin.jurisdictionCode))) {
        throw badRequest('You may not change your own role or jurisdiction / 不能修改自己的角色或管辖范围');
      }
      if (body.jurisdiction !== undefined) await areaInScope(pool, admin, body.jurisdiction, 'jurisdiction');
      const before: Record<string, unknown> = {
        displayName: user.displayName,
        role: user.role,
        jurisdiction: user.jurisdiction.code,
        mayExportPersonalData: user.mayExportPersonalData,
      };
      const after: Record<string, unknown> = { ...body, ...(body.displayName !== undefined ? { displayName: body.displayName.trim() } : {}) };
      const changes = Object.fromEntries(
        Object.entries(after)
          .filter(([field, value]) => before[field] !== value)
          .map(([field, value]) => [field, { from: before[field], to: value }]),
      );
      if (Object.keys(changes).length > 0) {
        await withTransaction(pool, async (client) => {
          await repo.updateUser(client, id, { ...body, displayName: after.displayName as string | undefined });
          await audit(request, { action: 'user.update', resource: 'users', resourceId: String(id), detail: { username: user.username, changes } }, client);
        });
      }
      return reread(admin, id);
    },
  );

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    typed.post(
      `/api/admin/users/:id/${verb}`,
      {
        schema: {
          tags,
          summary: disabled ? 'Disable a user: their sessions end at once (not yourself)' : 'Enable a disabled user',
          params: AdminUserParams,
          response: { 200: AdminUser, ...errors },
        },
      },
      async (request) => {
        const admin = requireAdmin(request);
        const { id } = request.params;
        const user = await managedUser(admin, id);
        if (disabled && id === admin.id) throw badRequest('You may not disable yourself / 不能停用自己的账号');
        if (user.disabled !== disabled) {
          await withTransaction(pool, async (client) => {
            await repo.setDisabled(client, id, disabled);
            const sessionsEnded = disabled ? await endUserSessions(client, id) : 0;
            await audit(request, {
              action: disabled ? 'user.disable' : 'user.enable',
              resource: 'users',
              resourceId: String(id),
              detail: { username: user.username, ...(disabled ? { sessionsEnded } : {}) },
            }, client);
          });
        }
        return reread(admin, id);
      },
    );
  }

  typed.post(
    '/api/admin/users/:id/password',
    {
      schema: {
        tags,
        summary: 'Reset a user\'s password (generated and returned this once when none is given); their sessions end and a sign-in lock is lifted',
        params: AdminUserParams,
        body: ResetPasswordBody,
        response: { 200: UserWithPassword, ...errors },
      },
    },
    async (request) => {
      const admin = requireAdmin(request);
      const { id } = request.params;
      const user = await managedUser(admin, id);
      const generatedPassword = request.body.password === undefined ? generatePassword() : undefined;
      const passwordHash = await hashPassword(request.body.password ?? generatedPassword!);
      await withTransaction(pool, async (client) => {
        await repo.setPasswordHash(client, id, passwordHash);
        const sessionsEnded = await endUserSessions(client, id);
        await audit(request, {
          action: 'user.password_reset',
          resource: 'users',
          resourceId: String(id),
          detail: { username: user.username, passwordGenerated: generatedPassword !== undefined, sessionsEnded },
        }, client);
      });
      // The owner has been given a new password: a lock from failed guesses no longer protects anything.
      await clearLoginLock(pool, user.username);
      return { user: await reread(admin, id), ...(generatedPassword ? { generatedPassword } : {}) };
    },
  );

  typed.get(
    '/api/admin/wall-tokens',
    { schema: { tags, summary: 'Wall-display tokens for areas in your jurisdiction: active first', response: { 200: WallTokenList, ...errors } } },
    async (request) => ({ items: await repo.listWallTokens(pool, requireAdmin(request).jurisdictionPath) }),
  );

  typed.post(
    '/api/admin/wall-tokens',
    {
      schema: {
        tags,
        summary: 'Create a read-only wall-display token for one area (city, district or street); the token is returned this once',
        body: CreateWallTokenBody,
        response: { 201: CreatedWallToken, ...errors },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const { label, area: code, expiresAt } = request.body;
      const area = await areaInScope(pool, admin, code, 'area');
      if (!wallLevels.has(area.level)) {
        throw badRequest(`A wall shows a city, district or street, not a ${area.level} / 大屏区域须为市、区或街道`, [{ field: 'area', message: `level ${area.level}` }]);
      }
      if (expiresAt !== undefined && new Date(expiresAt).getTime() <= Date.now()) {
        throw badRequest('expiresAt must be in the future / 过期时间须晚于现在', [{ field: 'expiresAt', message: 'in the past' }]);
      }
      const token = randomBytes(32).toString('base64url');
      const id = await withTransaction(pool, async (client) => {
        const username = `wall-${randomBytes(5).toString('hex')}`;
        const userId = await repo.insertUser(client, {
          username,
          displayName: label.trim(),
          passwordHash: unusablePassword,
          role: 'wall',
          jurisdiction: code,
          mayExportPersonalData: false,
        });
        const tokenId = await repo.insertWallToken(client, {
          label: label.trim(),
          area: code,
          tokenHash: hashToken(token),
          userId,
          createdBy: admin.id,
          expiresAt: expiresAt ?? null,
        });
        await audit(request, {
          action: 'wall_token.create',
          resource: 'wall_tokens',
          resourceId: String(tokenId),
          detail: { label: label.trim(), area: code, username, expiresAt: expiresAt ?? null },
        }, client);
        return tokenId;
      });
      const wallToken = await repo.getWallToken(pool, admin.jurisdictionPath, id);
      return reply.status(201).send({ wallToken: withoutUserId(wallToken!), token });
    },
  );

  typed.post(
    '/api/admin/wall-tokens/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a wall token: its user is disabled and its sessions end (within 3 s on every server process)',
        params: WallTokenParams,
        response: { 200: WallToken, ...errors },
      },
    },
    async (request) => {
      const admin = requireAdmin(request);
      const { id } = request.params;
      const found = await repo.getWallToken(pool, admin.jurisdictionPath, id);
      if (!found) throw notFound(`No wall token ${id} in your jurisdiction / 无此大屏令牌`);
      if (found.revokedAt === null) {
        await withTransaction(pool, async (client) => {
          await repo.revokeWallToken(client, id, admin.id);
          await repo.setDisabled(client, found.userId, true);
          const sessionsEnded = await endUserSessions(client, found.userId);
          await audit(request, {
            action: 'wall_token.revoke',
            resource: 'wall_tokens',
            resourceId: String(id),
            detail: { label: found.label, area: found.area.code, username: found.username, sessionsEnded },
          }, client);
        });
      }
      return withoutUserId((await repo.getWallToken(pool, admin.jurisdictionPath, id))!);
    },
  );

  typed.post(
    '/api/wall/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'A wall display exchanges its token for a read-only session of the token\'s user (sets the session cookie)',
        security: [],
        body: WallSignInBody,
        response: { 200: MeResponse, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const used = await repo.useWallToken(pool, hashToken(request.body.token));
      const user = used && (await findUserForLogin(pool, used.username));
      if (!used || !user) throw unauthenticated('Invalid, revoked or expired wall token / 大屏令牌无效、已撤销或已过期');
      await startSession(pool, config, reply, user.id);
      // A session must not outlive its token.
      if (used.expiresAt) await repo.capUserSessions(pool, user.id, used.expiresAt);
      return { user: toSessionUser(user) };
    },
  );
}

const withoutUserId = ({ userId: _userId, ...token }: WallToken & { userId: number }): WallToken => token;
