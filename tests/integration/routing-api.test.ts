// Planning the demo round (seed 004) through the API: a week, a day, locks and moves, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayPlans, RoundList } from '../../server/contracts/inspection.ts';
import { demoRoundName } from '../../server/inspection/demo-round.ts';
import type { PlanResponse } from '../../server/routing/contracts.ts';
import { siteEligibleTeams } from '../../server/routing/routing.repository.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let leader: string;
let wall: string;
let pudong: string;
let roundId: number;

// Weeks no other test file plans or records visits in.
const week = ['2026-12-01', '2026-12-02', '2026-12-03'];

const plan = (cookie: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/inspection/rounds/${roundId}/plan`, headers: { cookie }, payload });
const change = (cookie: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/api/inspection/rounds/${roundId}/plan`, headers: { cookie }, payload });
const dayPlans = async (day: string, cookie = command) =>
  json<DayPlans>(await t.app.inject({ method: 'GET', url: `/api/inspection/rounds/${roundId}/plans?day=${day}`, headers: { cookie } }));
const stored = async (day: string) => (await dayPlans(day)).plans;

beforeAll(async () => {
  t = await createTestApp();
  [command, leader, wall, pudong] = await Promise.all([t.login('command'), t.login('team01'), t.login('wall'), t.login('pudong')]);
  const rounds = json<RoundList>(await t.app.inject({ method: 'GET', url: '/api/inspection/rounds', headers: { cookie: command } }));
  roundId = rounds.items.find((r) => r.name === demoRoundName)!.id;
});
afterAll(() => t.close());

