// Identity document numbers: the resident ID (居民身份证, GB 11643-1999) is checked in full, so a
// typo is caught at registration rather than found later as two records of one person.
import type { PersonIdType } from '../contracts/people.ts';

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

/** The GB 11643 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return checkChars[sum % 11]!;
}

/** The number as stored: trimmed, upper case (a lower-case x check digit, a passport's letters). */
export function normaliseIdNumber(idType: PersonIdType, idNumber: string): string {
  const trimmed = idNumber.trim();
  return idType === 'other' ? trimmed : trimmed.toUpperCase();
}

/**
 * Why the (normalised) number is not valid for its type, in Chinese and English; undefined when it
 * is. `today` (YYYY-MM-DD, the city's day) bounds the birth date of a resident ID.
 */
export function idNumberProblem(idType: PersonIdType, idNumber: string, today: string): string | undefined {
  if (idType === 'resident_id') {
    if (!/^[0-9]{17}[0-9X]$/.test(idNumber)) return '身份证号须为18位（17位数字加校验位）/ a resident ID has 18 characters: 17 digits and a check digit (0-9 or X)';
    if (idNumber[0] === '0') return '身份证号地区码无效 / the region code of the resident ID is invalid';
    const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
    const parsed = new Date(`${birth}T00:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth || birth < '1900-01-01' || birth > today) {
      return `身份证号中的出生日期 ${birth} 无效 / the birth date ${birth} in the resident ID is not a real past date`;
    }
    const expected = residentIdCheckChar(idNumber.slice(0, 17));
    if (idNumber[17] !== expected) return `身份证号校验位错误（应为 ${expected}）/ the check digit of the resident ID is wrong (expected ${expected})`;
    return undefined;
  }
  if (idType === 'passport') {
    if (!/^[A-Z0-9]{5,20}$/.test(idNumber)) return '护照号须为5–20位字母或数字 / a passport number has 5–20 letters or digits';
    return undefined;
  }
  if (!/^[\p{L}\p{N}()（）-]{4,32}$/u.test(idNumber)) return '证件号须为4–32位字母、数字或连字符 / a document number has 4–32 letters, digits or hyphens';
  return undefined;
}
