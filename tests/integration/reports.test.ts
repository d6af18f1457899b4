import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compliance, DailyReport, OnTimeRate, ReportPrefill, ReportsUpdate, Rollup } from '../../server/contracts/index.ts';
import { addAreaDayCounts } from '../../server/stats/stats.repository.ts';
import { findUnit, saveReport, unitDeadline } from '../../server/reports/reports.repository.ts';
import { sweepAndPublish } from '../../server/reports/sweeper.ts';
import { alertsByIds } from '../../server/alerts/alerts.repository.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

const tz = 'Asia/Shanghai';
let t: TestApp;
let admin: string;
let command: string;
let pudong: string;
let grid01: string;
let wall: string;
let lujiazui: string;
/** a Huangpu street with its communities (no other test reports there) */
let street: string;
let communities: string[];
const published: ReportsUpdate[] = [];

/** The Shanghai day n days ago. */
const pastDay = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
const at = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);
const figures = (over: Record<string, number | string> = {}) => ({
  arrivalsOverseas: 0, arrivalsRiskArea: 0, arrivalsOutOfProvince: 0, bigDataChecks: 0,
  centralised: 0, homeQuarantine: 0, homeMonitoring: 0, released: 0, abnormal: 0, ...over,
});
const put = (cookie: string, unit: string, day: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/reports/${unit}/${day}`, headers: { cookie }, payload });
const get = (cookie: string, url: string) => t.app.inject({ url, headers: { cookie } });

async function saveAt(unitCode: string, day: string, now: Date, zero = false) {
  const unit = (await findUnit(t.pool, unitCode))!;
  await saveReport(t.pool, { unit, day, submissionId: randomUUID(), zero, figures: figures(), channel: 'api', by: 'test' }, now, tz);
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, command, pudong, grid01, wall, lujiazui] = (await Promise.all(['admin', 'command', 'pudong', 'grid01', 'wall', 'lujiazui'].map((u) => t.login(u)))) as [string, string, string, string, string, string];
  const { rows } = await t.pool.query<{ street: string }>(
    `SELECT parent_code AS street FROM areas WHERE level = 'community' AND code LIKE '310101%'
      GROUP BY parent_code HAVING count(*) BETWEEN 5 AND 40 ORDER BY parent_code LIMIT 1`,
  );
  street = rows[0]!.street;
  communities = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE parent_code = $1 ORDER BY code`, [street])).rows.map((r) => r.code);
  t.app.live.publishReports = (updates) => published.push(...updates);
});
afterAll(() => t.close());

