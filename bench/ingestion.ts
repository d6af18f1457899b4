// Screening ingestion and live latency, measured in one run on a database of its own (ecc_bench,
// made from the demo on first use):
//  1. the HTTP batch API (idempotency and roll-ups on) against COPY of the same rows into the
//     same table (no roll-ups: the physical limit), as a ratio;
//  2. POST → socket latency: 200 socket.io clients watching the city while 1,000 records/s arrive.
// Usage: npx tsx bench/ingestion.ts [--records 200000] [--clients 200] [--rate 1000] [--seconds 20]
import { randomUUID } from 'node:crypto';
import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cityDay } from '../server/infra/city-time.ts';
import { run } from '../server/infra/local-postgres.ts';
import { connectLive, connected, loginCookie, startServerProcess, watch, type LiveSocket } from '../tests/helpers/live-client.ts';
import { replaceSection } from './report.ts';
import { benchDatabase } from './bench-database.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    clients: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    write: { type: 'boolean', default: true },
  },
});
const totalRecords = Number(values.records);
const clientCount = Number(values.clients);
const ratePerSecond = Number(values.rate);
const latencySeconds = Number(values.seconds);
const batchSize = 5000;

const benchUrl = await benchDatabase('ecc_bench');

const db = new pg.Client({ connectionString: benchUrl });
await db.connect();
const grids = (await db.query<{ code: string; path: string }>(`SELECT code, path::text AS path FROM areas WHERE level = 'grid'`)).rows;
const day = cityDay(new Date(), 'Asia/Shanghai');
const reset = async () => {
  await db.query('TRUNCATE screening_events, area_daily_counts');
  await db.query('SELECT ensure_screening_partition($1::date)', [day]);
  await db.query('VACUUM ANALYZE area_daily_counts');
};

function makeRecords(count: number) {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const grid = grids[(i * 7919) % grids.length]!;
    return {
      id: randomUUID(), at, grid: grid.code, path: grid.path,
      // Shares as at a real checkpoint (and as the simulator sends): 0.5 % fevers, 0.5 % red and
      // 2.5 % yellow codes. Each fever and red code raises an alert that goes to every client.
      temperature: i % 200 === 0 ? 38.1 : Math.round((36.2 + (i % 9) / 10) * 10) / 10,
      codeColour: i % 200 === 7 ? 'red' : i % 40 === 3 ? 'yellow' : 'green',
      outcome: i % 200 === 7 ? 'deny' : i % 200 === 0 ? 'refer' : 'pass',
      itineraryFlag: i % 97 === 0,
    };
  });
}

