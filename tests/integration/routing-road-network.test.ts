// pgRouting travel times on a small generated street grid, inside a transaction that is rolled back
// (the file's database keeps an empty road network for its other tests).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPool, type Pool, type PoolClient } from '../../server/infra/db.ts';
import { planRound } from '../../server/routing/planner.ts';
import { roadCostMatrix, roadNetworkStatus, RoadNetworkError } from '../../server/routing/road-network.repository.ts';
import { buildTravelMatrix } from '../../server/routing/travel-matrix.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

let pool: Pool;
let db: PoolClient;

// 3 × 3 junctions 0.01° apart (about 1 km), numbered row by row:
//   1 ─slow─ 2 ──── 3        every street 60 s both ways, except
//   │        │      │        1–2: a slow street, 600 s both ways
//   4 ────── 5 ───▶ 6        5→6: one-way (60 s), no way back
//   │        │      │
//   7 ────── 8 ──── 9
const lon = (col: number): number => 121.0 + col * 0.01;
const lat = (row: number): number => 31.0 - row * 0.01;
const junction = (id: number) => ({ lon: lon((id - 1) % 3), lat: lat(Math.floor((id - 1) / 3)) });
const streets: Array<[number, number, number, number]> = [
  [1, 2, 600, 600],
  [2, 3, 60, 60],
  [4, 5, 60, 60],
  [5, 6, 60, -1],
  [7, 8, 60, 60],
  [8, 9, 60, 60],
  [1, 4, 60, 60],
  [4, 7, 60, 60],
  [2, 5, 60, 60],
  [5, 8, 60, 60],
  [3, 6, 60, 60],
  [6, 9, 60, 60],
];

async function loadGrid(): Promise<void> {
  await db.query(
    `INSERT INTO road_edges (id, source, target, cost, reverse_cost, geom)
     SELECT e.id, e.source, e.target, e.cost, e.reverse_cost,
            ST_SetSRID(ST_MakeLine(ST_MakePoint(e.x1, e.y1), ST_MakePoint(e.x2, e.y2)), 4326)
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])
            AS e(id, source, target, cost, reverse_cost, x1, y1, x2, y2)`,
    [
      streets.map((_, i) => i + 1),
      streets.map((s) => s[0]),
      streets.map((s) => s[1]),
      streets.map((s) => s[2]),
      streets.map((s) => s[3]),
      streets.map((s) => junction(s[0]).lon),
      streets.map((s) => junction(s[0]).lat),
      streets.map((s) => junction(s[1]).lon),
      streets.map((s) => junction(s[1]).lat),
    ],
  );
}

beforeAll(() => {
  pool = createPool(testDatabaseUrl(), 2);
});
afterAll(() => pool.end());
beforeEach(async () => {
  db = await pool.connect();
  await db.query('BEGIN');
});
afterEach(async () => {
  await db.query('ROLLBACK');
  db.release();
});

describe('road-network travel times (pgRouting)', () => {
  it('gives shortest-path seconds around a slow street and along a one-way street', async () => {
    await loadGrid();
    // Four places on junctions 1, 3, 6, 5 and one 0.0001° north of junction 9 (an access leg).
    const offset = { lon: junction(9).lon, lat: junction(9).lat + 0.0001 };
    const places = [junction(1), junction(3), junction(6), junction(5), offset];
    const m = await roadCostMatrix(db, places);
    // ST_DistanceSphere (radius 6 370 986 m) of 0.0001°, driven at the default 5 m/s access speed.
    const access = (6_370_986 * 0.0001 * Math.PI) / 180 / 5;
    const at = (i: number, j: number): number => Number(m.durations[i * 5 + j]);
    const rows = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => at(i, j)));
    const a = (road: number): number => Math.round(road + access);
    expect(rows).toEqual([
      // to:  1      3      6      5      ~9
      [0, 240, 180, 120, a(240)], // from 1: around the slow street 1–2 (1-4-5-2-3 = 240, not 660)
      [240, 0, 60, 120, a(120)], // from 3
      [300, 60, 0, 180, a(60)], // from 6: 6→5 is against the one-way street (6-3-2-5 = 180)
      [120, 120, 60, 0, a(120)], // from 5: 5→6 along it, 60
      [a(240), a(120), a(60), a(120), 0], // from ~9
    ]);
  });

  it('is chosen automatically when edges are loaded, and the planner plans on it', async () => {
    const empty = await buildTravelMatrix(db, [{ ...junction(1), areaType: 'suburban' }, { ...junction(3), areaType: 'suburban' }]);
    expect(empty.source).toBe('great-circle');
    await loadGrid();
    expect(await roadNetworkStatus(db)).toEqual({ pgrouting: true, hasEdges: true });
    const loaded = await buildTravelMatrix(db, [{ ...junction(1), areaType: 'suburban' }, { ...junction(3), areaType: 'suburban' }]);
    expect(loaded.source).toBe('road-network');
    expect(Array.from(loaded.matrix.durations)).toEqual([0, 240, 240, 0]);

    // A team based at junction 1 visits the sites at junctions 3 and 6: 1→3 (240) 3→6 (60) 6→1 (300),
    // or 1→6 (180) 6→3 (60) 3→1 (240): the second is shorter, one way round the block.
    const plan = await planRound(
      {
        days: ['2026-03-10'],
        teams: [{ id: 't1', base: { ...junction(1), district: '310112' }, areas: ['310112'], hours: { start: '08:00', end: '17:00' } }],
        sites: [
          { id: 's3', position: junction(3), district: '310112', priority: 1, serviceMinutes: 30 },
          { id: 's6', position: junction(6), district: '310112', priority: 1, serviceMinutes: 30 },
        ],
        sitesPerTeamDay: { min: 0, max: 2 },
      },
      { seed: 1, maxIterations: 500, travelMatrix: async (points) => (await buildTravelMatrix(db, points)).matrix },
    );
    const day = plan.days[0]?.teams[0];
    expect(day?.stops.map((s) => [s.siteId, s.travelSecondsFromPrevious])).toEqual([
      ['s6', 180],
      ['s3', 60],
    ]);
    expect(day?.travelSeconds).toBe(480);
    expect(day?.travelSecondsToBase).toBe(240);
  });

  it('says clearly when the road network cannot be used', async () => {
    await expect(roadCostMatrix(db, [junction(1)])).rejects.toMatchObject({ code: 'road_network_empty' });
    await loadGrid();
    // A junction on an island of its own: no way there.
    await db.query(
      `INSERT INTO road_edges (id, source, target, cost, reverse_cost, geom)
       VALUES (100, 100, 101, 60, 60, ST_SetSRID(ST_MakeLine(ST_MakePoint(122, 32), ST_MakePoint(122.01, 32)), 4326))`,
    );
    await expect(roadCostMatrix(db, [junction(1), { lon: 122, lat: 32 }])).rejects.toMatchObject({ code: 'road_network_disconnected' });
    // A database without pgRouting (dropped inside this transaction only).
    await db.query('DROP EXTENSION pgrouting');
    const error = await roadCostMatrix(db, [junction(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoadNetworkError);
    expect(error).toMatchObject({ code: 'pgrouting_missing', message: expect.stringContaining('postgresql-15-pgrouting') });
    // The great-circle model does not need it.
    const fallback = await buildTravelMatrix(db, [{ ...junction(1), areaType: 'central' }, { ...junction(3), areaType: 'central' }], { source: 'great-circle' });
    expect(fallback.matrix.durations[1]).toBeGreaterThan(0);
  });
});
