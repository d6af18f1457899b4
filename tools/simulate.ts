// Feeds realistic traffic through the real API, for demos and load tests:
//   npm run simulate -- --rate 200 [--tests-rate 50] [--cases-per-minute 6] [--url http://localhost:8080]
//                       [--user command] [--seconds 60] [--seed 1]
// Checkpoint traffic peaks in the morning and evening (the rate is the daily average), sites are
// chosen at random, and temperatures, health codes and outcomes follow plausible shares.
// Nucleic-acid samples come with results after a log-normal turnaround (some late, a few positive);
// people are registered and put under quarantine or monitoring regimes that started on earlier days,
// so phases change, releases fall due and are given, and home cases report their temperature twice
// a day (a few checks are skipped: the server's sweeper turns them into missed-check alerts).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cityDay } from '../server/infra/city-time.ts';
import { residentIdCheckChar } from '../server/people/id-number.ts';
import { sessionCookie } from '../server/contracts/auth.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? '8080'}` },
    user: { type: 'string', default: 'command' },
    password: { type: 'string', default: process.env.DEMO_PASSWORD || 'demo-password' },
    seconds: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'tests-rate': { type: 'string' },
    'cases-per-minute': { type: 'string', default: '6' },
  },
});
const averageRate = Number(values.rate);
const seconds = Number(values.seconds);
const testsRate = values['tests-rate'] === undefined ? averageRate / 4 : Number(values['tests-rate']);
const casesPerMinute = Number(values['cases-per-minute']);
if (!Number.isFinite(averageRate) || averageRate <= 0 || averageRate > 50_000) {
  console.error('--rate must be a number of records per second between 1 and 50000');
  process.exit(2);
}
if (!Number.isFinite(testsRate) || testsRate < 0 || testsRate > 50_000) {
  console.error('--tests-rate must be a number of samples per second between 0 and 50000');
  process.exit(2);
}
if (!Number.isFinite(casesPerMinute) || casesPerMinute < 0 || casesPerMinute > 6000) {
  console.error('--cases-per-minute must be between 0 and 6000');
  process.exit(2);
}

// Deterministic for a seed (mulberry32), so two runs send comparable traffic.
let state = Number(values.seed) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal(mean: number, sd: number): number {
  return mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Share of the day's checkpoint traffic by hour (people going to work, school and home). */
const hourlyWeight = [0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.6, 3.0, 2.0, 1.3, 1.2, 1.4, 1.2, 1.1, 1.2, 1.5, 2.2, 2.4, 1.6, 1.1, 0.8, 0.5, 0.3];
const meanWeight = hourlyWeight.reduce((a, b) => a + b, 0) / 24;
function rateNow(): number {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: 'numeric', hour12: false }).format(new Date())) % 24;
  return (averageRate * hourlyWeight[hour]!) / meanWeight;
}

async function call<T>(path: string, init: RequestInit & { cookie?: string } = {}): Promise<{ status: number; body: T; cookie?: string }> {
  const response = await fetch(`${values.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
  });
  const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${sessionCookie}=`))?.split(';')[0];
  return { status: response.status, body: (await response.json()) as T, ...(setCookie ? { cookie: setCookie } : {}) };
}

const login = await call<{ message?: string }>('/api/auth/login', {
  method: 'POST',
  body: JSON.stringify({ username: values.user, password: values.password }),
}).catch((error: Error) => {
  console.error(`cannot reach ${values.url} (${error.cause instanceof Error ? error.cause.message : error.message}): is the product running? (npm start)`);
  process.exit(1);
});
if (login.status !== 200 || !login.cookie) {
  console.error(`cannot sign in as ${values.user} at ${values.url}: ${login.body.message ?? login.status}`);
  process.exit(1);
}
const cookie = login.cookie;

// Grids weighted by population, from the same API the map uses (streets → communities → grids
// would be thousands of calls; the site list gives grids where people actually go).
const sites: Array<{ id: number; grid: string; category: string }> = [];
for (let offset = 0; ; offset += 5000) {
  const page = await call<{ features: Array<{ id: number; properties: { gridCode: string | null; category: string } }>; total: number }>(
    `/api/sites?limit=5000&offset=${offset}`,
    { cookie },
  );
  for (const feature of page.body.features) {
    if (feature.properties.gridCode) sites.push({ id: feature.id, grid: feature.properties.gridCode, category: feature.properties.category });
  }
  if (offset + 5000 >= page.body.total) break;
}
const hotels = sites.filter((site) => site.category === 'quarantine_hotel');
if (sites.length === 0) {
  console.error('no sites in this jurisdiction: load the demo first (npm start)');
  process.exit(1);
}
console.log(`simulating ~${averageRate} screenings/s, ~${testsRate} samples/s, ${casesPerMinute} new cases/min (peaks ×${(Math.max(...hourlyWeight) / meanWeight).toFixed(1)}) at ${sites.length} sites via ${values.url}; Ctrl-C to stop`);

