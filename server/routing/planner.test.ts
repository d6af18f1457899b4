import { describe, expect, it } from 'vitest';
import { clockSeconds, planRound, PlannerInputError, PlannerLockError, type PlannerInput, type PlannerSite, type PlannerTeam, type PlanResult } from './planner.ts';
import { travelTimeMatrix, type TravelPoint } from './travel-time.ts';

// Minhang (310112, suburban) and Xuhui (310104, central) around a base in Xuhui.
const base = { lon: 121.455, lat: 31.19, district: '310104' };
const fast = { seed: 7, maxIterations: 3000, timeLimitMs: 20_000 };
const weekdayHours: Array<[string, string]> = [['07:00', '12:00'], ['13:00', '18:00']];
const open = { mon: weekdayHours, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours };

function team(id: string, areas: string[], extra: Partial<PlannerTeam> = {}): PlannerTeam {
  return { id, base, areas, hours: { start: '08:00', end: '17:00' }, ...extra };
}

function site(id: string, lon: number, lat: number, district: string, priority: number, extra: Partial<PlannerSite> = {}): PlannerSite {
  return { id, position: { lon, lat }, district, priority, serviceMinutes: 45, openingHours: open, ...extra };
}

const sitesOf = (plan: PlanResult, day?: string, teamId?: string): string[] =>
  plan.days
    .filter((d) => day === undefined || d.day === day)
    .flatMap((d) => d.teams.filter((t) => teamId === undefined || t.team === teamId).flatMap((t) => t.stops.filter((s) => s.kind === 'site').map((s) => s.siteId as string)));

describe('planner: golden small problems', () => {
  // One team, five sites, at most three a day, a morning shift; the 5-point site opens late, so the
  // best plan is a trade between priority, opening hours and the return by noon.
  const sites = [
    site('a', 121.38, 31.11, '310112', 5, { openingHours: { tue: [['10:45', '12:00']] } }),
    site('b', 121.42, 31.15, '310112', 4),
    site('c', 121.33, 31.05, '310112', 4),
    site('d', 121.47, 31.12, '310112', 3),
    site('e', 121.40, 31.17, '310112', 1),
  ];
  const input: PlannerInput = {
    days: ['2026-03-10'], // a Tuesday
    teams: [team('t1', ['310112'], { hours: { start: '08:00', end: '12:30' } })],
    sites,
    sitesPerTeamDay: { min: 0, max: 3 },
    maxTravelMinutesPerDay: 90,
  };

  /** Every selection and order, simulated with plain arithmetic: the known optimum. */
  function bruteForce(): { order: string[]; priority: number; travel: number } {
    const points: TravelPoint[] = [{ ...base, areaType: 'central' }, ...sites.map((s) => ({ ...s.position, areaType: 'suburban' as const }))];
    const m = travelTimeMatrix(points);
    const d = (i: number, j: number): number => Number(m.durations[i * m.size + j]);
    let best = { order: [] as string[], priority: 0, travel: 0, score: -1 };
    const walk = (seq: number[]): void => {
      let t = clockSeconds('08:00');
      let place = 0;
      let travel = 0;
      for (const k of seq) {
        const s = sites[k] as PlannerSite;
        t += d(place, k + 1);
        travel += d(place, k + 1);
        const day = s.openingHours?.tue ?? [];
        const window = day.map(([o, c]) => [clockSeconds(o), clockSeconds(c) - 45 * 60] as const).find(([, end]) => t <= end);
        if (!window) return;
        t = Math.max(t, window[0]) + 45 * 60;
        place = k + 1;
      }
      travel += d(place, 0);
      if (t + d(place, 0) > clockSeconds('12:30') || travel > 90 * 60) return;
      const priority = seq.reduce((sum, k) => sum + (sites[k] as PlannerSite).priority, 0);
      // The planner's objective: priority (plus a thousandth per site), then the least travel.
      const score = priority + seq.length * 1e-3 - travel * 1e-9;
      if (score > best.score) best = { order: seq.map((k) => (sites[k] as PlannerSite).id), priority, travel, score };
      if (seq.length < 3) for (let k = 0; k < sites.length; k++) if (!seq.includes(k)) walk([...seq, k]);
    };
    walk([]);
    return best;
  }

  it('finds the brute-force optimum: selection, order and travel time', async () => {
    const optimum = bruteForce();
    const plan = await planRound(input, fast);
    expect(sitesOf(plan)).toEqual(optimum.order);
    expect(plan.summary.priorityCollected).toBe(optimum.priority);
    expect(plan.summary.travelSeconds).toBe(optimum.travel);
    // Hand-checked: three sites fit, and the late-opening 'a' is worth its detour.
    expect(optimum.order).toHaveLength(3);
    expect(optimum.order).toContain('a');
    const day = plan.days[0]?.teams[0];
    expect(day?.travelSeconds).toBe(optimum.travel);
    expect(day?.stops.map((s) => s.order)).toEqual([1, 2, 3]);
    const a = day?.stops.find((s) => s.siteId === 'a');
    expect(a?.startSeconds).toBeGreaterThanOrEqual(clockSeconds('10:45'));
    // 'c' is 25 km of streets from the base, 50 minutes each way: alone it is over the 90-minute limit.
    expect(plan.unassigned.map((u) => [u.siteId, u.reason])).toEqual(
      sites.filter((s) => !optimum.order.includes(s.id)).map((s) => [s.id, s.id === 'c' ? 'travel-time-too-long' : 'not-selected']),
    );
    expect(optimum.order).not.toContain('c');
  });

  it('is deterministic for a seed', async () => {
    const one = await planRound(input, fast);
    const two = await planRound(input, fast);
    expect({ ...two, summary: { ...two.summary, ms: 0 } }).toEqual({ ...one, summary: { ...one.summary, ms: 0 } });
  });
});

