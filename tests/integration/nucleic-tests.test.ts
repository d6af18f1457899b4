import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool } from '../../server/infra/db.ts';
import type { AlertList, AreaDayCounts, NucleicTestList, NucleicTestsAccepted, NucleicTurnaround } from '../../server/contracts/index.ts';
import { sweepLateResults } from '../../server/nucleic-tests/sweeper.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let t: TestApp;
let command: string;
let admin: string;
let pudong: string;
let grid01: string;
let wall: string;
/** Grids of grid01's community (310115004001), another Pudong community's grid, and a Huangpu grid. */
let gridA: string;
let gridB: string;
let gridC: string;
let huangpuGrid: string;
let personA: string;
let huangpuPerson: string;

interface Rejected {
  code: string;
  details: Array<{ index: number; id: string | null; field: string; message: string }>;
}

/** A day n days ago on the Shanghai calendar, and a local time that day. Each test owns its days. */
/** Days 4–11 ago are this file's: it checks the city's figures of those days, so no other file samples on them. */
function pastDay(daysAgo: number): { day: string; at: (hhmmss: string) => string } {
  const day = new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return { day, at: (hhmmss) => `${day}T${hhmmss}+08:00` };
}

function sample(sampledAt: string, grid: string, overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), sampledAt, grid, ...overrides };
}

