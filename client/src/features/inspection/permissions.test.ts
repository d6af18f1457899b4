import { describe, expect, it } from 'vitest';
import type { SessionUser, Team } from '../../../../server/contracts/index.ts';
import { abilities } from './permissions.ts';

const user = (username: string, role: SessionUser['role']): SessionUser => ({
  username, displayName: username, role, canWrite: true, jurisdiction: { code: '310000', name: '上海市', nameEn: 'Shanghai', level: 'city' },
} as SessionUser);
const teams = [{ id: 1, leaderUsername: 'team01' }, { id: 2, leaderUsername: null }] as Team[];

describe('inspection abilities', () => {
  it('lets a team leader act for their own team only, and not plan the day', () => {
    const a = abilities(user('team01', 'team_leader'), teams);
    expect(a.ownTeamId).toBe(1);
    expect(a.canPlan).toBe(false);
    expect(a.canActFor(1)).toBe(true);
    expect(a.canActFor(2)).toBe(false);
  });

  it('gives a leader of no team nothing to act for', () => {
    const a = abilities(user('team99', 'team_leader'), teams);
    expect(a.ownTeamId).toBeNull();
    expect(a.canActFor(1)).toBe(false);
  });

  it('lets the command centre plan and act for every team, and officials only read', () => {
    const command = abilities(user('command', 'command'), teams);
    expect([command.canPlan, command.canActFor(2), command.ownTeamId]).toEqual([true, true, null]);
    const official = abilities(user('pudong', 'district_official'), teams);
    expect([official.canPlan, official.canActFor(1)]).toEqual([false, false]);
  });
});
