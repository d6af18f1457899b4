import { Type, type Static } from 'typebox';
import { AreaRef } from './areas.ts';

export const roles = [
  'admin',
  'command',
  'district_official',
  'street_official',
  'grid_worker',
  'team_leader',
  'wall',
] as const;
export type Role = (typeof roles)[number];

/** The session cookie's name (httpOnly: set by the sign-in routes, sent back by browsers and API clients). */
export const sessionCookie = 'ecc_session';
export const Role = Type.Enum(roles);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SessionUser = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  jurisdiction: AreaRef,
  /** Roles that may change risk areas and other shared data; the wall display may not. */
  canWrite: Type.Boolean(),
});
export type SessionUser = Static<typeof SessionUser>;

export const MeResponse = Type.Object({ user: SessionUser });
export type MeResponse = Static<typeof MeResponse>;
