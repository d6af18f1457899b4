// API shapes of server/audit: the append-only log of reads of unmasked personal data and of exports.
import { Type, type Static } from 'typebox';

/** What an entry records: a read of unmasked personal data, an export, or an administrator's change. */
export const auditActions = [
  'personal_data.read',
  'export',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.password_reset',
  'wall_token.create',
  'wall_token.revoke',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Why the data is looked at, when the client says: also accepted as the X-Access-Reason header (percent-encoded UTF-8). */
export const maxAccessReasonLength = 500;
export const AccessReason = Type.String({ minLength: 1, maxLength: maxAccessReasonLength, description: 'why (kept in the audit log with the read or export); or header X-Access-Reason' });

/** The querystring every route that may answer unmasked personal data accepts. */
export const ReasonQuery = Type.Object({ reason: Type.Optional(AccessReason) }, { additionalProperties: false });

export const AuditLogEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  username: Type.String(),
  role: Type.String(),
  jurisdictionCode: Type.String(),
  action: Type.String(),
  resource: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'counts, filters, file names: never the personal data itself' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type AuditLogEntry = Static<typeof AuditLogEntry>;

export const AuditQuery = Type.Object(
  {
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'username (exact)' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. personal_data.read, export' })),
    resource: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'resource, or its beginning (e.g. people, ledger:)' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'at or after this instant' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'before this instant' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    reason: Type.Optional(AccessReason),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditList = Type.Object({
  total: Type.Integer({ description: 'entries matching, before paging' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(AuditLogEntry, { description: 'newest first' }),
});
export type AuditList = Static<typeof AuditList>;
