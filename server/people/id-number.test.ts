import { describe, expect, it } from 'vitest';
import { idNumberProblem, normaliseIdNumber, residentIdCheckChar } from './id-number.ts';

const today = '2026-11-22';

describe('resident ID numbers (GB 11643)', () => {
  it('computes the check character', () => {
    // The standard's own example: 11010519491231002X.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052419800101001')).toBe('3');
  });

  it('accepts valid numbers, with a lower-case x normalised', () => {
    expect(idNumberProblem('resident_id', '11010519491231002X', today)).toBeUndefined();
    expect(idNumberProblem('resident_id', normaliseIdNumber('resident_id', ' 11010519491231002x '), today)).toBeUndefined();
    expect(idNumberProblem('resident_id', '440524198001010013', today)).toBeUndefined();
  });

  it('rejects a wrong check digit, a wrong length, letters and impossible birth dates', () => {
    expect(idNumberProblem('resident_id', '110105194912310021', today)).toMatch(/check digit.*expected X/);
    expect(idNumberProblem('resident_id', '11010519491231002', today)).toMatch(/18 characters/);
    expect(idNumberProblem('resident_id', '1101051949123100AX', today)).toMatch(/18 characters/);
    const feb30 = '31010119900230123';
    expect(idNumberProblem('resident_id', feb30 + residentIdCheckChar(feb30), today)).toMatch(/birth date 1990-02-30/);
    const future = '31010120300101123';
    expect(idNumberProblem('resident_id', future + residentIdCheckChar(future), today)).toMatch(/birth date 2030-01-01/);
    const old = '31010118890101123';
    expect(idNumberProblem('resident_id', old + residentIdCheckChar(old), today)).toMatch(/birth date 1889-01-01/);
    const zeroRegion = '01010119900101123';
    expect(idNumberProblem('resident_id', zeroRegion + residentIdCheckChar(zeroRegion), today)).toMatch(/region/);
  });

  it('checks passports and other documents loosely', () => {
    expect(idNumberProblem('passport', normaliseIdNumber('passport', 'e12345678'), today)).toBeUndefined();
    expect(idNumberProblem('passport', 'E 1234', today)).toMatch(/passport/);
    expect(idNumberProblem('other', '军字-123456', today)).toBeUndefined();
    expect(idNumberProblem('other', 'a b', today)).toMatch(/document number/);
  });
});
