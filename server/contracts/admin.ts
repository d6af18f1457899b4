// User administration and wall-display tokens (admin role only), and the wall's token sign-in.
import { Type, type Static } from 'typebox';
import { AreaCode } from './common.ts';
import { AreaRef } from './areas.ts';
import { Role } from './auth.ts';

const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const NullableTime = Type.Union([IsoTime, Type.Null()]);

export const Username = Type.String({ pattern: '^[a-z0-9_.-]{2,64}$', description: 'lower-case letters, digits, _ . -' });
export const DisplayName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
/** A password set by an admin; without one the server generates one and shows it once. */
export const NewPassword = Type.String({ minLength: 10, maxLength: 256 });

export const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  jurisdiction: AreaRef,
  mayExportPersonalData: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: IsoTime,
  activeSessions: Type.Integer({ description: 'sessions not yet expired' }),
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the username, display name or area name; or an area code prefix' })),
    role: Type.Optional(Role),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  },
  { additionalProperties: false },
);
export type AdminUserQuery = Static<typeof AdminUserQuery>;

export const AdminUserList = Type.Object({
  items: Type.Array(AdminUser),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
});
export type AdminUserList = Static<typeof AdminUserList>;

export const AdminUserParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: DisplayName,
    role: Role,
    jurisdiction: AreaCode,
    mayExportPersonalData: Type.Optional(Type.Boolean({ default: false })),
    password: Type.Optional(NewPassword),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    role: Type.Optional(Role),
    jurisdiction: Type.Optional(AreaCode),
    mayExportPersonalData: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ResetPasswordBody = Type.Object({ password: Type.Optional(NewPassword) }, { additionalProperties: false });
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

/** A user and, when the server chose the password, that password: shown this once, never stored in clear. */
export const UserWithPassword = Type.Object({
  user: AdminUser,
  generatedPassword: Type.Optional(Type.String()),
});
export type UserWithPassword = Static<typeof UserWithPassword>;

export const wallTokenStatuses = ['active', 'expired', 'revoked'] as const;
export const WallTokenStatus = Type.Enum(wallTokenStatuses);
export type WallTokenStatus = Static<typeof WallTokenStatus>;

export const WallToken = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  area: AreaRef,
  /** The token's own user (role wall): its sessions are the wall's. */
  username: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoTime,
  lastUsedAt: NullableTime,
  expiresAt: NullableTime,
  revokedAt: NullableTime,
  status: WallTokenStatus,
});
export type WallToken = Static<typeof WallToken>;

export const WallTokenList = Type.Object({ items: Type.Array(WallToken) });
export type WallTokenList = Static<typeof WallTokenList>;

export const WallTokenParams = AdminUserParams;

export const CreateWallTokenBody = Type.Object(
  {
    label: DisplayName,
    area: AreaCode,
    expiresAt: Type.Optional(IsoTime),
  },
  { additionalProperties: false },
);
export type CreateWallTokenBody = Static<typeof CreateWallTokenBody>;

export const CreatedWallToken = Type.Object({
  wallToken: WallToken,
  /** The secret itself: shown this once; only its SHA-256 is kept. */
  token: Type.String(),
});
export type CreatedWallToken = Static<typeof CreatedWallToken>;

export const WallSignInBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 128 }) },
  { additionalProperties: false },
);
export type WallSignInBody = Static<typeof WallSignInBody>;