function screening(at: Date) {
  const site = sites[Math.floor(random() * sites.length)]!;
  const temperature = Math.round(Math.min(41, Math.max(35, random() < 0.004 ? normal(38, 0.5) : normal(36.5, 0.3))) * 10) / 10;
  const roll = random();
  const codeColour = roll < 0.005 ? 'red' : roll < 0.03 ? 'yellow' : 'green';
  const outcome = codeColour === 'red' ? (random() < 0.5 ? 'deny' : 'refer') : temperature >= 37.3 ? 'refer' : codeColour === 'yellow' && random() < 0.3 ? 'deny' : 'pass';
  const located = random() < 0.7 ? { siteId: site.id } : { grid: site.grid };
  return { id: randomUUID(), at: at.toISOString(), ...located, temperature, codeColour, outcome, itineraryFlag: random() < 0.01 };
}

// ---------------------------------------------------------------- nucleic-acid tests
interface PendingResult {
  testId: string;
  resultedAt: number;
  result: 'negative' | 'positive';
}
const pendingResults: PendingResult[] = [];
const hour = 3_600_000;

/** A sample taken up to 14 hours ago; its result now (inline), later (queued), or, rarely, never. */
function sample(now: number) {
  const site = sites[Math.floor(random() * sites.length)]!;
  const riskGroup = random() < 0.15;
  const sampledAt = now - random() * 14 * hour;
  // Median about 5 h (3 h for risk groups); one in twenty beyond the 12 h / 6 h deadline.
  const turnaround = Math.exp(normal(Math.log(riskGroup ? 3 : 5), 0.45)) * hour;
  const result = random() < 0.0005 ? 'positive' : 'negative';
  const id = randomUUID();
  const lost = random() < 0.003;
  const resultedAt = sampledAt + turnaround;
  const base = { id, sampledAt: new Date(sampledAt).toISOString(), siteId: site.id, riskGroup };
  if (lost) return base;
  if (resultedAt <= now) return { ...base, result: { resultedAt: new Date(resultedAt).toISOString(), result } };
  pendingResults.push({ testId: id, resultedAt, result });
  return base;
}

async function sendTests(count: number, now: number): Promise<number> {
  let accepted = 0;
  for (let offset = 0; offset < count; offset += 5000) {
    const tests = Array.from({ length: Math.min(5000, count - offset) }, () => sample(now));
    const reply = await call<{ accepted?: number; message?: string }>('/api/nucleic-tests', { method: 'POST', cookie, body: JSON.stringify({ tests }) });
    if (reply.status !== 200) throw new Error(`POST /api/nucleic-tests: ${reply.status} ${reply.body.message ?? ''}`);
    accepted += reply.body.accepted ?? 0;
  }
  pendingResults.sort((a, b) => a.resultedAt - b.resultedAt);
  const firstLater = pendingResults.findIndex((r) => r.resultedAt > now);
  const due = pendingResults.splice(0, firstLater === -1 ? pendingResults.length : firstLater);
  for (let offset = 0; offset < due.length; offset += 5000) {
    const results = due.slice(offset, offset + 5000).map((r) => ({ testId: r.testId, resultedAt: new Date(r.resultedAt).toISOString(), result: r.result }));
    const reply = await call<{ message?: string }>('/api/nucleic-tests/results', { method: 'POST', cookie, body: JSON.stringify({ results }) });
    if (reply.status !== 200) throw new Error(`POST /api/nucleic-tests/results: ${reply.status} ${reply.body.message ?? ''}`);
  }
  return accepted;
}