describe('planner: rules', () => {
  const tuesday = '2026-03-10';
  const week = ['2026-03-10', '2026-03-11', '2026-03-12'];

  it('keeps the maximum per day and reports a minimum it cannot reach', async () => {
    const plan = await planRound(
      {
        days: [tuesday],
        teams: [team('t1', ['310112']), team('t2', ['310104'])],
        sites: [
          site('m1', 121.38, 31.11, '310112', 3),
          site('m2', 121.39, 31.12, '310112', 3),
          site('m3', 121.40, 31.13, '310112', 3),
          site('m4', 121.41, 31.11, '310112', 3),
          site('x1', 121.44, 31.19, '310104', 3),
        ],
        sitesPerTeamDay: { min: 2, max: 3 },
      },
      fast,
    );
    expect(sitesOf(plan, tuesday, 't1')).toHaveLength(3);
    expect(sitesOf(plan, tuesday, 't2')).toEqual(['x1']);
    expect(plan.shortfalls).toEqual([{ team: 't2', day: tuesday, planned: 1, min: 2, reason: 'no-more-sites-available' }]);
    expect(plan.unassigned).toEqual([{ siteId: expect.stringMatching(/^m/), district: '310112', reason: 'not-selected', mandatory: false }]);
  });

  it('takes lunch inside its window, lengthened by the trip to the district station', async () => {
    const plan = await planRound(
      {
        days: [tuesday],
        teams: [team('t1', ['310112'], { lunch: { windowStart: '11:30', windowEnd: '12:30', minutes: 60, place: 'district-station' } })],
        sites: [1, 2, 3, 4].map((k) => site(`s${k}`, 121.38 + k * 0.01, 31.11, '310112', 2, { serviceMinutes: 90 })),
        sitesPerTeamDay: { min: 0, max: 4 },
      },
      fast,
    );
    const stops = plan.days[0]?.teams[0]?.stops ?? [];
    const lunch = stops.filter((s) => s.kind === 'lunch');
    expect(lunch).toHaveLength(1);
    const [meal] = lunch;
    expect(meal?.startSeconds).toBeGreaterThanOrEqual(clockSeconds('11:30'));
    expect(meal?.startSeconds).toBeLessThanOrEqual(clockSeconds('12:30'));
    // 60 minutes to eat + 2 × 10 minutes to and from the station.
    expect((meal?.departureSeconds ?? 0) - (meal?.startSeconds ?? 0)).toBe(80 * 60);
    expect(meal?.lunchPlace).toBe('district-station');
    // Nothing overlaps it, and every inspection is inside the site's opening hours (07–12, 13–18).
    for (const s of stops.filter((x) => x.kind === 'site')) {
      const overlaps = s.startSeconds < (meal?.departureSeconds ?? 0) && s.departureSeconds > (meal?.startSeconds ?? 0);
      expect(overlaps).toBe(false);
      const inMorning = s.startSeconds >= clockSeconds('07:00') && s.departureSeconds <= clockSeconds('12:00');
      const inAfternoon = s.startSeconds >= clockSeconds('13:00') && s.departureSeconds <= clockSeconds('18:00');
      expect(inMorning || inAfternoon).toBe(true);
    }
    // 08:00–17:00 with 80 min lunch and 90 min visits: at most four fit, opening hours allow three
    // (one in the morning before 12:00 ends the 07–12 window, two in the afternoon... or the reverse).
    expect(plan.days[0]?.teams[0]?.sites).toBe(4);
  });

  it('covers every district in the week, forcing a low-priority district in', async () => {
    const input: PlannerInput = {
      days: week,
      teams: [team('t1', ['310112', '310104'])],
      sites: [
        ...[1, 2, 3, 4].map((k) => site(`m${k}`, 121.38 + k * 0.005, 31.11, '310112', 10 - k)),
        site('x1', 121.44, 31.19, '310104', 0),
      ],
      sitesPerTeamDay: { min: 1, max: 1 },
    };
    const plan = await planRound(input, fast);
    expect(sitesOf(plan).sort()).toEqual(['m1', 'm2', 'x1']);
    expect(plan.coverage.allCovered).toBe(true);
    expect(plan.coverage.districts.find((d) => d.district === '310104')).toMatchObject({ covered: true, sitesPlanned: 1 });
    expect(plan.days.flatMap((d) => d.teams[0]?.stops ?? []).find((s) => s.siteId === 'x1')?.why).toBe('coverage');
    // Without enforcement (a day plan early in the week) the low-priority district is only reported.
    const loose = await planRound({ ...input, coverage: { enforce: false } }, fast);
    expect(sitesOf(loose).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(loose.coverage.districts.find((d) => d.district === '310104')).toMatchObject({ covered: false, reason: 'not-enforced' });
    // A district visited earlier in the week needs no visit now.
    const earlier = await planRound({ ...input, coverage: { alreadyCovered: ['310104'] } }, fast);
    expect(sitesOf(earlier).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(earlier.coverage.allCovered).toBe(true);
  });

  it('explains which constraint prevents covering a district', async () => {
    const plan = await planRound(
      {
        days: week,
        teams: [team('t1', ['310112', '310104', '310117', '310151'])],
        sites: [
          site('m1', 121.38, 31.11, '310112', 5),
          // Xuhui: only open on Sundays.
          site('x1', 121.44, 31.19, '310104', 5, { openingHours: { sun: [['09:00', '17:00']] } }),
          // "Songjiang" (placed near the base): open at dawn only, before the team starts.
          site('s1', 121.42, 31.15, '310117', 5, { openingHours: { tue: [['05:00', '07:30']], wed: [['05:00', '07:30']], thu: [['05:00', '07:30']] } }),
          // Chongming: too far for the day's travel limit.
          site('c1', 121.50, 31.60, '310151', 5),
          // Jiading: no team may inspect it.
          site('j1', 121.25, 31.38, '310114', 5),
        ],
        sitesPerTeamDay: { min: 0, max: 2 },
        maxTravelMinutesPerDay: 90,
      },
      fast,
    );
    const reasons = Object.fromEntries(plan.coverage.districts.map((d) => [d.district, d.reason ?? 'covered']));
    expect(reasons).toEqual({
      '310104': 'closed-on-plan-days',
      '310112': 'covered',
      '310114': 'no-team-for-area',
      '310117': 'not-open-in-team-hours',
      '310151': 'travel-time-too-long',
    });
    expect(plan.coverage.allCovered).toBe(false);
    expect(Object.fromEntries(plan.unassigned.map((u) => [u.siteId, u.reason]))).toEqual({
      x1: 'closed-on-plan-days',
      s1: 'not-open-in-team-hours',
      c1: 'travel-time-too-long',
      j1: 'no-team-for-area',
    });
  });

  it('plans a 回头看 site before its due date, and an overdue one at all', async () => {
    const plan = await planRound(
      {
        days: week,
        teams: [team('t1', ['310112'])],
        sites: [
          ...[1, 2, 3].map((k) => site(`m${k}`, 121.38 + k * 0.005, 31.11, '310112', 10)),
          site('f1', 121.42, 31.14, '310112', 0, { followUpDue: '2026-03-10' }),
          site('f0', 121.43, 31.13, '310112', 0, { followUpDue: '2026-03-01' }),
          site('later', 121.44, 31.13, '310112', 0, { followUpDue: '2026-04-01' }),
        ],
        sitesPerTeamDay: { min: 0, max: 1 },
      },
      fast,
    );
    expect(sitesOf(plan, '2026-03-10')).toEqual(['f1']);
    expect(sitesOf(plan)).toContain('f0');
    expect(sitesOf(plan)).not.toContain('later');
    expect(plan.followUps).toEqual([
      { siteId: 'f1', due: '2026-03-10', plannedDay: '2026-03-10', overdue: false },
      { siteId: 'f0', due: '2026-03-01', plannedDay: expect.stringMatching(/^2026-03-1[12]$/), overdue: true },
    ]);
  });

  it('keeps locked visits and moves after a re-plan', async () => {
    const sites = [1, 2, 3, 4, 5, 6].map((k) => site(`m${k}`, 121.36 + k * 0.01, 31.11, '310112', 10 - k));
    const input: PlannerInput = {
      days: week,
      teams: [team('t1', ['310112']), team('t2', ['310112'])],
      sites,
      sitesPerTeamDay: { min: 0, max: 2 },
    };
    const first = await planRound(input, fast);
    expect(sitesOf(first)).toHaveLength(6);
    // Lock m6 (lowest priority) second on t2's Thursday; move m1 to t1's Wednesday and m2 to Tuesday.
    const replanned = await planRound(
      {
        ...input,
        sites: [...sites, site('m7', 121.45, 31.11, '310112', 20)],
        locks: [{ site: 'm6', team: 't2', day: '2026-03-12', position: 2 }],
        moves: [{ site: 'm1', team: 't1', day: '2026-03-11' }, { site: 'm2', day: '2026-03-10' }],
      },
      fast,
    );
    const t2thu = replanned.days[2]?.teams.find((t) => t.team === 't2')?.stops.filter((s) => s.kind === 'site') ?? [];
    expect(t2thu[1]).toMatchObject({ siteId: 'm6', order: 2, why: 'locked' });
    expect(sitesOf(replanned, '2026-03-11', 't1')).toContain('m1');
    expect(sitesOf(replanned, '2026-03-10')).toContain('m2');
    expect(sitesOf(replanned)).toContain('m7');
    expect(sitesOf(replanned)).toHaveLength(7);
  });

  it('refuses contradictory locks and says which lock cannot be kept', async () => {
    const base: PlannerInput = {
      days: [tuesday],
      teams: [team('t1', ['310112'])],
      sites: [site('m1', 121.38, 31.11, '310112', 1), site('x1', 121.44, 31.19, '310104', 1)],
      sitesPerTeamDay: { min: 0, max: 2 },
    };
    await expect(planRound({ ...base, locks: [{ site: 'x1', team: 't1', day: tuesday }] }, fast)).rejects.toThrow(PlannerInputError);
    await expect(planRound({ ...base, locks: [{ site: 'nope', team: 't1', day: tuesday }] }, fast)).rejects.toThrow(/unknown site nope/);
    const closed = { ...base, sites: [site('m1', 121.38, 31.11, '310112', 1, { openingHours: { sun: [['08:00', '12:00']] } })] };
    const error = await planRound({ ...closed, locks: [{ site: 'm1', team: 't1', day: tuesday }] }, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlannerLockError);
    expect((error as PlannerLockError).sites).toEqual([{ siteId: 'm1', reason: 'closed-on-plan-days' }]);
  });

  it('lists every problem of contradictory input', async () => {
    const error = await planRound(
      {
        days: ['2026-03-11', tuesday],
        teams: [team('t1', ['310112'], { hours: { start: '17:00', end: '08:00' } })],
        sites: [site('m1', 121.38, 31.11, '310112', -1)],
        sitesPerTeamDay: { min: 3, max: 2 },
        moves: [{ site: 'm1' }],
      },
      fast,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlannerInputError);
    expect((error as PlannerInputError).issues).toEqual([
      'days must be in order',
      'sitesPerTeamDay needs integers 0 <= min <= max, max >= 1',
      'team t1: hours must end after they start',
      'site m1: priority must be >= 0',
      'move of site m1 names neither a day nor a team',
    ]);
  });

  it('lets a site name its teams, and lunches at the district station given', async () => {
    const station = { district: '310112', position: { lon: 121.40, lat: 31.12 } };
    const plan = await planRound(
      {
        days: [tuesday],
        teams: [
          team('area', ['310112'], { lunch: { windowStart: '11:30', windowEnd: '13:00', minutes: 60, place: 'by-area' } }),
          team('direct', ['310000']),
        ],
        sites: [
          site('m1', 121.38, 31.11, '310112', 1),
          // Directly supervised: only the 'direct' team, although it lies in the area team's district.
          site('d1', 121.39, 31.11, '310112', 9, { teams: ['direct'] }),
        ],
        stations: [station],
        sitesPerTeamDay: { min: 0, max: 2 },
      },
      fast,
    );
    expect(sitesOf(plan, tuesday, 'area')).toEqual(['m1']);
    expect(sitesOf(plan, tuesday, 'direct')).toEqual(['d1']);
    // The area team's lunch: 60 minutes + m1 → station → m1 (its only suburban site).
    const points: TravelPoint[] = [{ ...station.position, areaType: 'suburban' }, { lon: 121.38, lat: 31.11, areaType: 'suburban' }];
    const m = travelTimeMatrix(points);
    const meal = plan.days[0]?.teams.find((t) => t.team === 'area')?.stops.find((s) => s.kind === 'lunch');
    expect((meal?.departureSeconds ?? 0) - (meal?.startSeconds ?? 0)).toBe(3600 + Number(m.durations[1]) + Number(m.durations[2]));
    expect(meal?.lunchPlace).toBe('district-station');
    await expect(
      planRound({ days: [tuesday], teams: [team('area', ['310112'])], sites: [site('d1', 121.39, 31.11, '310112', 9, { teams: ['direct'] })], sitesPerTeamDay: { min: 0, max: 1 }, locks: [{ site: 'd1', team: 'area', day: tuesday }] }, fast),
    ).rejects.toThrow(/team area may not inspect it/);
  });
});
