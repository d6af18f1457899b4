// The audit log (审计日志): every read of unmasked personal data and every export is recorded with
// `await audit(request, {...})`; admins search and export it under /api/admin/audit.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { AuditList, AuditQuery, maxAccessReasonLength } from '../contracts/audit.ts';
import type { Role } from '../contracts/auth.ts';
import { currentUser, requireRole } from '../auth/index.ts';
import type { Pool, Queryable } from '../infra/db.ts';
import { badRequest } from '../errors.ts';
import { auditWorkbook } from './audit-sheet.ts';
import { recordAudit, searchAudit, type AuditEntry } from './audit.repository.ts';

export { recordAudit, type AuditAction, type AuditEntry } from './audit.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where audit(request, ...) writes when no transaction is given. */
    auditDb: Queryable;
  }
}

const auditorRoles: ReadonlySet<Role> = new Set(['admin']);
const maxExportRows = 50_000;

/**
 * Why the client says it reads: the X-Access-Reason header (percent-encoded UTF-8, since headers are
 * Latin-1) or else the `reason` query parameter (already decoded by the query parser: not decoded
 * twice, so a literal "%" stays). Null when neither is given. Routes that declare `reason` refuse a
 * longer one (400); a longer header, or `reason` on a route without a query schema, is cut to 500.
 */
export function accessReason(request: FastifyRequest): string | null {
  const header = request.headers['x-access-reason'];
  const sent = (Array.isArray(header) ? header[0] : header)?.trim();
  let text: unknown = (request.query as { reason?: unknown } | undefined)?.reason;
  if (sent) {
    try {
      text = decodeURIComponent(sent);
    } catch {
      text = sent; // not percent-encoded: kept as sent
    }
  }
  if (Array.isArray(text)) text = text[0];
  if (typeof text !== 'string' || text.trim() === '') return null;
  return Array.from(text.trim()).slice(0, maxAccessReasonLength).join('');
}

/**
 * Records who (the signed-in user), what (`entry`), when, from where (request.ip, user agent) and why
 * (accessReason). Pass `db` to write inside the transaction of the read it records.
 */
export async function audit(request: FastifyRequest, entry: Omit<AuditEntry, 'ip' | 'userAgent' | 'reason'>, db?: Queryable): Promise<void> {
  await recordAudit(db ?? request.server.auditDb, currentUser(request), {
    ...entry,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    reason: accessReason(request),
  });
}

/** The query's filters as the repository takes them; a time range that ends before it starts is a 400. */
function auditFilter(query: AuditQuery) {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) throw badRequest('from is after to / 起始时间晚于结束时间');
  return {
    ...(query.user ? { username: query.user } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.resource ? { resource: query.resource } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
}

async function auditPlugin(app: FastifyInstance, deps: { pool: Pool }) {
  const { pool } = deps;
  app.decorate('auditDb', pool);
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

  typed.get(
    '/api/admin/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log (admin): reads of unmasked personal data and exports, newest first',
        description: 'Filters: user (username), action, resource (or its beginning), from/to (instants). The log is append-only.',
        querystring: AuditQuery,
        response: { 200: AuditList, ...errors },
      },
    },
    async (request) => {
      requireRole(request, auditorRoles, 'read the audit log');
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      return { limit, offset, ...(await searchAudit(pool, { ...auditFilter(request.query), limit, offset })) };
    },
  );

  typed.get(
    '/api/admin/audit.xlsx',
    {
      schema: {
        tags: ['audit'],
        summary: `The audit log as an Excel workbook (admin), same filters, up to ${maxExportRows.toLocaleString('en')} entries; the export is itself audited`,
        querystring: AuditQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.Unknown({ description: 'the .xlsx file' }), ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request, auditorRoles, 'export the audit log');
      const filter = auditFilter(request.query);
      const { items, total } = await searchAudit(pool, { ...filter, limit: maxExportRows, offset: 0 });
      const file = `audit-log-${new Date().toISOString().slice(0, 10)}.xlsx`;
      await audit(request, { action: 'export', resource: 'audit_log', detail: { count: items.length, total, filters: filter, file } });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`审计日志-${file.slice(10)}`)}`)
        .send(await auditWorkbook(items, total, filter));
    },
  );
}

export default fp(auditPlugin, { name: 'audit' });