const postTests = (cookie: string, tests: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/nucleic-tests', headers: { cookie }, payload: { tests } as object });
const postResults = (cookie: string, results: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/nucleic-tests/results', headers: { cookie }, payload: { results } as object });
const counts = async (code: string, day: string) =>
  json<AreaDayCounts>(await t.app.inject({ url: `/api/stats/${code}?day=${day}`, headers: { cookie: command } })).counts;
const testFigures = async (code: string, day: string) => {
  const c = await counts(code, day);
  return { sampled: c.testsSampled, resulted: c.testsResulted, positive: c.testsPositive, onTime: c.resultsOnTime, rate: c.resultOnTimeRate };
};
const rowCount = async (table: 'nucleic_tests' | 'nucleic_results') =>
  (await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
const consistency = async (day: string) =>
  (await t.app.inject({ url: `/api/stats/consistency?day=${day}`, headers: { cookie: admin } })).json() as { consistent: boolean; mismatches: unknown[] };
const alertsOf = async (kind: string, area: string) =>
  json<AlertList>(await t.app.inject({ url: `/api/alerts?kind=${kind}&area=${area}&status=all&limit=500`, headers: { cookie: command } }));

async function insertPerson(grid: string, name: string, idNumber: string): Promise<string> {
  const id = randomUUID();
  await t.pool.query(
    `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category)
     SELECT $1, $2, $3, '13812345678', '浦东新区张杨路500号3楼', code, path, 'close_contact' FROM areas WHERE code = $4`,
    [id, name, idNumber, grid],
  );
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  [command, admin, pudong, grid01, wall] = await Promise.all([t.login('command'), t.login('admin'), t.login('pudong'), t.login('grid01'), t.login('wall')]);
  const grids = async (sql: string) => (await t.pool.query<{ code: string }>(sql)).rows.map((row) => row.code);
  const community = await grids(`SELECT code FROM areas WHERE level = 'grid' AND parent_code = '310115004001' ORDER BY code LIMIT 2`);
  gridA = community[0]!;
  gridB = community[1]!;
  gridC = (await grids(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115005%' ORDER BY code LIMIT 1`))[0]!;
  huangpuGrid = (await grids(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310101%' ORDER BY code LIMIT 1`))[0]!;
  personA = await insertPerson(gridA, '张三丰', '310115199001011234');
  huangpuPerson = await insertPerson(huangpuGrid, '李四', '310101198502023456');
});
afterAll(() => t.close());

describe('samples and results in, figures out', () => {
  // D1: four samples in gridA at 08:00 (two of them a risk group), one in gridB at 22:00 whose
  // result comes the next day (D2), one in Huangpu that never gets a result.
  const d1 = pastDay(5);
  const d2 = pastDay(4);
  const s1 = () => sample(d1.at('08:00:00'), gridA, { personId: personA, result: { resultedAt: d1.at('20:00:00'), result: 'negative' } });
  let tests: Array<ReturnType<typeof sample>>;

  it('counts samples on their day and results on theirs, on time up to the due time exactly (12 h, 6 h for risk groups)', async () => {
    tests = [
      s1(), // exactly 12 h: on time
      sample(d1.at('08:00:00'), gridA), // result at 12 h + 1 s: late
      sample(d1.at('08:00:00'), gridA, { riskGroup: true, result: { resultedAt: d1.at('14:00:00'), result: 'positive' } }), // exactly 6 h
      sample(d1.at('08:00:00'), gridA, { riskGroup: true }), // 6 h + 1 s: late
      sample(d1.at('22:00:00'), gridB), // result the next day
      sample(d1.at('10:00:00'), huangpuGrid),
    ];
    const response = await postTests(command, tests);
    expect(response.statusCode, response.body).toBe(200);
    expect(json<NucleicTestsAccepted>(response)).toEqual({ accepted: 6, duplicates: 0, results: { accepted: 2, duplicates: 0 } });
    const results = await postResults(command, [
      { testId: tests[1]!.id, resultedAt: d1.at('20:00:01'), result: 'negative' },
      { testId: tests[3]!.id, resultedAt: d1.at('14:00:01'), result: 'invalid' },
      { testId: tests[4]!.id, resultedAt: d2.at('06:00:00'), result: 'negative' },
    ]);
    expect(results.statusCode, results.body).toBe(200);
    expect(results.json()).toEqual({ accepted: 3, duplicates: 0 });

    const due = (await t.pool.query<{ id: string; hours: number }>(
      `SELECT id::text, extract(epoch FROM due_at - sampled_at) / 3600 AS hours FROM nucleic_tests WHERE id = ANY ($1::uuid[])`,
      [tests.map((s) => s.id)],
    )).rows;
    expect(Object.fromEntries(due.map((r) => [r.id, Number(r.hours)]))).toEqual(Object.fromEntries(tests.map((s, i) => [s.id, i === 2 || i === 3 ? 6 : 12])));

    expect(await testFigures(gridA, d1.day)).toEqual({ sampled: 4, resulted: 4, positive: 1, onTime: 2, rate: 0.5 });
    expect(await testFigures(gridB, d1.day)).toEqual({ sampled: 1, resulted: 0, positive: 0, onTime: 0, rate: null });
    expect(await testFigures(gridB, d2.day)).toEqual({ sampled: 0, resulted: 1, positive: 0, onTime: 1, rate: 1 });
    expect(await testFigures('310115004001', d1.day)).toEqual({ sampled: 5, resulted: 4, positive: 1, onTime: 2, rate: 0.5 });
    expect(await testFigures('310115', d1.day)).toEqual({ sampled: 5, resulted: 4, positive: 1, onTime: 2, rate: 0.5 });
    expect(await testFigures('310101', d1.day)).toEqual({ sampled: 1, resulted: 0, positive: 0, onTime: 0, rate: null });
    expect(await testFigures('310000', d1.day)).toEqual({ sampled: 6, resulted: 4, positive: 1, onTime: 2, rate: 0.5 });
    expect(await testFigures('310000', d2.day)).toEqual({ sampled: 0, resulted: 1, positive: 0, onTime: 1, rate: 1 });
  });

  it('is idempotent: the same batch again, the same result again, change nothing', async () => {
    const before = { tests: await rowCount('nucleic_tests'), results: await rowCount('nucleic_results'), city: await testFigures('310000', d1.day) };
    expect(json<NucleicTestsAccepted>(await postTests(command, tests))).toEqual({ accepted: 0, duplicates: 6, results: { accepted: 0, duplicates: 2 } });
    const again = await postResults(command, [
      { testId: tests[1]!.id, resultedAt: d1.at('20:00:01'), result: 'negative' },
      // the same instant written in UTC is the same result
      { testId: tests[4]!.id, resultedAt: new Date(d2.at('06:00:00')).toISOString(), result: 'negative' },
      { testId: tests[4]!.id, resultedAt: d2.at('06:00:00'), result: 'negative' },
    ]);
    expect(again.json()).toEqual({ accepted: 0, duplicates: 3 });
    expect(await rowCount('nucleic_tests')).toBe(before.tests);
    expect(await rowCount('nucleic_results')).toBe(before.results);
    expect(await testFigures('310000', d1.day)).toEqual(before.city);
    expect(await testFigures('310000', d2.day)).toEqual({ sampled: 0, resulted: 1, positive: 0, onTime: 1, rate: 1 });
  });

  it('refuses a different result for a test that has one (409), and stores nothing of that request', async () => {
    const fresh = sample(d1.at('09:00:00'), gridB);
    expect((await postTests(command, [fresh])).statusCode).toBe(200);
    const before = { results: await rowCount('nucleic_results'), gridB: await testFigures(gridB, d1.day) };

    const conflicting = await postResults(command, [
      { testId: fresh.id, resultedAt: d1.at('12:00:00'), result: 'negative' }, // fine on its own
      { testId: tests[1]!.id, resultedAt: d1.at('20:00:01'), result: 'positive' }, // was negative
      { testId: tests[4]!.id, resultedAt: d2.at('07:00:00'), result: 'negative' }, // same value, another time
    ]);
    expect(conflicting.statusCode).toBe(409);
    const body = json<Rejected>(conflicting);
    expect(body.code).toBe('conflict');
    expect(body.details.map((d) => [d.index, d.id, d.field])).toEqual([[1, tests[1]!.id, 'result'], [2, tests[4]!.id, 'result']]);

    // Two different results for one test in one request conflict with each other.
    const within = await postResults(command, [
      { testId: fresh.id, resultedAt: d1.at('12:00:00'), result: 'negative' },
      { testId: fresh.id, resultedAt: d1.at('12:00:00'), result: 'positive' },
    ]);
    expect(within.statusCode).toBe(409);
    expect(json<Rejected>(within).details.map((d) => d.index)).toEqual([1]);

    // An inline result that contradicts the stored one, in a re-sent sample, is a conflict too.
    const inline = await postTests(command, [{ ...tests[1]!, result: { resultedAt: d1.at('20:00:01'), result: 'positive' } }]);
    expect(inline.statusCode).toBe(409);
    expect(json<Rejected>(inline).details[0]).toMatchObject({ index: 0, field: 'result.result' });

    expect(await rowCount('nucleic_results')).toBe(before.results);
    expect(await testFigures(gridB, d1.day)).toEqual(before.gridB);
    expect((await postResults(command, [{ testId: fresh.id, resultedAt: d1.at('12:00:00'), result: 'negative' }])).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await testFigures(gridB, d1.day)).toEqual({ sampled: 2, resulted: 1, positive: 0, onTime: 1, rate: 1 });
  });

  it('raises one positive_result alert per positive test, whatever the retries, naming the test and site, never the person', async () => {
    const site = (await t.pool.query<{ id: number; grid: string; name: string }>(
      `SELECT id, grid_code AS grid, name FROM sites WHERE grid_code LIKE '310115%' AND grid_code <> ALL ($1) ORDER BY id LIMIT 1`,
      [[gridA, gridB, gridC]],
    )).rows[0]!;
    const atSite = { id: randomUUID(), sampledAt: d1.at('11:00:00'), siteId: site.id };
    expect((await postTests(command, [atSite])).statusCode).toBe(200);
    const positive = { testId: atSite.id, resultedAt: d1.at('15:00:00'), result: 'positive' };
    expect((await postResults(command, [positive])).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await postResults(command, [positive])).json()).toEqual({ accepted: 0, duplicates: 1 });

    const atGrid = await alertsOf('positive_result', gridA);
    expect(atGrid.total).toBe(1);
    expect(atGrid.items[0]).toMatchObject({ kind: 'positive_result', areaCode: gridA, day: d1.day, details: { testId: tests[2]!.id } });
    expect(atGrid.items[0]!.details.siteId).toBeUndefined();
    const atSiteAlerts = (await alertsOf('positive_result', site.grid)).items.filter((a) => a.details.testId === atSite.id);
    expect(atSiteAlerts).toHaveLength(1);
    expect(atSiteAlerts[0]!.details).toEqual({ testId: atSite.id, siteId: site.id, siteName: site.name });
    expect(JSON.stringify(atGrid)).not.toMatch(/张三丰|310115199001011234|personId/);
    expect((await testFigures(site.grid, d1.day)).positive).toBeGreaterThanOrEqual(1);
  });

  it('lists the tests behind the figures, with the person masked or shown by role; the wall may not list', async () => {
    const list = async (cookie: string, query: string) => {
      const response = await t.app.inject({ url: `/api/nucleic-tests?${query}`, headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      return json<NucleicTestList>(response);
    };
    const sampledD1 = await list(command, `area=${gridA}&day=${d1.day}`);
    expect(sampledD1.total).toBe(4);
    const first = sampledD1.items.find((i) => i.id === tests[0]!.id)!;
    expect(first).toMatchObject({
      gridCode: gridA, riskGroup: false, status: 'resulted', sampleDay: d1.day,
      dueAt: new Date(d1.at('20:00:00')).toISOString(),
      result: { result: 'negative', onTime: true, turnaroundHours: 12, resultDay: d1.day },
      person: { id: personA, name: '张**', idNumber: '3101**********1234', phone: '138****5678', masked: true },
    });
    expect(first.areaName.split(' · ')[0]).toBe('浦东新区');

    const unmasked = (await list(grid01, `area=${gridA}&day=${d1.day}`)).items.find((i) => i.id === tests[0]!.id)!;
    expect(unmasked.person).toMatchObject({ name: '张三丰', idNumber: '310115199001011234', masked: false });

    expect((await list(command, `area=${gridA}&status=positive&day=${d1.day}`)).items.map((i) => i.id)).toEqual([tests[2]!.id]);
    expect((await list(command, `area=${gridB}&status=resulted&day=${d2.day}`)).items.map((i) => i.id)).toEqual([tests[4]!.id]);
    expect((await list(command, `area=${gridB}&status=resulted&day=${d1.day}`)).total).toBe(1); // the one resulted the same day
    const late = await list(command, `area=310101&status=late&day=${d1.day}`);
    expect(late.items.map((i) => [i.id, i.status, i.result])).toEqual([[tests[5]!.id, 'late', null]]);
    expect((await list(command, `area=310101&status=pending&day=${d1.day}`)).total).toBe(1);
    const paged = await list(command, `area=${gridA}&day=${d1.day}&limit=3&offset=3`);
    expect([paged.total, paged.items.length]).toEqual([4, 1]);

    expect((await t.app.inject({ url: '/api/nucleic-tests', headers: { cookie: wall } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/nucleic-tests?area=310101', headers: { cookie: pudong } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/nucleic-tests?area=999999', headers: { cookie: command } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/nucleic-tests?status=lost', headers: { cookie: command } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/nucleic-tests?day=2026-02-30', headers: { cookie: command } })).statusCode).toBe(400);
    // grid01 sees its community only
    expect((await list(grid01, `day=${d1.day}`)).items.every((i) => i.gridCode.startsWith('310115004001'))).toBe(true);
  });

  it('keeps the figures consistent with a rebuild from the samples and results', async () => {
    for (const day of [d1.day, d2.day]) expect(await consistency(day)).toMatchObject({ consistent: true, mismatches: [] });
  });
});

describe('malformed input', () => {
  const d = pastDay(6);

  it('rejects a batch with every bad sample named, and stores nothing', async () => {
    const before = { tests: await rowCount('nucleic_tests'), results: await rowCount('nucleic_results') };
    const batch: unknown[] = [
      sample(d.at('08:00:00'), gridA), // 0: good
      { ...sample(d.at('08:00:00'), gridA), id: 'not-a-uuid' }, // 1
      { id: randomUUID(), grid: gridA }, // 2: no sampledAt
      sample('2099-01-01T00:00:00+08:00', gridA), // 3: future
      sample('2020-01-01T00:00:00+08:00', gridA), // 4: too old
      { id: randomUUID(), sampledAt: d.at('08:00:00') }, // 5: no locator
      sample(d.at('08:00:00'), gridA, { siteId: 1 }), // 6: two locators
      sample(d.at('08:00:00'), '31011599999999'), // 7: no such grid
      { id: randomUUID(), sampledAt: d.at('08:00:00'), position: { lon: 0, lat: 0 } }, // 8: outside every grid
      sample(d.at('08:00:00'), gridA, { personId: randomUUID() }), // 9: unknown person
      sample(d.at('08:00:00'), gridA, { personId: huangpuPerson }), // 10: fine: a person elsewhere in the city is in command's jurisdiction
      sample(d.at('08:00:00'), gridA, { result: { resultedAt: d.at('07:59:59'), result: 'negative' } }), // 11: result before sample
      sample(d.at('08:00:00'), gridA, { result: { resultedAt: d.at('09:00:00'), result: 'maybe' } }), // 12
      sample(d.at('08:00:00'), gridA, { riskGroup: 'yes' }), // 13
      sample(d.at('08:00:00'), gridA, { extra: 1 }), // 14
      'not even an object', // 15
      null, // 16
      sample(d.at('08:00:00'), gridA, { result: { resultedAt: '2099-01-01T00:00:00Z', result: 'negative' } }), // 17: result in the future
    ];
    const response = await postTests(command, batch);
    expect(response.statusCode).toBe(400);
    const body = json<Rejected>(response);
    expect(body.code).toBe('validation_failed');
    expect([...new Set(body.details.map((e) => e.index))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17]);
    const field = (index: number) => body.details.find((e) => e.index === index)?.field;
    expect([1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 15, 17].map(field))
      .toEqual(['id', 'sampledAt', 'sampledAt', 'sampledAt', 'siteId', 'grid', 'position', 'personId', 'result.resultedAt', 'result.result', 'riskGroup', 'extra', 'record', 'result.resultedAt']);
    expect(body.details.find((e) => e.index === 3)?.id).toBe((batch[3] as { id: string }).id);
    expect(await rowCount('nucleic_tests')).toBe(before.tests);
    expect(await rowCount('nucleic_results')).toBe(before.results);
  });

  it('rejects bad results with every one named, and stores nothing', async () => {
    const good = sample(d.at('08:00:00'), gridA);
    const huangpu = sample(d.at('08:00:00'), huangpuGrid);
    expect((await postTests(command, [good, huangpu])).statusCode).toBe(200);
    const before = await rowCount('nucleic_results');
    const response = await postResults(pudong, [
      { testId: good.id, resultedAt: d.at('09:00:00'), result: 'negative' }, // 0: fine
      { testId: randomUUID(), resultedAt: d.at('09:00:00'), result: 'negative' }, // 1: no such test
      { testId: huangpu.id, resultedAt: d.at('09:00:00'), result: 'negative' }, // 2: outside pudong's jurisdiction
      { testId: good.id.toUpperCase(), resultedAt: d.at('07:00:00'), result: 'negative' }, // 3: before the sample (and a second result)
      { testId: good.id, resultedAt: '2099-01-01T00:00:00Z', result: 'negative' }, // 4: future
      { testId: good.id, resultedAt: d.at('09:00:00'), result: 'weak' }, // 5
      { testId: good.id, result: 'negative' }, // 6: no time
      { testId: 'x', resultedAt: d.at('09:00:00'), result: 'negative' }, // 7
      { testId: good.id, resultedAt: 'yesterday', result: 'negative' }, // 8
      [], // 9
    ]);
    expect(response.statusCode).toBe(400);
    const body = json<Rejected>(response);
    expect([...new Set(body.details.map((e) => e.index))]).toEqual([4, 5, 6, 7, 8, 9]);
    // Checks that need the database come once the records are well-formed.
    const second = await postResults(pudong, [
      { testId: good.id, resultedAt: d.at('09:00:00'), result: 'negative' },
      { testId: randomUUID(), resultedAt: d.at('09:00:00'), result: 'negative' },
      { testId: huangpu.id, resultedAt: d.at('09:00:00'), result: 'negative' },
    ]);
    expect(second.statusCode).toBe(400);
    expect(json<Rejected>(second).details.map((e) => [e.index, e.field])).toEqual([[1, 'testId'], [2, 'testId']]);
    const beforeSample = await postResults(pudong, [{ testId: good.id, resultedAt: d.at('07:00:00'), result: 'negative' }]);
    expect(beforeSample.statusCode).toBe(400);
    expect(json<Rejected>(beforeSample).details).toEqual([{ index: 0, id: good.id, field: 'resultedAt', message: expect.any(String) }]);
    expect(await rowCount('nucleic_results')).toBe(before);
  });

  it('answers malformed requests with 400, never 500', async () => {
    for (const url of ['/api/nucleic-tests', '/api/nucleic-tests/results']) {
      for (const body of ['{}', '{"tests":[]}', '{"results":[]}', '{"tests":"x","results":"x"}', '[]', 'null', '{"tests":[{}],"results":[{}]}', 'not json']) {
        const response = await t.app.inject({ method: 'POST', url, headers: { cookie: command, 'content-type': 'application/json' }, payload: body });
        expect(response.statusCode, `${url} ${body}`).toBe(400);
      }
    }
    const tooMany = Array.from({ length: 10_001 }, () => ({}));
    expect((await postTests(command, tooMany)).statusCode).toBe(400);
    expect((await postResults(command, tooMany)).statusCode).toBe(400);
  });
});

describe('scope', () => {
  const d = pastDay(7);

  it('keeps writers inside their jurisdiction and read-only roles out', async () => {
    const outside = await postTests(pudong, [sample(d.at('08:00:00'), huangpuGrid)]);
    expect(outside.statusCode).toBe(400);
    expect(json<Rejected>(outside).details[0]).toMatchObject({ index: 0, field: 'grid' });
    const person = await postTests(grid01, [sample(d.at('08:00:00'), gridA, { personId: huangpuPerson })]);
    expect(json<Rejected>(person).details[0]).toMatchObject({ index: 0, field: 'personId' });
    const otherCommunity = await postTests(grid01, [sample(d.at('08:00:00'), gridC)]);
    expect(otherCommunity.statusCode).toBe(400);
    const inside = sample(d.at('08:00:00'), gridA, { personId: personA });
    expect(json<NucleicTestsAccepted>(await postTests(grid01, [inside])).accepted).toBe(1);
    expect((await postTests(wall, [sample(d.at('08:00:00'), gridA)])).statusCode).toBe(403);
    expect((await postResults(wall, [{ testId: inside.id, resultedAt: d.at('09:00:00'), result: 'negative' }])).statusCode).toBe(403);
    const team = await t.login('team01');
    expect((await postTests(team, [sample(d.at('08:00:00'), gridA)])).statusCode).toBe(403);
  });
});

describe('GET /api/nucleic-tests/turnaround', () => {
  // gridC (a Lujiazui grid) on D3 and D4, hand-computed:
  //   D3 samples at 08:00, results after 2, 4, 6 (positive) and 15 h (late: due at 12 h);
  //   a risk-group sample at 20:00 resulted at 04:00 on D4 (8 h, late: due at 6 h);
  //   a sample at 20:00 that never gets a result (due 08:00 on D4, long past).
  //   D3: sampled 6, resulted 4, positive 1, on time 3 (0.75), hours [2, 4, 6, 15]:
  //       median (4 + 6) / 2 = 5, p90 at rank 0.9 × 3 = 2.7 → 6 + 0.7 × (15 − 6) = 12.3; pending 1, overdue 1.
  //   D4: resulted 1, on time 0 (0), hours [8]: median 8, p90 8.
  //   Period: sampled 6, resulted 5, positive 1, on time 3 (0.6), hours [2, 4, 6, 8, 15]: median 6,
  //       p90 at rank 3.6 → 8 + 0.6 × 7 = 12.2.
  const d3 = pastDay(9);
  const d4 = pastDay(8);

  it('answers the hand-computed figures', async () => {
    const at = d3.at('08:00:00');
    const samples = [
      sample(at, gridC, { result: { resultedAt: d3.at('10:00:00'), result: 'negative' } }),
      sample(at, gridC, { result: { resultedAt: d3.at('12:00:00'), result: 'negative' } }),
      sample(at, gridC, { result: { resultedAt: d3.at('14:00:00'), result: 'positive' } }),
      sample(at, gridC, { result: { resultedAt: d3.at('23:00:00'), result: 'negative' } }),
      sample(d3.at('20:00:00'), gridC, { riskGroup: true, result: { resultedAt: d4.at('04:00:00'), result: 'negative' } }),
      sample(d3.at('20:00:00'), gridC),
    ];
    expect(json<NucleicTestsAccepted>(await postTests(command, samples))).toEqual({ accepted: 6, duplicates: 0, results: { accepted: 5, duplicates: 0 } });

    const from = pastDay(10).day;
    const to = pastDay(7).day;
    const response = await t.app.inject({ url: `/api/nucleic-tests/turnaround?area=${gridC}&from=${from}&to=${to}`, headers: { cookie: wall } });
    expect(response.statusCode, response.body).toBe(200);
    const quiet = { sampled: 0, resulted: 0, positive: 0, onTime: 0, onTimeRate: null, medianHours: null, p90Hours: null, pending: 0, pendingOverdue: 0 };
    expect(json<NucleicTurnaround>(response)).toEqual({
      area: gridC,
      from,
      to,
      days: [
        { day: from, ...quiet },
        { day: d3.day, sampled: 6, resulted: 4, positive: 1, onTime: 3, onTimeRate: 0.75, medianHours: 5, p90Hours: 12.3, pending: 1, pendingOverdue: 1 },
        { day: d4.day, sampled: 0, resulted: 1, positive: 0, onTime: 0, onTimeRate: 0, medianHours: 8, p90Hours: 8, pending: 0, pendingOverdue: 0 },
        { day: to, ...quiet },
      ],
      total: { sampled: 6, resulted: 5, positive: 1, onTime: 3, onTimeRate: 0.6, medianHours: 6, p90Hours: 12.2, pending: 1, pendingOverdue: 1 },
    });
    // The same figures as the daily counters.
    expect(await testFigures(gridC, d3.day)).toEqual({ sampled: 6, resulted: 4, positive: 1, onTime: 3, rate: 0.75 });
    expect(await testFigures(gridC, d4.day)).toEqual({ sampled: 0, resulted: 1, positive: 0, onTime: 0, rate: 0 });
    for (const day of [d3.day, d4.day]) expect((await consistency(day)).consistent).toBe(true);
  });

  it('checks its range and scope', async () => {
    const get = (query: string, cookie = command) => t.app.inject({ url: `/api/nucleic-tests/turnaround?${query}`, headers: { cookie } });
    const fallback = json<NucleicTurnaround>(await get('area=310115'));
    expect(fallback.days).toHaveLength(14);
    expect(fallback.to).toBe(pastDay(0).day);
    expect((await get(`from=${d4.day}&to=${d3.day}`)).statusCode).toBe(400);
    expect((await get('from=2026-01-01&to=2026-12-31')).statusCode).toBe(400);
    expect((await get('to=2026-02-30')).statusCode).toBe(400);
    expect((await get('area=310101', pudong)).statusCode).toBe(403);
    expect(json<NucleicTurnaround>(await get('')).area).toBe('310000');
  });
});

describe('late-result sweeper', () => {
  it('raises one late_result alert per test without a result past its due time, once', async () => {
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();
    const overdue = sample(hoursAgo(13), gridB); // due an hour ago
    const notYet = sample(hoursAgo(1), gridB); // due in 11 h
    const riskOverdue = sample(hoursAgo(7), gridB, { riskGroup: true }); // due an hour ago
    const answered = sample(hoursAgo(13), gridB, { result: { resultedAt: hoursAgo(0.5), result: 'negative' } }); // late, but answered
    expect((await postTests(command, [overdue, notYet, riskOverdue, answered])).statusCode).toBe(200);
    const mine = (ids: number[]) => t.pool.query<{ source: string }>(
      `SELECT source_id::text AS source FROM alerts WHERE id = ANY ($1) AND source_id = ANY ($2::uuid[])`,
      [ids, [overdue, notYet, riskOverdue, answered].map((s) => s.id)],
    ).then((r) => r.rows.map((row) => row.source).sort());

    const first = await sweepLateResults(t.pool, now);
    expect(await mine(first)).toEqual([overdue.id, riskOverdue.id].sort());
    expect(await mine(await sweepLateResults(t.pool, now))).toEqual([]);
    // Exactly at the due time the result is still on time: no alert.
    const notYetDue = new Date(new Date(notYet.sampledAt).getTime() + 12 * 3600_000);
    expect(await mine(await sweepLateResults(t.pool, notYetDue))).toEqual([]);
    const later = await sweepLateResults(t.pool, new Date(notYetDue.getTime() + 1000));
    expect(await mine(later)).toEqual([notYet.id]);

    const ids: string[] = [overdue.id, notYet.id, riskOverdue.id];
    const alerts = (await alertsOf('late_result', gridB)).items.filter((a) => ids.includes(a.details.testId!));
    expect(alerts).toHaveLength(3);
    expect(alerts.find((a) => a.details.testId === notYet.id)!.details).toEqual({ testId: notYet.id, dueAt: notYetDue.toISOString() });
    const stillPending = json<NucleicTestList>(await t.app.inject({ url: `/api/nucleic-tests?area=${gridB}&status=late`, headers: { cookie: command } }));
    expect(stillPending.items.map((i) => i.id)).toEqual(expect.arrayContaining([overdue.id, riskOverdue.id]));
    expect(stillPending.items.map((i) => i.id)).not.toContain(notYet.id);
  });
});

describe('late-result sweeper on its timer', () => {
  it('sweeps every SWEEP_INTERVAL_SECONDS while the server runs, and stops when it closes', async () => {
    const overdue = sample(new Date(Date.now() - 13 * 3600_000).toISOString(), gridA);
    expect((await postTests(command, [overdue])).statusCode).toBe(200);
    const pool = createPool(testDatabaseUrl(), 2);
    const app = await buildApp({ pool, config: { ...loadConfig({}), logLevel: 'warn', sweepIntervalSeconds: 1 }, logger: false });
    await app.ready();
    const raised = async () => (await t.pool.query(`SELECT 1 FROM alerts WHERE kind = 'late_result' AND source_id = $1`, [overdue.id])).rowCount;
    try {
      const deadline = Date.now() + 10_000;
      while ((await raised()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await raised()).toBe(1);
    } finally {
      await app.close();
      await pool.end();
    }
  });
});

describe('throughput and concurrency', () => {
  it('stores 10,000 samples with results in one request, and concurrent identical result batches count once', async () => {
    const d = pastDay(11);
    const grids = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' ORDER BY md5(code) LIMIT 300`)).rows.map((r) => r.code);
    const samples = Array.from({ length: 10_000 }, (_, i) => {
      const minute = String(i % 60).padStart(2, '0');
      return sample(d.at(`08:${minute}:00`), grids[i % grids.length]!, {
        riskGroup: i % 7 === 0,
        ...(i % 2 === 0 ? { result: { resultedAt: d.at(`${String(10 + (i % 12)).padStart(2, '0')}:${minute}:00`), result: i % 100 === 0 ? 'positive' : 'negative' } } : {}),
      });
    });
    const started = performance.now();
    const response = await postTests(command, samples);
    const elapsed = performance.now() - started;
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    expect(json<NucleicTestsAccepted>(response)).toEqual({ accepted: 10_000, duplicates: 0, results: { accepted: 5000, duplicates: 0 } });
    expect(elapsed).toBeLessThan(30_000);

    const rest = samples.filter((_, i) => i % 2 === 1).map((s) => ({ testId: s.id, resultedAt: d.at('23:00:00'), result: 'negative' }));
    const [a, b] = await Promise.all([postResults(command, rest), postResults(command, rest)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const accepted = (a.json() as { accepted: number }).accepted + (b.json() as { accepted: number }).accepted;
    expect(accepted).toBe(rest.length);

    // inline results come 2 + (i mod 12) hours after sampling: all on time but a risk group's past 6 h
    const onTime = samples.filter((_, i) => i % 2 === 0 && (i % 7 !== 0 || 2 + (i % 12) <= 6)).length;
    expect(await testFigures('310000', d.day)).toEqual({
      sampled: 10_000,
      resulted: 10_000,
      positive: 100,
      onTime, // the results sent later, at 23:00, are all late
      rate: Math.round((onTime / 10_000) * 10_000) / 10_000,
    });
    expect(await consistency(d.day)).toMatchObject({ consistent: true, mismatches: [] });
  }, 120_000);
});