// 1a. The API, two concurrent clients posting batches of 5,000.
await reset();
const records = makeRecords(totalRecords);
const server = await startServerProcess({ DATABASE_URL: benchUrl });
const cookie = await loginCookie(server.url, 'command');
const batches: Array<typeof records> = [];
for (let i = 0; i < records.length; i += batchSize) batches.push(records.slice(i, i + batchSize));
let next = 0;
let apiStarted = performance.now();
await Promise.all(
  [0, 1].map(async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const body = JSON.stringify({ records: batches[i]!.map(({ path: _path, ...record }) => record) });
      const response = await fetch(`${server.url}/api/screenings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body });
      if (response.status !== 200) throw new Error(`batch ${i}: ${response.status} ${await response.text()}`);
    }
  }),
);
const apiSeconds = (performance.now() - apiStarted) / 1000;
const consistent = (await db.query(`SELECT count(*)::int AS n FROM area_daily_counts WHERE area_code = '310000' AND screened = $1`, [totalRecords])).rows[0].n === 1;

// 1b. COPY of the same rows into the same table, no roll-ups.
await reset();
const csvPath = path.join(tmpdir(), `ecc-bench-${process.pid}.csv`);
await writeFile(csvPath, records.map((r) => [r.id, day, r.at, r.grid, r.path, r.temperature, r.codeColour, r.outcome, r.itineraryFlag].join(',')).join('\n'));
const copyStarted = performance.now();
await run(['psql', benchUrl, '-v', 'ON_ERROR_STOP=1', '-c',
  `\\copy screening_events (id, day, at, grid_code, area_path, temperature, code_colour, outcome, itinerary_flag) FROM '${csvPath}' CSV`]);
const copySeconds = (performance.now() - copyStarted) / 1000;
await rm(csvPath);

const apiRate = totalRecords / apiSeconds;
const copyRate = totalRecords / copySeconds;
console.log(`API ${Math.round(apiRate)} rows/s, COPY ${Math.round(copyRate)} rows/s, ratio ${(apiRate / copyRate * 100).toFixed(1)} %, roll-up consistent: ${consistent}`);

// 2. Latency: clients watch the city; each batch's records are visible when the city's count reaches the running total.
await reset();
const sockets: LiveSocket[] = [];
const seen: Array<Array<{ at: number; screened: number }>> = [];
for (let i = 0; i < clientCount; i++) {
  const socket = connectLive(server.url, cookie);
  sockets.push(socket);
  const log: Array<{ at: number; screened: number }> = [];
  seen.push(log);
  socket.on('counts:updated', (update) => {
    if (update.area === '310000') log.push({ at: performance.now(), screened: update.counts.screened });
  });
}
await Promise.all(sockets.map(async (socket) => {
  await connected(socket);
  await watch(socket, { areas: ['310000'] });
}));
// Batches leave on schedule (every 100 ms) whether or not the previous one has been answered, so
// the offered rate is the one asked for. Each batch's records are visible once the city's count
// reaches the total of all batches sent up to it (batches may commit out of order, so this is the
// conservative reading).
const perTick = Math.max(1, Math.round(ratePerSecond / 10));
const sent: Array<{ at: number; total: number }> = [];
const inFlight: Array<Promise<void>> = [];
apiStarted = performance.now();
for (let tick = 0; tick < latencySeconds * 10; tick++) {
  const due = apiStarted + tick * 100;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  const body = JSON.stringify({ records: makeRecords(perTick).map(({ path: _path, ...record }) => record) });
  sent.push({ at: performance.now(), total: (tick + 1) * perTick });
  inFlight.push(
    fetch(`${server.url}/api/screenings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body }).then((response) => {
      if (response.status !== 200) throw new Error(`latency batch: ${response.status}`);
    }),
  );
}
await Promise.all(inFlight);
const offeredSeconds = (performance.now() - apiStarted) / 1000;
await new Promise((resolve) => setTimeout(resolve, 2000));
const latencies: number[] = [];
let missed = 0;
for (const log of seen) {
  for (const batch of sent) {
    const arrival = log.find((message) => message.screened >= batch.total);
    if (arrival) latencies.push(arrival.at - batch.at);
    else missed++;
  }
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const messages = seen.reduce((sum, log) => sum + log.length, 0) / clientCount;
const listenedSeconds = offeredSeconds + 2;
const offeredRate = (latencySeconds * 10 * perTick) / offeredSeconds;
console.log(`latency p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms; ${offeredRate.toFixed(0)} records/s offered; ${(messages / listenedSeconds).toFixed(2)} messages per client per second; missed ${missed}`);

sockets.forEach((socket) => socket.disconnect());
await server.stop();
await db.end();

if (values.write) {
  await replaceSection('ingestion', [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/ingestion.ts --records ${totalRecords} --clients ${clientCount} --rate ${ratePerSecond} --seconds ${latencySeconds}\` (demo city, one API process, PostgreSQL on the same 2-core machine).`,
    '',
    '| measure | result |',
    '|---|---|',
    `| HTTP batch API (5,000 per request, 2 concurrent clients, idempotency + roll-ups of 5 levels) | ${Math.round(apiRate).toLocaleString('en')} rows/s |`,
    `| COPY of the same rows into the same table (no roll-ups) | ${Math.round(copyRate).toLocaleString('en')} rows/s |`,
    `| API / COPY (target ≥ 25 %) | **${(apiRate / copyRate * 100).toFixed(1)} %** |`,
    `| roll-up equals the rows sent | ${consistent ? 'yes' : 'NO'} |`,
    `| POST → socket latency, ${clientCount} clients watching the city, ${offeredRate.toFixed(0)} records/s offered in batches of ${perTick} every 100 ms, p50 / p99 (target p99 < 600 ms) | **${pct(50).toFixed(0)} / ${pct(99).toFixed(0)} ms** (max ${pct(100).toFixed(0)}) |`,
    `| counts:updated messages per client per second (cap 4) | ${(messages / listenedSeconds).toFixed(2)} |`,
    `| (client, batch) pairs never seen | ${missed} |`,
  ].join('\n'));
}
