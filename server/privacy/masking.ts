import type { Role } from '../contracts/auth.ts';
import { forbidden } from '../errors.ts';

/**
 * Roles with a duty to see people's name, ID number, phone and exact address (inside their
 * jurisdiction, which every query already enforces). Everyone else sees them masked; the wall
 * display never receives them at all.
 */
const personalDataRoles: ReadonlySet<Role> = new Set(['district_official', 'street_official', 'grid_worker']);

export function seesPersonalData(role: Role): boolean {
  return personalDataRoles.has(role);
}

const stars = (n: number) => '*'.repeat(Math.max(1, n));

/** 张三 → 张*, 欧阳娜娜 → 欧***; a one-character name still hides itself. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + stars(Math.min(3, chars.length - 1));
}

/** 310101199001011234 → 3101**********1234; short numbers keep only their last two characters. */
export function maskIdNumber(idNumber: string): string {
  const chars = [...idNumber];
  if (chars.length < 10) return stars(chars.length - 2) + chars.slice(-2).join('');
  return chars.slice(0, 4).join('') + stars(chars.length - 8) + chars.slice(-4).join('');
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const digits = [...phone];
  if (digits.length < 8) return stars(digits.length);
  return digits.slice(0, 3).join('') + '****' + digits.slice(-4).join('');
}

/** Keeps the road, hides the number and the flat: 浦东新区张杨路500号3楼 → 浦东新区张杨****. */
export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.slice(0, Math.min(6, Math.floor(chars.length / 2))).join('') + '****';
}

export interface PersonalFields {
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
}

/** The fields as the role may see them, and whether they are masked. */
export function personalFieldsFor<T extends PersonalFields>(role: Role, person: T): T & { masked: boolean } {
  return seesPersonalData(role) ? { ...person, masked: false } : maskPersonalFields(person);
}

/** The fields masked whoever asks (an export without the right to carry them). */
export function maskPersonalFields<T extends PersonalFields>(person: T): T & { masked: true } {
  return {
    ...person,
    name: maskName(person.name),
    idNumber: maskIdNumber(person.idNumber),
    phone: person.phone === null ? null : maskPhone(person.phone),
    address: person.address === null ? null : maskAddress(person.address),
    masked: true,
  };
}

/** Said in every file exported masked, so that nobody mistakes it for the full register. */
export const maskedExportNotice = '个人信息已脱敏（无导出个人信息权限或未申请）/ Personal data masked (no right to export it, or not asked for)';

/**
 * Whether an export may carry personal data unmasked: it needs both the duty (the role) and the
 * right of its own (users.may_export_personal_data). `unmasked` is what the client asked for:
 * true without both is a 403, false masks on request, absent gives the most the user may have.
 */
export function exportMasked(user: { role: Role; mayExportPersonalData: boolean }, unmasked: boolean | undefined): boolean {
  const allowed = seesPersonalData(user.role) && user.mayExportPersonalData;
  if (unmasked === true && !allowed) {
    throw forbidden(seesPersonalData(user.role)
      ? 'You have no right to export personal data unmasked / 无导出个人信息权限'
      : `Role ${user.role} may not see personal data unmasked / 该角色无权查看个人信息`);
  }
  return !(allowed && unmasked !== false);
}