describe('POST /api/inspection/rounds/:id/plan', () => {
  let result: PlanResponse;

  beforeAll(async () => {
    const response = await plan(command, { week: '2026-12-02', seed: 3 });
    expect(response.statusCode, response.body).toBe(200);
    result = json<PlanResponse>(response);
    const { sitesInScope, candidates, sitesPlanned, ms, iterations } = result.summary;
    console.log(`[routing] API week plan: ${sitesInScope} sites in scope, ${candidates} candidates, ${sitesPlanned} visits, planner ${ms} ms (${iterations} iterations)`);
  }, 120_000);

  it("plans the week of the seed's round: every rule met, every district covered", async () => {
    expect(result.days.map((d) => d.day)).toEqual(week);
    expect(result.summary.sitesInScope).toBe(2600);
    expect(result.summary.candidates).toBeLessThan(2600);
    expect(result.summary.travelSource).toBe('great-circle');
    expect(result.coverage).toMatchObject({ enforced: true, allCovered: true });
    expect(result.coverage.districts).toHaveLength(16);
    const eligible = await siteEligibleTeams(t.pool, roundId, result.days.flatMap((d) => d.teams.flatMap((p) => p.stops.filter((s) => s.kind === 'site').map((s) => s.siteId!))));
    const seen = new Set<number>();
    for (const day of result.days) {
      expect(day.teams).toHaveLength(12);
      for (const team of day.teams) {
        const visits = team.stops.filter((s) => s.kind === 'site');
        expect(visits.length, `team ${team.teamId} on ${day.day}`).toBeGreaterThanOrEqual(2);
        expect(visits.length).toBeLessThanOrEqual(3);
        expect(team.leaveBase).toBe('08:30');
        expect(team.backAtBase <= '17:00').toBe(true);
        expect(team.travelSeconds).toBeLessThanOrEqual(240 * 60);
        const lunch = team.stops.filter((s) => s.kind === 'lunch');
        expect(lunch).toHaveLength(1);
        expect(lunch[0]!.start >= '11:30' && lunch[0]!.start <= '13:00').toBe(true);
        for (const visit of visits) {
          // Construction sites open 07:00–12:00 and 13:00–18:00 in the demo.
          expect((visit.start >= '07:00' && visit.departure <= '12:00') || (visit.start >= '13:00' && visit.departure <= '18:00'), `${visit.siteId} ${visit.start}`).toBe(true);
          expect(eligible.get(visit.siteId!)).toContain(team.teamId);
          expect(seen.has(visit.siteId!)).toBe(false);
          seen.add(visit.siteId!);
        }
      }
    }
    expect(result.shortfalls).toEqual([]);
  });

  it("stores the plans, read back as the day's route sheets", async () => {
    const sheets = await stored('2026-12-01');
    expect(sheets).toHaveLength(12);
    const planned = result.days[0]!.teams;
    for (const sheet of sheets) {
      const mine = planned.find((p) => p.teamId === sheet.teamId)!;
      expect(sheet.planId).toBe(mine.planId);
      expect(sheet.stops.map((s) => s.siteId)).toEqual(mine.stops.filter((s) => s.kind === 'site').map((s) => s.siteId));
      // Why each stop is there is stored with it, so the plan explains itself when opened again.
      expect(sheet.stops.map((s) => s.why)).toEqual(mine.stops.filter((s) => s.kind === 'site').map((s) => s.why));
      expect(sheet.stops.every((s) => !s.locked)).toBe(true);
      expect(sheet.travelSeconds).toBe(mine.travelSeconds);
    }
    // Planned times are city times: 08:30 in Shanghai is 00:30 UTC.
    expect(new Date(sheets[0]!.departAt!).toISOString()).toBe('2026-12-01T00:30:00.000Z');
  });

  it("keeps the planner's notes with the stored plan of every day it planned", async () => {
    for (const day of week) {
      const { notes } = await dayPlans(day);
      expect(notes, day).not.toBeNull();
      expect(notes!.days).toEqual(week);
      expect(notes!.plannedBy).toBe('command');
      expect(notes!.coverage).toEqual(result.coverage);
      expect(notes!.unassigned).toEqual(result.unassigned);
      expect(notes!.shortfalls).toEqual(result.shortfalls);
      expect(notes!.followUps).toEqual(result.followUps);
      expect(notes!.summary).toEqual(result.summary);
    }
    // A day nobody planned has none.
    expect((await dayPlans('2026-11-10')).notes).toBeNull();
  });

  it('keeps a locked stop in place and moves another to a new day, re-planning the rest', async () => {
    const tuesday = result.days[0]!.teams.find((p) => p.sites >= 2)!;
    const second = tuesday.stops.filter((s) => s.kind === 'site')[1];
    const locked = await change(command, { day: '2026-12-01', siteId: second!.siteId, locked: true, seed: 4 });
    expect(locked.statusCode, locked.body).toBe(200);
    const afterLock = (await stored('2026-12-01')).find((p) => p.teamId === tuesday.teamId)!;
    expect(afterLock.stops[1]).toMatchObject({ siteId: second!.siteId, seq: 2, locked: true, why: 'locked' });
    // The re-plan around the lock may have chosen other sites (a time-limited search): move one it kept.
    const first = afterLock.stops.find((s) => s.siteId !== second!.siteId);
    expect(first, 'another stop planned that Tuesday').toBeDefined();

    // Move the first stop to the same team's Thursday: it is planned there, locked, and gone from Tuesday.
    const moved = await change(command, { day: '2026-12-01', siteId: first!.siteId, moveTo: { day: '2026-12-03' }, seed: 4 });
    expect(moved.statusCode, moved.body).toBe(200);
    const body = json<PlanResponse>(moved);
    expect(body.days.map((d) => d.day)).toEqual(['2026-12-01', '2026-12-03']);
    const thursday = (await stored('2026-12-03')).find((p) => p.teamId === tuesday.teamId)!;
    expect(thursday.stops.find((s) => s.siteId === first!.siteId)).toMatchObject({ locked: true, why: 'moved' });
    const tuesdayAgain = (await stored('2026-12-01')).find((p) => p.teamId === tuesday.teamId)!;
    expect(tuesdayAgain.stops.some((s) => s.siteId === first!.siteId)).toBe(false);
    expect(tuesdayAgain.stops[1]).toMatchObject({ siteId: second!.siteId, seq: 2, locked: true });
    expect(body.days.find((d) => d.day === '2026-12-03')!.teams.find((p) => p.teamId === tuesday.teamId)!.stops.find((s) => s.siteId === first!.siteId)!.why).toBe('moved');

    // Freed again: the re-plan may put anything there.
    const freed = await change(command, { day: '2026-12-01', siteId: second!.siteId, locked: false, timeLimitSeconds: 1 });
    expect(freed.statusCode, freed.body).toBe(200);
    expect((await stored('2026-12-01')).flatMap((p) => p.stops).some((s) => s.siteId === second!.siteId && s.locked)).toBe(false);
  }, 120_000);
});

