import { describe, expect, it } from 'vitest';
import { selectCandidates } from './candidates.ts';
import type { PlannerSite } from './planner.ts';

const site = (id: string, district: string, priority: number, teams: string[]): PlannerSite => ({
  id, district, priority, teams, position: { lon: 121.4, lat: 31.2 }, serviceMinutes: 60,
});

describe('candidate sites', () => {
  it('keeps the most valuable sites per district and team set, and every site it must keep', () => {
    const sites = [
      ...Array.from({ length: 30 }, (_, i) => site(`a${String(i).padStart(2, '0')}`, '310112', i % 3, ['t1'])),
      ...Array.from({ length: 5 }, (_, i) => site(`d${i}`, '310112', 0, ['t9'])),
    ];
    const kept = selectCandidates(sites, new Set(['a00']), { visitsPerTeam: 2, minPerGroup: 4, perVisit: 3 });
    // t1's group: 3 × 2 visits = 6 kept, the ten priority-2 sites by id first; a00 (priority 0) kept anyway.
    expect(kept.filter((s) => s.teams?.[0] === 't1').map((s) => s.id)).toEqual(['a00', 'a02', 'a05', 'a08', 'a11', 'a14', 'a17']);
    // t9's group: 6 allowed, all 5 kept.
    expect(kept.filter((s) => s.teams?.[0] === 't9')).toHaveLength(5);
  });
});
