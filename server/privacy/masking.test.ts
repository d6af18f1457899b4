import { describe, expect, it } from 'vitest';
import { exportMasked, maskAddress, maskIdNumber, maskName, maskPhone, personalFieldsFor, seesPersonalData } from './masking.ts';

describe('masking', () => {
  it('masks the way officials expect', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('*');
    expect(maskIdNumber('310101199001011234')).toBe('3101**********1234');
    expect(maskIdNumber('E1234567')).toBe('******67');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskAddress('浦东新区张杨路500号3楼')).toBe('浦东新区张杨****');
  });

  it('never leaves a whole value visible', () => {
    for (const value of ['王', '王五', '13800000000', '310101199001011234', 'A1', '某路1号']) {
      for (const mask of [maskName, maskIdNumber, maskPhone, maskAddress]) expect(mask(value)).not.toBe(value);
    }
  });

  it('shows personal data only to roles with a duty to see it', () => {
    const person = { name: '张三', idNumber: '310101199001011234', phone: '13812345678', address: null, grid: '31011500100101' };
    expect(personalFieldsFor('grid_worker', person)).toEqual({ ...person, masked: false });
    const masked = personalFieldsFor('command', person);
    expect(masked).toEqual({ ...person, name: '张*', idNumber: '3101**********1234', phone: '138****5678', address: null, masked: true });
    for (const role of ['admin', 'command', 'team_leader', 'wall'] as const) expect(seesPersonalData(role)).toBe(false);
  });
});

describe('the export right', () => {
  it('unmasks an export only for a role with the duty and the right, and refuses an explicit ask without them', () => {
    const street = { role: 'street_official' as const, mayExportPersonalData: true };
    expect(exportMasked(street, undefined)).toBe(false);
    expect(exportMasked(street, true)).toBe(false);
    expect(exportMasked(street, false)).toBe(true);
    const noRight = { role: 'grid_worker' as const, mayExportPersonalData: false };
    expect(exportMasked(noRight, undefined)).toBe(true);
    expect(() => exportMasked(noRight, true)).toThrow(/no right to export/);
    // the right alone is not enough without the duty
    const command = { role: 'command' as const, mayExportPersonalData: true };
    expect(exportMasked(command, undefined)).toBe(true);
    expect(() => exportMasked(command, true)).toThrow(/may not see personal data/);
  });
});
