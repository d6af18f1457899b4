import { describe, expect, it } from 'vitest';
import { parseInspectionUrl } from './use-inspection-url.ts';

describe('inspection URL', () => {
  it('reads round, day, team and tab', () => {
    expect(parseInspectionUrl('?round=1&day=2026-11-24&team=3&tab=sheet')).toEqual({ round: 1, day: '2026-11-24', team: 3, tab: 'sheet' });
    expect(parseInspectionUrl('?tab=followup').tab).toBe('followup');
  });

  it('ignores what is malformed', () => {
    expect(parseInspectionUrl('?round=0&day=24.11.2026&team=x&tab=admin')).toEqual({ round: null, day: null, team: null, tab: 'plan' });
  });
});