// ---------------------------------------------------------------- people and measures
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const givenChars = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛';
const pick = (text: string) => [...text][Math.floor(random() * [...text].length)]!;
const personName = () => pick(surnames) + pick(givenChars) + (random() < 0.6 ? pick(givenChars) : '');
function residentId(district: string): string {
  const birth = new Date(Date.UTC(1950 + Math.floor(random() * 60), Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
  const first17 = `${district}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
const phone = () => `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const cityInstant = (day: string, time: string) => new Date(`${day}T${time}+08:00`).getTime();

/** Category → regime, as a community worker would choose it (the policy suggests; they confirm). */
const regimeFor: Record<string, { code: string; phases: Array<{ kind: string; days: number }> }> = {
  close_contact: { code: '7+7', phases: [{ kind: 'centralised', days: 7 }, { kind: 'home_quarantine', days: 7 }] },
  overseas_arrival: { code: '7+7', phases: [{ kind: 'centralised', days: 7 }, { kind: 'home_quarantine', days: 7 }] },
  risk_area_arrival: { code: '14-home', phases: [{ kind: 'home_quarantine', days: 14 }] },
  secondary_contact: { code: '14-home', phases: [{ kind: 'home_quarantine', days: 14 }] },
  out_of_province_returnee: { code: '7-monitor', phases: [{ kind: 'home_monitoring', days: 7 }] },
  fever_clinic_referral: { code: '7-monitor', phases: [{ kind: 'home_monitoring', days: 7 }] },
};
const categories = Object.keys(regimeFor);

interface SimulatedCase {
  id: string;
  phases: Array<{ kind: string; days: number }>;
  phase: number;
  startDay: string;
  /** checks already sent, as "day slot" */
  checked: Set<string>;
}
const cases: SimulatedCase[] = [];
const helpers = () => ({
  streetCadre: { name: personName() }, communityWorker: { name: personName() }, gridWorker: { name: personName(), phone: phone() },
  medic: { name: personName() }, police: { name: personName() },
});

/** Registers a person and starts their case on an earlier day, then catches it up to today. */
async function newCase(now: number): Promise<void> {
  const site = sites[Math.floor(random() * sites.length)]!;
  const category = categories[Math.floor(random() * categories.length)]!;
  const regime = regimeFor[category]!;
  const total = regime.phases.reduce((sum, phase) => sum + phase.days, 0);
  const today = cityDay(new Date(now), 'Asia/Shanghai');
  const startDay = addDays(today, -Math.floor(random() * (total + 1)));
  const person = {
    id: randomUUID(), name: personName(), idNumber: residentId(site.grid.slice(0, 6)), phone: phone(),
    address: `${site.grid.slice(0, 6)} 某路${1 + Math.floor(random() * 999)}号`, grid: site.grid, category,
    arrivedOn: startDay, origin: category === 'overseas_arrival' ? '境外' : category === 'out_of_province_returnee' ? '外省' : undefined,
  };
  const registered = await call<{ message?: string }>('/api/people', { method: 'POST', cookie, body: JSON.stringify({ people: [person] }) });
  if (registered.status !== 200) throw new Error(`POST /api/people: ${registered.status} ${registered.body.message ?? ''}`);
  const centralisedFirst = regime.phases[0]!.kind === 'centralised';
  if (centralisedFirst && hotels.length === 0) return;
  const caseId = randomUUID();
  const started = await call<{ message?: string }>('/api/quarantine/cases', {
    method: 'POST',
    cookie,
    body: JSON.stringify({
      id: caseId, personId: person.id, regime: regime.code, startDay, responsible: helpers(),
      ...(centralisedFirst ? { placeSiteId: hotels[Math.floor(random() * hotels.length)]!.id } : {}),
    }),
  });
  if (started.status !== 200 && started.status !== 201) throw new Error(`POST /api/quarantine/cases: ${started.status} ${started.body.message ?? ''}`);
  cases.push({ id: caseId, phases: regime.phases, phase: 0, startDay, checked: new Set() });
}

/** Moves cases to their next phase and releases them when their day has come (mostly on time). */
async function advanceCases(now: number): Promise<void> {
  const today = cityDay(new Date(now), 'Asia/Shanghai');
  for (const c of [...cases]) {
    let phaseEnd = addDays(c.startDay, c.phases.slice(0, c.phase + 1).reduce((sum, phase) => sum + phase.days, 0));
    while (c.phase < c.phases.length - 1 && phaseEnd <= today && cityInstant(phaseEnd, '10:00:00') <= now) {
      await caseEvent(c, { type: 'next_phase', at: new Date(cityInstant(phaseEnd, '10:00:00')).toISOString() });
      c.phase += 1;
      phaseEnd = addDays(c.startDay, c.phases.slice(0, c.phase + 1).reduce((sum, phase) => sum + phase.days, 0));
    }
    // Released on its planned day from 09:00, a few per tick, so the day's releases trickle in.
    if (c.phase === c.phases.length - 1 && phaseEnd <= today && cityInstant(phaseEnd, '09:00:00') <= now && random() < 0.2) {
      await caseEvent(c, { type: 'release', releaseNoticeNo: `解隔-${today.replaceAll('-', '')}-${c.id.slice(0, 6)}` });
      cases.splice(cases.indexOf(c), 1);
    }
  }
}

async function caseEvent(c: SimulatedCase, event: Record<string, unknown>): Promise<void> {
  const reply = await call<{ message?: string }>(`/api/quarantine/cases/${c.id}/events`, {
    method: 'POST', cookie, body: JSON.stringify({ id: randomUUID(), ...event }),
  });
  if (reply.status !== 200 && reply.status !== 201) throw new Error(`POST case event ${String(event.type)}: ${reply.status} ${reply.body.message ?? ''}`);
}

/** Home cases report in the morning (08–11) and afternoon (14–18); about one check in thirty is skipped. */
async function temperatureChecks(now: number): Promise<void> {
  const today = cityDay(new Date(now), 'Asia/Shanghai');
  const hourNow = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: 'numeric', hour12: false }).format(new Date(now))) % 24;
  const slot = hourNow >= 8 && hourNow < 11 ? 'morning' : hourNow >= 14 && hourNow < 18 ? 'afternoon' : null;
  if (!slot) return;
  const checks = [];
  for (const c of cases) {
    const key = `${today} ${slot}`;
    if (c.phases[c.phase]!.kind === 'centralised' || c.checked.has(key) || random() > 0.005) continue;
    c.checked.add(key);
    if (random() < 1 / 30) continue;
    const temperature = Math.round(Math.min(40.5, random() < 0.01 ? normal(37.9, 0.4) : normal(36.5, 0.25)) * 10) / 10;
    checks.push({ id: randomUUID(), caseId: c.id, at: new Date(now).toISOString(), temperature });
  }
  if (checks.length === 0) return;
  const reply = await call<{ message?: string }>('/api/quarantine/temperature-checks', { method: 'POST', cookie, body: JSON.stringify({ checks }) });
  if (reply.status !== 200) throw new Error(`POST /api/quarantine/temperature-checks: ${reply.status} ${reply.body.message ?? ''}`);
}

