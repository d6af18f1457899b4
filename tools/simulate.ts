// Feeds realistic screening traffic through the real API, for demos and load tests:
//   npm run simulate -- --rate 200 [--url http://localhost:8080] [--user command] [--seconds 60]
// Checkpoint traffic peaks in the morning and evening (the rate is the daily average), grids are
// chosen by population, and temperatures, health codes and outcomes follow plausible shares.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cityDay } from '../server/infra/city-time.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? '8080'}` },
    user: { type: 'string', default: 'command' },
    password: { type: 'string', default: process.env.DEMO_PASSWORD || 'demo-password' },
    seconds: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
});
const averageRate = Number(values.rate);
const seconds = Number(values.seconds);
if (!Number.isFinite(averageRate) || averageRate <= 0 || averageRate > 50_000) {
  console.error('--rate must be a number of records per second between 1 and 50000');
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
  const setCookie = response.headers.get('set-cookie')?.split(';')[0];
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
const sites: Array<{ id: number; grid: string }> = [];
for (let offset = 0; ; offset += 5000) {
  const page = await call<{ features: Array<{ id: number; properties: { gridCode: string | null } }>; total: number }>(
    `/api/sites?limit=5000&offset=${offset}`,
    { cookie },
  );
  for (const feature of page.body.features) if (feature.properties.gridCode) sites.push({ id: feature.id, grid: feature.properties.gridCode });
  if (offset + 5000 >= page.body.total) break;
}
if (sites.length === 0) {
  console.error('no sites in this jurisdiction: load the demo first (npm start)');
  process.exit(1);
}
console.log(`simulating ~${averageRate} screenings/s (peaks ×${(Math.max(...hourlyWeight) / meanWeight).toFixed(1)}) at ${sites.length} sites via ${values.url}; Ctrl-C to stop`);

function screening(at: Date) {
  const site = sites[Math.floor(random() * sites.length)]!;
  const temperature = Math.round(Math.min(41, Math.max(35, random() < 0.004 ? normal(38, 0.5) : normal(36.5, 0.3))) * 10) / 10;
  const roll = random();
  const codeColour = roll < 0.005 ? 'red' : roll < 0.03 ? 'yellow' : 'green';
  const outcome = codeColour === 'red' ? (random() < 0.5 ? 'deny' : 'refer') : temperature >= 37.3 ? 'refer' : codeColour === 'yellow' && random() < 0.3 ? 'deny' : 'pass';
  const located = random() < 0.7 ? { siteId: site.id } : { grid: site.grid };
  return { id: randomUUID(), at: at.toISOString(), ...located, temperature, codeColour, outcome, itineraryFlag: random() < 0.01 };
}

let sent = 0;
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
  if (Math.floor((Date.now() - started) / 10_000) !== Math.floor((tick - started) / 10_000)) {
    console.log(`${cityDay(new Date(), 'Asia/Shanghai')} ${new Date().toISOString().slice(11, 19)}Z: ${sent} records sent`);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tick))));
}
console.log(`${sent} records sent in ${((Date.now() - started) / 1000).toFixed(0)} s`);