describe('notes on a plan that cannot cover every district', () => {
  // The week of 14 December is planned by no other test: Thursday is its last round day, so
  // coverage is enforced, and 10 minutes of driving a day keep the teams near their base in Xuhui.
  const day = '2026-12-17';
  let result: PlanResponse;

  beforeAll(async () => {
    const response = await plan(command, { day, maxTravelMinutes: 10, timeLimitSeconds: 1 });
    expect(response.statusCode, response.body).toBe(200);
    result = json<PlanResponse>(response);
  }, 60_000);

  it('says which districts stay uncovered and why, and GET …/plans gives the same notes back', async () => {
    expect(result.coverage.enforced).toBe(true);
    expect(result.coverage.allCovered).toBe(false);
    const uncovered = result.coverage.districts.filter((d) => !d.covered);
    expect(uncovered.map((d) => d.district)).toContain('310151');
    expect(uncovered.find((d) => d.district === '310151')!.reason).toBe('travel-time-too-long');
    expect(result.shortfalls.length).toBeGreaterThan(0);

    const { notes } = await dayPlans(day);
    expect(notes).toMatchObject({ days: [day], coverage: result.coverage, unassigned: result.unassigned, shortfalls: result.shortfalls });
  });

  it("gives an official the notes on their own jurisdiction only", async () => {
    const { notes } = await dayPlans(day, pudong);
    expect(notes!.coverage.districts.map((d) => d.district)).toEqual(['310115']);
    const pudongRow = result.coverage.districts.find((d) => d.district === '310115')!;
    expect(notes!.coverage.districts[0]).toEqual(pudongRow);
    expect(notes!.coverage.allCovered).toBe(pudongRow.covered);
    expect(notes!.unassigned.length).toBeGreaterThan(0);
    expect(notes!.unassigned.every((u) => u.district === '310115')).toBe(true);
    expect(notes!.unassigned).toEqual(result.unassigned.filter((u) => u.district === '310115'));
    // Team-days of teams whose areas touch Pudong: 第二组 (Pudong), 第一组 (its bonded zone), the city-wide direct teams; not 第三组.
    const teamsTouching = (await t.pool.query<{ id: number }>(
      `SELECT t.id::int FROM inspection_teams t JOIN areas a ON a.code = ANY (t.areas) WHERE a.path <@ '310000.310115' OR a.path @> '310000.310115'`,
    )).rows.map((r) => r.id);
    expect(notes!.shortfalls).toEqual(result.shortfalls.filter((s) => teamsTouching.includes(s.teamId)));
    expect(notes!.shortfalls.length).toBeLessThan(result.shortfalls.length);
  });
});

describe('plan errors and rights', () => {
  it('plans a single day, reporting coverage early in the week without forcing it', async () => {
    const response = await plan(command, { day: '2026-12-08', timeLimitSeconds: 1 });
    expect(response.statusCode, response.body).toBe(200);
    const body = json<PlanResponse>(response);
    expect(body.coverage.enforced).toBe(false);
    expect(body.days).toHaveLength(1);
  }, 60_000);

  it('refuses what does not fit the round, with a bilingual 4xx', async () => {
    const both = await plan(command, { day: '2026-12-08', week: '2026-12-08' });
    expect(both.statusCode).toBe(400);
    const monday = await plan(command, { day: '2026-12-07' });
    expect(monday.statusCode).toBe(400);
    expect(json<{ message: string }>(monday).message).toMatch(/not an inspection day.*督查日/);
    expect((await plan(command, { day: '2026-12-08', seed: -1 })).statusCode).toBe(400);
    // Days of the right shape that are no dates (found by the fuzzing: 0000-00-00 was a 500).
    for (const bad of [{ week: '0000-00-00' }, { week: '2026-02-30' }, { day: '2026-13-01' }]) {
      const response = await plan(command, bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(json<{ code: string }>(response).code).toBe('validation_failed');
    }
    const unknown = await t.app.inject({ method: 'POST', url: '/api/inspection/rounds/999999/plan', headers: { cookie: command }, payload: { day: '2026-12-08' } });
    expect(unknown.statusCode).toBe(404);
    const notPlanned = await change(command, { day: '2026-12-10', siteId: 1, locked: true });
    expect(notPlanned.statusCode).toBe(404);
  });

  it('lets managers plan and team leaders change their own team only', async () => {
    expect((await plan(leader, { day: '2026-12-08' })).statusCode).toBe(403);
    expect((await plan(wall, { day: '2026-12-08' })).statusCode).toBe(403);
    const sheets = await stored('2026-12-02');
    const other = sheets.find((p) => p.stops.length > 0 && p.teamName !== '第一组')!;
    const denied = await change(leader, { day: '2026-12-02', siteId: other.stops[0]!.siteId, locked: true });
    expect(denied.statusCode).toBe(403);
  });

  it('refuses a move to a team that may not inspect the site', async () => {
    const sheets = await stored('2026-12-02');
    // A site of an area team, moved to a directly-supervising team (T10–T12 see only 直管 sites).
    const rounds = json<RoundList>(await t.app.inject({ method: 'GET', url: '/api/inspection/rounds', headers: { cookie: command } }));
    const teamIds = rounds.items.find((r) => r.id === roundId)!.teamIds;
    const direct = (await t.pool.query<{ id: number }>(`SELECT id::int FROM inspection_teams WHERE scope = 'direct' ORDER BY id LIMIT 1`)).rows[0]!.id;
    expect(teamIds).toContain(direct);
    const areaPlan = sheets.find((p) => p.teamId !== direct && p.stops.length > 0 && p.teamName === '第二组')!;
    const response = await change(command, { day: '2026-12-02', siteId: areaPlan.stops[0]!.siteId, moveTo: { teamId: direct } });
    expect(response.statusCode, response.body).toBe(422);
    expect(json<{ message: string }>(response).message).toMatch(/may not inspect/);
  });
});
