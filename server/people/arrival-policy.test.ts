import { describe, expect, it } from 'vitest';
import type { ArrivalPolicy, PersonRiskAreaMatch, PolicyRegime } from '../contracts/people.ts';
import { regimeForHealthCode, suggestRegime } from './arrival-policy.ts';

const regime = (code: string, kinds: Array<PolicyRegime['phases'][number]['kind']>, active = true): PolicyRegime => ({
  code, nameZh: code, nameEn: code, phases: kinds.map((kind) => ({ kind, days: 7, testDays: [1] })), totalDays: 7 * kinds.length, active,
});
const sevenSeven = regime('7+7', ['centralised', 'home_quarantine']);
const homeFourteen = regime('14-home', ['home_quarantine']);
const monitor = regime('7-monitor', ['home_monitoring']);
const regimes = [sevenSeven, homeFourteen, monitor, regime('0-central', ['centralised'], false)];
const policy = (riskLevel: 'high' | 'medium', r: PolicyRegime): ArrivalPolicy => ({ riskLevel, regime: r, updatedBy: null, updatedAt: '' });
const policies = [policy('high', sevenSeven), policy('medium', homeFourteen)];
const match = (level: 'high' | 'medium'): PersonRiskAreaMatch => ({
  stop: { seq: 1, fromDay: '2026-11-10', toDay: '2026-11-11', place: '某地' },
  riskArea: { id: 7, name: '某小区', level },
  matchedBy: 'id',
});

describe('the arrival policy', () => {
  it('suggests the policy regime of the highest matched level', () => {
    const result = suggestRegime({ matches: [match('high'), match('medium')], healthCode: 'green', policies, regimes });
    expect(result).toMatchObject({ suggestion: { code: '7+7' }, rule: 'risk_area', match: { riskArea: { level: 'high' } } });
    expect(result.message).toContain('某小区');
    expect(suggestRegime({ matches: [match('medium')], healthCode: 'green', policies, regimes }).suggestion?.code).toBe('14-home');
  });

  it('maps red to a centralised regime and yellow to home quarantine, preferring the regimes the policy names', () => {
    expect(regimeForHealthCode('red', policies, regimes)?.code).toBe('7+7');
    expect(regimeForHealthCode('yellow', policies, regimes)?.code).toBe('14-home');
    // An inactive regime is never suggested; without any centralised one, there is no suggestion.
    expect(regimeForHealthCode('red', [], [monitor, homeFourteen, regime('0-central', ['centralised'], false)])).toBeNull();
  });

  it('takes the stricter of a risk-area and a health-code rule, the risk area on a tie', () => {
    expect(suggestRegime({ matches: [match('medium')], healthCode: 'red', policies, regimes })).toMatchObject({ suggestion: { code: '7+7' }, rule: 'red_code', match: { riskArea: { level: 'medium' } } });
    expect(suggestRegime({ matches: [match('medium')], healthCode: 'yellow', policies, regimes })).toMatchObject({ suggestion: { code: '14-home' }, rule: 'risk_area' });
    expect(suggestRegime({ matches: [match('high')], healthCode: 'yellow', policies, regimes })).toMatchObject({ suggestion: { code: '7+7' }, rule: 'risk_area' });
    const monitoring = [policy('high', sevenSeven), policy('medium', monitor)];
    expect(suggestRegime({ matches: [match('medium')], healthCode: 'yellow', policies: monitoring, regimes })).toMatchObject({ suggestion: { code: '14-home' }, rule: 'yellow_code' });
  });

  it('suggests nothing for a green code without risk-area travel, and says why', () => {
    const result = suggestRegime({ matches: [], healthCode: 'green', policies, regimes });
    expect(result).toMatchObject({ suggestion: null, rule: 'none', match: null });
    expect(result.message).toMatch(/green health code/);
    expect(suggestRegime({ matches: [], healthCode: 'red', policies: [], regimes: [monitor] }).message).toMatch(/no active regime .* red code/);
  });
});
