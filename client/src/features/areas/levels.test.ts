import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../../server/contracts/index.ts';
import { withinJurisdiction } from './levels.ts';

const user = (code: string, level: SessionUser['jurisdiction']['level']): SessionUser => ({
  username: 'u',
  displayName: 'u',
  role: 'district_official',
  canWrite: false,
  jurisdiction: { code, name: code, nameEn: null, level },
});

describe('withinJurisdiction', () => {
  it('lets a city user open every area', () => {
    expect(withinJurisdiction({ code: '310115001', level: 'street' }, user('310000', 'city'))).toBe(true);
  });

  it('keeps a district user inside their district and below it', () => {
    const pudong = user('310115', 'district');
    expect(withinJurisdiction({ code: '310115', level: 'district' }, pudong)).toBe(true);
    expect(withinJurisdiction({ code: '310115001001', level: 'community' }, pudong)).toBe(true);
    expect(withinJurisdiction({ code: '310000', level: 'city' }, pudong)).toBe(false);
    expect(withinJurisdiction({ code: '310104', level: 'district' }, pudong)).toBe(false);
  });
});
