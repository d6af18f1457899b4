// The planner's week problem without a database: the seed's round (12 teams, each paired with two
// districts, Tue–Thu, 2–3 sites a day, every district covered) on 27 generated construction sites
// per Shanghai district (432 mostly optional jobs, 36 team-days). Measures the search speed
// (iterations per second at a fixed iteration budget) and what a fixed time buys (priority
// collected, travel).
//   npx tsx bench/routing/planner-week.ts [--iterations 400] [--time-limit 6] [--seeds 1,2,3]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bbox, booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { randomFor } from '../../data/demo-random.ts';
import { planRound, type PlannerInput, type PlannerSite, type PlannerTeam } from '../../server/routing/planner.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '400' },
    'time-limit': { type: 'string', default: '6' },
    seeds: { type: 'string', default: '1,2,3' },
  },
});

type District = Feature<Polygon | MultiPolygon, { code: string; name: string }>;
const districts = (
  JSON.parse(readFileSync(new URL('../../data/shanghai/districts.geojson', import.meta.url), 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    { code: string; name: string }
  >
).features as District[];
const codeOf = new Map(districts.map((d) => [d.properties.name, d.properties.code]));

// The pairs of routing-week.test.ts (the seed's table of groups).
const pairs: Array<[string, string]> = [
  ['闵行区', '浦东新区'], ['浦东新区', '闵行区'], ['长宁区', '松江区'], ['黄浦区', '崇明区'],
  ['杨浦区', '奉贤区'], ['静安区', '金山区'], ['虹口区', '青浦区'], ['普陀区', '宝山区'],
  ['徐汇区', '嘉定区'], ['浦东新区', '崇明区'], ['宝山区', '嘉定区'], ['松江区', '青浦区'],
];

function sitesOf(district: District): PlannerSite[] {
  const random = randomFor(`planner-week:${district.properties.code}`, 1);
  const [west, south, east, north] = bbox(district);
  const sites: PlannerSite[] = [];
  while (sites.length < 27) {
    const lon = west + random.next() * (east - west);
    const lat = south + random.next() * (north - south);
    if (!booleanPointInPolygon(point([lon, lat]), district)) continue;
    const split = random.next() < 0.3;
    const hours: Array<[string, string]> = split ? [['08:00', '11:30'], ['13:00', '17:00']] : [['07:00', '18:00']];
    sites.push({
      id: `${district.properties.code}-${sites.length + 1}`,
      position: { lon, lat },
      district: district.properties.code,
      priority: random.int(1, 5),
      serviceMinutes: 60,
      openingHours: { tue: hours, wed: hours, thu: hours },
    });
  }
  return sites;
}

const base = { lon: 121.457, lat: 31.193, district: '310104' };
const teams: PlannerTeam[] = pairs.map(([a, b], i) => ({
  id: `第${i + 1}组`,
  base,
  areas: [codeOf.get(a) as string, codeOf.get(b) as string],
  hours: { start: '08:30', end: '17:00' },
  lunch: { windowStart: '11:30', windowEnd: '13:00', minutes: 60, place: 'by-area' },
}));
const input: PlannerInput = {
  days: ['2026-03-10', '2026-03-11', '2026-03-12'],
  teams,
  sites: districts.flatMap(sitesOf),
  sitesPerTeamDay: { min: 2, max: 3 },
  maxTravelMinutesPerDay: 240,
  coverage: { districts: districts.map((d) => d.properties.code).sort() },
};

const seeds = values.seeds.split(',').map(Number);
const iterations = Number(values.iterations);
const timeLimitMs = Number(values['time-limit']) * 1000;
const load = loadavg()[0]?.toFixed(1);
console.log(`planner week: ${input.sites.length} sites, ${teams.length} teams × ${input.days.length} days; load ${load}`);
console.log('| seed | ms for ' + iterations + ' iterations | iterations/s | iterations in ' + values['time-limit'] + ' s | sites planned | priority collected | travel (h) |');
console.log('|---|---|---|---|---|---|---|');
for (const seed of seeds) {
  const fixed = await planRound(input, { seed, maxIterations: iterations, timeLimitMs: 600_000 });
  const timed = await planRound(input, { seed, timeLimitMs });
  console.log(
    `| ${seed} | ${fixed.summary.ms} | ${Math.round((1000 * fixed.summary.iterations) / fixed.summary.ms)} | ${timed.summary.iterations} | ${timed.summary.sitesPlanned} | ${timed.summary.priorityCollected} | ${(timed.summary.travelSeconds / 3600).toFixed(1)} |`,
  );
}
console.log(`load ${load} → ${loadavg()[0]?.toFixed(1)}`);