describe('submission', () => {
  it('keeps one report per unit and day: a resubmission is a correction with two versions; a retry changes nothing', async () => {
    const day = pastDay(3);
    const unit = communities[0]!;
    const first = randomUUID();
    const r1 = await put(command, unit, day, { submissionId: first, figures: figures({ homeQuarantine: 2 }) });
    expect(r1.statusCode).toBe(200);
    expect(json<DailyReport>(r1)).toMatchObject({ version: 1, status: 'late', zero: false, duplicate: false });
    const retry = json<DailyReport>(await put(command, unit, day, { submissionId: first, figures: figures({ homeQuarantine: 9 }) }));
    expect(retry).toMatchObject({ version: 1, duplicate: true, figures: { homeQuarantine: 2 } });
    const r2 = json<DailyReport>(await put(admin, unit, day, { submissionId: randomUUID(), figures: figures({ homeQuarantine: 3, notes: '更正' }) }));
    expect(r2).toMatchObject({ version: 2, status: 'late', firstSubmittedBy: 'command', updatedBy: 'admin', figures: { homeQuarantine: 3, notes: '更正' } });
    expect(r2.versions!.map((v) => [v.version, v.submittedBy, v.figures.homeQuarantine])).toEqual([[1, 'command', 2], [2, 'admin', 3]]);
    const { rows } = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM daily_reports WHERE unit_code = $1 AND day = $2', [unit, day]);
    expect(rows[0]!.n).toBe(1);
    // The same submission id for another unit's report is a conflict.
    expect((await put(command, communities[1]!, day, { submissionId: first, zero: true })).statusCode).toBe(409);
  });

  it('takes an explicit zero report, and refuses bad input with 4xx', async () => {
    const day = pastDay(4);
    const zero = json<DailyReport>(await put(command, communities[1]!, day, { submissionId: randomUUID(), zero: true, notes: '无异常' }));
    expect(zero).toMatchObject({ zero: true, figures: { ...figures(), notes: '无异常' } });
    const onWall = json<DailyReport>(await get(wall, `/api/reports/${communities[1]!}/${day}`));
    expect(onWall.figures).toEqual(figures());
    expect(onWall.versions![0]!.figures.notes).toBeUndefined();
    const bad = [
      { submissionId: randomUUID() },
      { submissionId: randomUUID(), zero: true, figures: figures({ centralised: 1 }) },
      { submissionId: randomUUID(), figures: { ...figures(), centralised: -1 } },
      { submissionId: randomUUID(), figures: { ...figures(), extra: 1 } },
      { submissionId: 'not-a-uuid', zero: true },
    ];
    for (const body of bad) expect((await put(command, communities[2]!, day, body)).statusCode).toBe(400);
    expect((await put(command, communities[2]!, '2026-02-30', { submissionId: randomUUID(), zero: true })).statusCode).toBe(400);
    expect((await put(command, communities[2]!, '2999-01-01', { submissionId: randomUUID(), zero: true })).statusCode).toBe(400);
    expect((await put(command, '310101999999', day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(404);
    expect((await put(wall, communities[2]!, day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(403);
  });

  it('scopes units: pudong and grid01 cannot report for Huangpu; grid01 reports for its own community', async () => {
    const day = pastDay(5);
    expect((await put(pudong, communities[0]!, day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(403);
    expect((await put(grid01, '310115004002', day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(403);
    expect((await put(grid01, '310115004001', day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(200);
    expect((await get(grid01, `/api/reports/compliance?area=310115004&day=${day}`)).statusCode).toBe(403);
    const own = json<Compliance>(await get(grid01, `/api/reports/compliance?area=310115004001&day=${day}`));
    expect(own.units.map((u) => [u.unitCode, u.status])).toEqual([['310115004001', 'late']]);
    expect((await get(pudong, `/api/reports/compliance?area=310101&day=${day}`)).statusCode).toBe(403);
  });

  it('signs off street first, then district', async () => {
    const day = pastDay(3);
    const unit = communities[0]!;
    const url = `/api/reports/${unit}/${day}/sign-off`;
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: command }, payload: { level: 'district' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: pudong }, payload: { level: 'street' } })).statusCode).toBe(403);
    // Signing a version other than the current one (a correction arrived since it was read) is refused and signs nothing.
    const read = json<DailyReport>(await get(command, `/api/reports/${unit}/${day}`));
    const stale = await t.app.inject({ method: 'POST', url, headers: { cookie: command }, payload: { level: 'street', version: read.version + 1 } });
    expect(stale.statusCode).toBe(409);
    expect(json<DailyReport>(await get(command, `/api/reports/${unit}/${day}`)).streetSignOff).toBeNull();
    const street1 = json<DailyReport>(await t.app.inject({ method: 'POST', url, headers: { cookie: command }, payload: { level: 'street', version: read.version } }));
    expect(street1.streetSignOff?.by).toBe('command');
    const district = json<DailyReport>(await t.app.inject({ method: 'POST', url, headers: { cookie: admin }, payload: { level: 'district' } }));
    expect(district.districtSignOff?.by).toBe('admin');
    expect((await t.app.inject({ method: 'POST', url: `/api/reports/${communities[3]!}/${day}/sign-off`, headers: { cookie: admin }, payload: { level: 'street' } })).statusCode).toBe(404);
  });

  it('signs off every on-time report of a street at once, leaving late ones for review; named units each signed or skipped with a reason', async () => {
    const day = pastDay(6);
    const [a, b, c, d] = communities as [string, string, string, string];
    await saveAt(a, day, at(day, '08:00'));
    await saveAt(b, day, at(day, '08:30'), true);
    await saveAt(c, day, at(day, '10:00')); // late
    const bulk = (cookie: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/reports/sign-off', headers: { cookie }, payload });
    const signed = (code: string) => t.pool.query<{ s: string | null; d: string | null }>(
      'SELECT street_signed_by AS s, district_signed_by AS d FROM daily_reports WHERE unit_code = $1 AND day = $2', [code, day]).then((r) => r.rows[0]);

    // Roles and jurisdiction: a district official does not sign for the street; pudong not in Huangpu; lujiazui not outside its street.
    expect((await bulk(pudong, { area: street, day, level: 'street' })).statusCode).toBe(403);
    expect((await bulk(pudong, { area: street, day, level: 'district' })).statusCode).toBe(403);
    expect((await bulk(lujiazui, { area: street, day, level: 'street' })).statusCode).toBe(403);
    expect((await bulk(grid01, { area: '310115004001', day, level: 'street' })).statusCode).toBe(403);
    // District before street: nothing is street-signed yet, so nothing to sign.
    expect(json(await bulk(command, { area: street, day, level: 'district' }))).toEqual({ level: 'district', signed: [], skipped: [] });

    published.length = 0;
    const first = json<{ signed: string[] }>(await bulk(command, { area: street, day, level: 'street' }));
    expect(first.signed.sort()).toEqual([a, b]);
    expect(await signed(c)).toEqual({ s: null, d: null });
    expect(published.some((u) => u.area === street && u.day === day && u.streetSigned === 2)).toBe(true);
    expect(json(await bulk(command, { area: street, day, level: 'street' }))).toMatchObject({ signed: [] });

    // Named units: the late one signed on purpose; the rest skipped with their reason.
    const named = json(await bulk(admin, { area: street, day, level: 'street', units: [c, a, d, '310115004001'] }));
    expect(named).toEqual({
      level: 'street', signed: [c],
      skipped: [{ unitCode: a, reason: 'already' }, { unitCode: d, reason: 'no_report' }, { unitCode: '310115004001', reason: expect.stringMatching(/outside_area|no_report/) }],
    });
    const district = json<{ signed: string[] }>(await bulk(admin, { area: street, day, level: 'district' }));
    // The district's batch takes the on-time reports the street has signed.
    expect(district.signed.sort()).toEqual([a, b]);
    expect(await signed(a)).toEqual({ s: 'command', d: 'admin' });
    const c1 = json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day}`));
    expect(c1.totals).toMatchObject({ reported: 3, streetSigned: 3, districtSigned: 2 });
    expect(c1.units.filter((u) => u.districtSigned).map((u) => u.unitCode).sort()).toEqual([a, b]);

    // A correction clears the sign-offs: the next batch signs it again.
    await saveAt(a, day, at(day, '11:00'));
    expect(await signed(a)).toEqual({ s: null, d: null });
    expect(json<{ signed: string[] }>(await bulk(command, { area: street, day, level: 'street' })).signed).toEqual([a]);
  });
});

describe('deadlines in the city time zone', () => {
  it('08:59 is on time, 09:01 late; an inherited 00:30 deadline across midnight; whatever the server time zone', async () => {
    const savedTz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const day = pastDay(40);
      await saveAt(communities[0]!, day, at(day, '08:59'));
      await saveAt(communities[1]!, day, at(day, '09:01'));
      // A deadline on the street at 00:30 holds for its communities: 23:50 the evening before is on time.
      await t.app.inject({ method: 'PUT', url: `/api/reports/deadlines/${street}`, headers: { cookie: command }, payload: { deadline: '00:30' } });
      const day2 = pastDay(41);
      const path = (await findUnit(t.pool, communities[2]!))!.areaPath;
      expect((await unitDeadline(t.pool, path, day2, tz)).toISOString()).toBe(`${pastDay(42)}T16:30:00.000Z`);
      await saveAt(communities[2]!, day2, at(pastDay(42), '23:50'));
      await saveAt(communities[3]!, day2, at(day2, '00:31'));
      const inherited = await get(command, `/api/reports/deadlines/${communities[2]!}`);
      expect(json(inherited)).toEqual({ area: communities[2]!, deadline: '00:30', setOn: street });
      await t.app.inject({ method: 'DELETE', url: `/api/reports/deadlines/${street}`, headers: { cookie: command } });
      expect(json(await get(command, `/api/reports/deadlines/${communities[2]!}`))).toEqual({ area: communities[2]!, deadline: '09:00', setOn: null });

      const c1 = json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day}`));
      expect(c1.units.slice(0, 2).map((u) => u.status)).toEqual(['on_time', 'late']);
      const c2 = json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day2}`));
      expect(c2.units.slice(2, 4).map((u) => u.status)).toEqual(['on_time', 'late']);
    } finally {
      process.env.TZ = savedTz;
      if (savedTz === undefined) delete process.env.TZ;
    }
  });
});

describe('compliance, on-time rate and escalation', () => {
  it('counts exactly on a small example', async () => {
    const day = pastDay(50);
    const n = communities.length;
    await saveAt(communities[0]!, day, at(day, '08:00'), true);
    await saveAt(communities[1]!, day, at(day, '08:30'));
    await saveAt(communities[2]!, day, at(day, '10:00'));
    const c = json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day}`));
    expect(c.totals).toEqual({ expected: n, reported: 3, onTime: 2, late: 1, missing: n - 3, pending: 0, zero: 1, streetSigned: 0, districtSigned: 0 });
    const district = json<Compliance>(await get(command, `/api/reports/compliance?area=310101&day=${day}`));
    expect(district.children.find((x) => x.area === street)).toMatchObject({ expected: n, onTime: 2, late: 1, missing: n - 3, zero: 1 });
    const missingOnly = json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day}&status=missing`));
    expect(missingOnly.units.map((u) => u.unitCode)).toEqual(communities.slice(3));

    // Two days: day (2 on time, 1 late) and the day after (1 on time).
    const next = pastDay(49);
    await saveAt(communities[0]!, next, at(next, '07:00'));
    const rate = json<OnTimeRate>(await get(command, `/api/reports/on-time-rate?area=${street.slice(0, 6)}&from=${day}&to=${next}`));
    const row = rate.rows.find((r) => r.area === street)!;
    expect(rate.days).toBe(2);
    expect(row).toEqual({
      area: street, name: row.name, level: 'street', expected: 2 * n, reported: 4, onTime: 3, late: 1,
      reportingRate: Math.round((4 / (2 * n)) * 10_000) / 10_000, onTimeRate: Math.round((3 / (2 * n)) * 10_000) / 10_000,
    });
    const streets = json<OnTimeRate>(await get(command, `/api/reports/on-time-rate?area=310000&level=street&from=${day}&to=${next}`));
    expect(streets.rows.find((r) => r.area === street)).toEqual(row);
    expect(streets.rows.every((r) => r.level === 'street')).toBe(true);
    expect(streets.total).toMatchObject({ area: '310000', level: 'city' });
    expect((await get(command, `/api/reports/on-time-rate?area=${street}&from=${next}&to=${day}`)).statusCode).toBe(400);
    expect((await get(command, `/api/reports/on-time-rate?area=${street}&from=${day}&to=${next}&level=grid`)).statusCode).toBe(400);
  });

  it('reminds each unit before the deadline, then raises one alert per street naming its late units, escalated once to the district; a late report stops it', async () => {
    // Days of their own, away from today: a sweep on the real clock elsewhere (08:30–09:00 in the city) must not remind first.
    const day = pastDay(30);
    const yesterday = pastDay(31);
    const streetPath = (await t.pool.query<{ path: string }>('SELECT path::text AS path FROM areas WHERE code = $1', [street])).rows[0]!.path;
    // A deadline of its own, so the example does not depend on the hour the test runs at.
    const unit = communities[communities.length - 1]!;
    const silent = communities[communities.length - 2]!;
    type Row = { kind: string; area_code: string; details: { unitCount?: number; units?: Array<{ code: string; name: string }>; dueAt: string } };
    const alertsAt = async (area: string, kinds = ['report_reminder', 'report_late', 'report_escalated'], onDay = day) => (await t.pool.query<Row>(
      `SELECT kind, area_code, details FROM alerts WHERE area_code = $1 AND day = $2 AND kind = ANY($3) ORDER BY id`, [area, onDay, kinds])).rows;
    const kindsAt = async (area: string) => (await alertsAt(area)).map((r) => r.kind);
    const deadline = await unitDeadline(t.pool, (await findUnit(t.pool, unit))!.areaPath, day, tz);
    const minutes = (m: number) => new Date(deadline.getTime() + m * 60_000);
    // Only this street is swept: the database holds the whole city.
    const sweepAt = (m: number) => [minutes(m), tz, undefined, streetPath] as const;
    const reported = new Set((await t.pool.query<{ unit_code: string }>('SELECT unit_code FROM daily_reports WHERE day = $1', [day])).rows.map((r) => r.unit_code));

    await sweepAndPublish(t.app, t.pool, ...sweepAt(-45));
    expect(await kindsAt(unit)).toEqual([]);
    await sweepAndPublish(t.app, t.pool, ...sweepAt(-20));
    await sweepAndPublish(t.app, t.pool, ...sweepAt(-10));
    // The reminder goes to the unit itself.
    expect(await kindsAt(unit)).toEqual(['report_reminder']);
    expect(await kindsAt(street)).toEqual([]);
    // ...and to its street office, not above: every community's falls due at once, and would bury the
    // district's, the city's and the wall's alerts. Pushed to the watchers of the street and the unit only,
    const reminder = (await t.pool.query<{ id: number }>(`SELECT id FROM alerts WHERE kind = 'report_reminder' AND area_code = $1 AND day = $2`, [unit, day])).rows[0]!;
    expect((await alertsByIds(t.pool, [reminder.id]))[0]!.path).toEqual([street, unit]);
    // listed for the street, left out of a city or district list unless asked for by kind (is it the
    // newest alert of the list up to its own id?).
    const listsIt = async (cookie: string, query: string) =>
      json<{ items: Array<{ id: number }> }>(await get(cookie, `/api/alerts?status=all&limit=1&before=${reminder.id + 1}&${query}`)).items[0]?.id === reminder.id;
    expect(await listsIt(command, `area=${street}`)).toBe(true);
    expect(await listsIt(command, `area=${unit}`)).toBe(true);
    expect(await listsIt(command, `area=${street.slice(0, 6)}&kind=report_reminder`)).toBe(true);
    expect(await listsIt(command, `area=${street.slice(0, 6)}`)).toBe(false);
    expect(await listsIt(wall, 'area=310000')).toBe(false);
    published.length = 0;
    const late = await sweepAndPublish(t.app, t.pool, ...sweepAt(5));
    // After the deadline: nothing more per unit, one alert for the street listing every unit still unreported.
    expect(await kindsAt(unit)).toEqual(['report_reminder']);
    const [streetLate, ...more] = await alertsAt(street, ['report_late']);
    expect(more).toEqual([]);
    const unreported = communities.filter((c) => !reported.has(c));
    expect(streetLate!.details.unitCount).toBe(unreported.length);
    expect(streetLate!.details.units!.map((u) => u.code)).toEqual(unreported);
    expect(streetLate!.details.dueAt).toBe(deadline.toISOString());
    expect(late.raised.filter((a) => a.kind === 'report_late')).toHaveLength(1);
    // Every unit that turned missing is published, the unit itself included.
    expect(late.updates.find((u) => u.area === unit && u.day === day)).toMatchObject({ expected: 1, missing: 1 });
    expect(published.some((u) => u.area === street && u.day === day)).toBe(true);
    await sweepAndPublish(t.app, t.pool, ...sweepAt(6));
    expect(await alertsAt(street, ['report_late'])).toHaveLength(1);

    // The unit reports late: status late, and the district's escalation no longer names it.
    await saveAt(unit, day, minutes(30));
    await sweepAndPublish(t.app, t.pool, ...sweepAt(121));
    await sweepAndPublish(t.app, t.pool, ...sweepAt(200));
    const c = json<Compliance>(await get(command, `/api/reports/compliance?area=${unit}&day=${day}`));
    expect(c.units[0]).toMatchObject({ unitCode: unit, status: 'late' });
    const escalated = await alertsAt(street, ['report_escalated']);
    expect(escalated).toHaveLength(1);
    const escalatedUnits = escalated[0]!.details.units!.map((u) => u.code);
    expect(escalatedUnits).toContain(silent);
    expect(escalatedUnits).not.toContain(unit);
    expect(escalated[0]!.details.unitCount).toBe(unreported.length - 1);

    // The sweeper was down: 12.5 h after a deadline, the street's alert (due 12.5 h ago) is past the
    // 12 h catch-up window and is not raised; the district's (due 10.5 h ago) still is.
    const earlier = pastDay(32);
    const earlierDeadline = await unitDeadline(t.pool, (await findUnit(t.pool, communities[4]!))!.areaPath, earlier, tz);
    await sweepAndPublish(t.app, t.pool, new Date(earlierDeadline.getTime() + 12.5 * 3600_000), tz, undefined, streetPath);
    expect((await alertsAt(street, undefined, earlier)).map((r) => r.kind)).toEqual(['report_escalated']);
    // Yesterday's units were swept too (a late deadline's escalation falls after midnight): one each at most.
    const dupes = await t.pool.query(`SELECT kind, source_id FROM alerts WHERE day IN ($1, $2) GROUP BY 1, 2 HAVING count(*) > 1`, [day, yesterday]);
    expect(dupes.rowCount).toBe(0);
    // The street office sees its alert through the ordinary alert list, with the units it names.
    const listed = json<{ items: Array<{ kind: string; areaCode: string; day: string; details: { unitCount?: number } }> }>(
      await get(command, `/api/alerts?area=${street}&kind=report_escalated&status=all`));
    expect(listed.items.find((a) => a.areaCode === street && a.day === day)?.details.unitCount).toBe(unreported.length - 1);
  });

  it('collapses a whole district\'s missing units into one late alert per street', async () => {
    const day = pastDay(35);
    const district = '310104'; // Xuhui: no other test reports or sweeps there
    const { rows: [d] } = await t.pool.query<{ path: string; streets: number; units: number }>(
      `SELECT a.path::text AS path,
              (SELECT count(DISTINCT subpath(u.area_path, 0, 3)) FROM reporting_units u WHERE u.area_path <@ a.path)::int AS streets,
              (SELECT count(*) FROM reporting_units u WHERE u.area_path <@ a.path)::int AS units
         FROM areas a WHERE a.code = $1`, [district]);
    const anyUnit = (await t.pool.query<{ path: string }>('SELECT area_path::text AS path FROM reporting_units WHERE area_path <@ $1 LIMIT 1', [d!.path])).rows[0]!.path;
    const deadline = await unitDeadline(t.pool, anyUnit, day, tz);
    const raised = await sweepAndPublish(t.app, t.pool, new Date(deadline.getTime() + 60_000), tz, undefined, d!.path);
    const late = raised.raised.filter((a) => a.kind === 'report_late');
    expect(d!.units).toBeGreaterThan(d!.streets);
    expect(late).toHaveLength(d!.streets);
    expect(late.reduce((n, a) => n + a.unitPaths.length, 0)).toBe(d!.units);
    expect(late.every((a) => a.areaPath.split('.').length === 3)).toBe(true);
  });
});

describe('roll-up, prefill and Excel', () => {
  it('sums units and flags a unit reporting fewer than the registry holds', async () => {
    const day = pastDay(60);
    const unit = communities[0]!;
    const grid = (await t.pool.query<{ code: string; path: string }>(`SELECT code, path::text AS path FROM areas WHERE parent_code = $1 ORDER BY code LIMIT 1`, [unit])).rows[0]!;
    await addAreaDayCounts(t.pool, [{ path: grid.path, day, deltas: { home_quarantine_in: 2 } }]);
    const prefill = json<ReportPrefill>(await get(command, `/api/reports/${unit}/${day}/prefill`));
    expect(prefill.figures).toMatchObject({ homeQuarantine: 2, centralised: 0 });
    await put(command, unit, day, { submissionId: randomUUID(), figures: figures({ homeQuarantine: 1, centralised: 4 }) });
    await put(command, communities[1]!, day, { submissionId: randomUUID(), figures: figures({ centralised: 3, abnormal: 1 }) });
    const rollup = json<Rollup>(await get(command, `/api/reports/rollup?area=${street}&day=${day}`));
    expect(rollup).toMatchObject({ reports: 2, expected: communities.length });
    expect(rollup.sums).toMatchObject({ centralised: 7, homeQuarantine: 1, abnormal: 1 });
    expect(rollup.inconsistencies.map((i) => [i.unitCode, i.child, i.field, i.reported, i.registry])).toEqual([[unit, unit, 'homeQuarantine', 1, 2]]);
    const district = json<Rollup>(await get(command, `/api/reports/rollup?area=310101&day=${day}`));
    expect(district.children.find((c) => c.area === street)!.sums.centralised).toBe(7);
    expect(district.inconsistencies.map((i) => [i.unitCode, i.child])).toEqual([[unit, street]]);
  });

  it('template → upload round trip, errors per cell, and a printable export read back', async () => {
    const day = pastDay(70);
    const unit = communities[1]!;
    const template = await get(command, `/api/reports/${unit}/${day}/template.xlsx`);
    expect(template.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('日报')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('单位代码');
    expect(sheet.getRow(2).getCell(1).value).toBe(unit);
    expect(sheet.getCell('E2').dataValidation?.type).toBe('whole');
    sheet.getCell('J2').value = 5; // 居家隔离
    const upload = async (buffer: Buffer) => {
      const boundary = 'reportboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        buffer, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: `/api/reports/${unit}/${day}/upload`, headers: { cookie: command, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    };
    const filled = Buffer.from(await book.xlsx.writeBuffer());
    const stored = json<DailyReport>(await upload(filled));
    expect(stored).toMatchObject({ version: 1, figures: figures({ homeQuarantine: 5 }) });
    expect(json<DailyReport>(await upload(filled)).duplicate).toBe(true);

    // Download again: the stored figures come back.
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await get(command, `/api/reports/${unit}/${day}/template.xlsx`)).rawPayload as unknown as ExcelJS.Buffer);
    expect(again.getWorksheet('日报')!.getCell('J2').value).toBe(5);

    sheet.getCell('A2').value = communities[2]!;
    sheet.getCell('F2').value = -3;
    const bad = await upload(Buffer.from(await book.xlsx.writeBuffer()));
    expect(bad.statusCode).toBe(400);
    const fields = json<{ details: Array<{ row: number; field: string }> }>(bad).details.map((d) => `${d.row}:${d.field}`);
    expect(fields.sort()).toEqual(['2:中高风险地区来沪 (Risk-area arrivals)', '2:单位代码 (Unit code)']);

    const before = new Date();
    const exported = await get(command, `/api/reports/export.xlsx?area=${street}&day=${day}`);
    expect(exported.statusCode).toBe(200);
    const audit = (await t.pool.query<{ username: string; action: string; resource_id: string; detail: { rows: number } }>(
      `SELECT username, action, resource_id, detail FROM audit_log WHERE at >= $1 AND resource = 'daily_report'`, [before])).rows;
    expect(audit).toEqual([{ username: 'command', action: 'export', resource_id: `${street}/${day}`, detail: expect.objectContaining({ area: street, day, rows: communities.length }) }]);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(exported.rawPayload as unknown as ExcelJS.Buffer);
    expect(out.worksheets.map((w) => w.name)).toEqual(['汇总', '各单位', '数据核对']);
    const units = out.getWorksheet('各单位')!;
    expect(String(units.getCell('A1').value)).toContain('疫情防控日报汇总表');
    expect(units.pageSetup.printTitlesRow).toBe('3:3');
    expect(units.pageSetup.orientation).toBe('landscape');
    const rowOf = (code: string) => { let found = 0; units.eachRow((r, i) => { if (r.getCell(1).value === code) found = i; }); return found; };
    expect(units.getRow(rowOf(unit)).getCell(3).value).toBe('迟报');
    expect((units.getRow(rowOf(unit)).getCell(1).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFE699');
    expect(units.getRow(rowOf(unit)).getCell(11).value).toBe(5);
    const summary = out.getWorksheet('汇总')!;
    expect(summary.getRow(summary.rowCount).getCell(1).value).toBe('合计');
  });
});

describe('ledgers', () => {
  type Audit = { username: string; action: string; resource: string; detail: Record<string, unknown>; ip: string | null; user_agent: string | null; reason: string | null };
  const auditSince = async (since: Date) => (await t.pool.query<Audit>(
    `SELECT username, action, resource, detail, ip, user_agent, reason FROM audit_log WHERE at >= $1 AND resource LIKE 'ledger:%' ORDER BY id`, [since])).rows;
  const sheetOf = async (response: { rawPayload: Buffer }) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
    return book.getWorksheet('台账')!;
  };

  it('lists a category masked per role, refuses the wall and other streets, and audits every unmasked read', async () => {
    const day = pastDay(8);
    const grid = '31011500400101';
    const person = { id: randomUUID(), name: '王小明', idType: 'passport', idNumber: `E${Date.now() % 1e8}`, phone: '13812345678', address: '浦东新区潍坊路100号2楼', grid, category: 'overseas_arrival', arrivedOn: day, origin: '东京' };
    const reg = await t.app.inject({ method: 'POST', url: '/api/people', headers: { cookie: command }, payload: { people: [person] } });
    expect(reg.statusCode).toBe(200);
    const since = new Date();
    const url = `/api/ledgers/overseas_arrival?area=310115004001&from=${day}&to=${day}`;
    const asGrid = json<{ total: number; exportUnmasked: boolean; items: Array<{ name: string; masked: boolean; phone: string }> }>(
      await t.app.inject({ url, headers: { cookie: grid01, 'user-agent': 'ledger-test' } }));
    expect(asGrid.total).toBe(1);
    expect(asGrid.items[0]).toMatchObject({ name: '王小明', masked: false, phone: '13812345678' });
    expect(asGrid.exportUnmasked).toBe(false); // grid01 sees personal data but has no right to export it
    const asCommand = json<{ exportUnmasked: boolean; items: Array<{ name: string; masked: boolean; phone: string }> }>(await get(command, url));
    expect(asCommand.items[0]).toMatchObject({ name: '王**', masked: true, phone: '138****5678' });
    expect(asCommand.exportUnmasked).toBe(false);
    expect(json<{ exportUnmasked: boolean }>(await get(pudong, url)).exportUnmasked).toBe(true);
    expect((await get(wall, url)).statusCode).toBe(403);
    expect((await get(lujiazui, url)).statusCode).toBe(403); // another street
    expect((await get(command, '/api/ledgers/close_contact')).statusCode).toBe(400);
    // The unmasked reads (grid01, pudong) are in the audit log; the masked one (command) is not.
    const reads = await auditSince(since);
    expect(reads.map((r) => [r.username, r.action, r.resource])).toEqual([
      ['grid01', 'personal_data.read', 'ledger:overseas_arrival'], ['pudong', 'personal_data.read', 'ledger:overseas_arrival'],
    ]);
    expect(reads[0]).toMatchObject({ user_agent: 'ledger-test', detail: { area: '310115004001', from: day, to: day, rows: 1, limit: 100, offset: 0 } });
    expect(reads[0]!.ip).toBeTruthy();
  });

  it('exports unmasked only with the duty and the right, masked otherwise, 403 when unmasked is asked without; every export audited', async () => {
    const day = pastDay(8);
    const since = new Date();
    const xlsxUrl = `/api/ledgers/overseas_arrival.xlsx?area=310115004001&from=${day}&to=${day}`;
    expect((await get(wall, xlsxUrl)).statusCode).toBe(403);
    expect((await get(command, `${xlsxUrl}&unmasked=true`)).statusCode).toBe(403);
    expect((await get(grid01, `${xlsxUrl}&unmasked=true`)).statusCode).toBe(403);

    // pudong: the district office, with the right to export personal data: in clear by default.
    const clear = await sheetOf(await get(pudong, `${xlsxUrl}&reason=${encodeURIComponent('入境人员核查')}`));
    expect(String(clear.getCell('A1').value)).toContain('境外入境人员台账');
    expect(clear.getRow(4).getCell(3).value).toBe('王小明');
    expect(clear.getRow(4).getCell(5).value).toBe('13812345678');
    expect(clear.pageSetup.printTitlesRow).toBe('3:3');
    expect(String(clear.getCell('A2').value)).not.toContain('脱敏');
    // ... and masked when it asks for a masked file.
    expect((await sheetOf(await get(pudong, `${xlsxUrl}&unmasked=false`))).getRow(4).getCell(3).value).toBe('王**');
    // command (no duty) and grid01 (duty, no right) get a masked file that says so.
    for (const cookie of [command, grid01]) {
      const response = await get(cookie, xlsxUrl);
      expect(response.statusCode).toBe(200);
      const masked = await sheetOf(response);
      expect(masked.getRow(4).getCell(3).value).toBe('王**');
      expect(masked.getRow(4).getCell(5).value).toBe('138****5678');
      expect(String(masked.getCell('A2').value)).toContain('脱敏');
    }
    const exports = await auditSince(since);
    expect(exports.map((r) => [r.username, r.action, r.detail.masked, r.detail.rows])).toEqual([
      ['pudong', 'export', false, 1], ['pudong', 'export', true, 1], ['command', 'export', true, 1], ['grid01', 'export', true, 1],
    ]);
    expect(exports.every((r) => r.resource === 'ledger:overseas_arrival' && r.detail.area === '310115004001' && r.detail.from === day)).toBe(true);
    expect(exports.map((r) => r.reason)).toEqual(['入境人员核查', null, null, null]);
  });
});

describe('reporting units', () => {
  it('makes a site and a street units, takes a community off, and tells the live feed on submission', async () => {
    const day = pastDay(90);
    const n = communities.length;
    const expected = async () => json<Compliance>(await get(command, `/api/reports/compliance?area=${street}&day=${day}`)).totals.expected;
    const unitPut = (cookie: string, code: string, active: boolean) =>
      t.app.inject({ method: 'PUT', url: `/api/reports/units/${code}`, headers: { cookie }, payload: { active } });
    const site = (await t.pool.query<{ id: number }>(
      `SELECT s.id FROM sites s JOIN areas a ON a.code = $1 WHERE s.area_path <@ a.path ORDER BY s.id LIMIT 1`, [street])).rows[0]?.id;
    expect(site).toBeDefined();
    try {
      expect((await unitPut(grid01, street, true)).statusCode).toBe(403);
      expect((await unitPut(pudong, street, true)).statusCode).toBe(403);
      expect((await unitPut(command, 'site-999999999', true)).statusCode).toBe(404);
      expect(json(await unitPut(command, street, true))).toMatchObject({ code: street, active: true, kind: 'street', deadline: '09:00' });
      expect(await expected()).toBe(n + 1);
      expect(json(await unitPut(command, communities[0]!, false))).toEqual({ code: communities[0]!, active: false });
      expect(await expected()).toBe(n);
      expect((await put(command, communities[0]!, day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(404);
      if (site !== undefined) {
        expect(json(await unitPut(command, `site-${site}`, true))).toMatchObject({ code: `site-${site}`, kind: 'site' });
        const settings = json<{ units: Array<{ code: string; kind: string; active: boolean }> }>(await get(command, `/api/reports/settings?area=${street}`));
        expect(settings.units.map((u) => [u.code, u.kind, u.active])).toEqual([[street, 'street', true], [communities[0]!, 'community', false], [`site-${site}`, 'site', true]]);
        expect((await get(pudong, `/api/reports/settings?area=${street}`)).statusCode).toBe(403);
        expect(await expected()).toBe(n + 1);
        const prefill = json<ReportPrefill>(await get(command, `/api/reports/site-${site}/${day}/prefill`));
        expect(prefill.figures.centralised).toBe(0);
        published.length = 0;
        expect((await put(command, `site-${site}`, day, { submissionId: randomUUID(), zero: true })).statusCode).toBe(200);
        const update = published.find((u) => u.area === street && u.day === day);
        expect(update).toMatchObject({ expected: n + 1, reported: 1, late: 1, zero: 1 });
        expect(published.some((u) => u.area === '310000')).toBe(true);
      }
    } finally {
      await unitPut(command, street, false);
      await unitPut(command, communities[0]!, true);
      if (site !== undefined) await unitPut(command, `site-${site}`, false);
    }
    expect(await expected()).toBe(n);
  });
});