let sent = 0;
let testsSent = 0;
let carriedTests = 0;
let carriedCases = 0;
let carried = 0;
const started = Date.now();
let stopping = false;
process.once('SIGINT', () => (stopping = true));
while (!stopping && (seconds === 0 || Date.now() - started < seconds * 1000)) {
  const tick = Date.now();
  carried += rateNow();
  const count = Math.floor(carried);
  carried -= count;
  for (let offset = 0; offset < count; offset += 5000) {
    const records = Array.from({ length: Math.min(5000, count - offset) }, () => screening(new Date()));
    const result = await call<{ accepted?: number; message?: string }>('/api/screenings', { method: 'POST', cookie, body: JSON.stringify({ records }) });
    if (result.status !== 200) {
      console.error(`POST /api/screenings: ${result.status} ${result.body.message ?? ''}`);
      process.exit(1);
    }
    sent += result.body.accepted ?? 0;
  }
  try {
    carriedTests += testsRate;
    const tests = Math.floor(carriedTests);
    carriedTests -= tests;
    testsSent += await sendTests(tests, Date.now());
    carriedCases += casesPerMinute / 60;
    for (; carriedCases >= 1; carriedCases -= 1) await newCase(Date.now());
    await advanceCases(Date.now());
    await temperatureChecks(Date.now());
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (Math.floor((Date.now() - started) / 10_000) !== Math.floor((tick - started) / 10_000)) {
    console.log(`${cityDay(new Date(), 'Asia/Shanghai')} ${new Date().toISOString().slice(11, 19)}Z: ${sent} screenings, ${testsSent} samples, ${cases.length} open cases`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tick))));
}
console.log(`${sent} screenings, ${testsSent} samples and ${cases.length} open cases sent in ${((Date.now() - started) / 1000).toFixed(0)} s`);
