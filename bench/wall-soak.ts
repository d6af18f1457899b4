// Wall display soak: /wall in a real browser (Debian Chromium, WebGL on SwiftShader) for N minutes
// under live traffic, on a database of its own (ecc_bench_wall, made from the demo on first use).
//  - the product runs as its own process (sweeper on); tools/simulate.ts posts screenings, nucleic
//    tests and quarantine cases through the API; the wall is signed in as `wall` at 1920×1080 with
//    ?rotate=N, so it drills through every district in turn;
//  - every --interval seconds, after a forced garbage collection, CDP Performance.getMetrics gives
//    the JS heap, DOM nodes, event listeners and layouts of the page, and /proc gives the resident
//    memory of the renderer and GPU processes (workers live in the renderer, WebGL buffers on
//    SwiftShader in the GPU process);
//  - in the middle the server is killed (SIGKILL) for --outage seconds and started again on the same
//    port and database: the wall must show "disconnected", then "live" by itself, and its screened
//    figure must catch up with GET /api/stats/310000 (traffic resumes as soon as the server is back,
//    so records arrive while the wall is still reconnecting); at the end, with traffic stopped, the
//    figure on screen must equal the API's exactly, and the page must never have reloaded.
// Usage: npm run bench:wall-soak [-- --minutes 20] [--warmup 5] [--interval 30] [--outage 20]
//        [--rotate 30] [--rate 100] [--tests-rate 20] [--cases-per-minute 30] [--no-gc] [--no-snapshots] [--no-write]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { ensureClientBuilt, projectRoot } from '../server/infra/client-build.ts';
import { launchChromium } from '../tests/helpers/chromium.ts';
import { loginCookie, startServerProcess, type ServerProcess } from '../tests/helpers/live-client.ts';
import { replaceSection } from './report.ts';
import { benchDatabase } from './bench-database.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    warmup: { type: 'string' },
    interval: { type: 'string', default: '30' },
    outage: { type: 'string', default: '20' },
    rotate: { type: 'string', default: '30' },
    rate: { type: 'string', default: '100' },
    'tests-rate': { type: 'string', default: '20' },
    'cases-per-minute': { type: 'string', default: '30' },
    'no-gc': { type: 'boolean', default: false },
    'no-snapshots': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
// Default warm-up: one rotation through the city and every district (decided once the areas are known).
let warmupMinutes = values.warmup === undefined ? NaN : Number(values.warmup);
const intervalSeconds = Number(values.interval);
const outageSeconds = Number(values.outage);
const forceGc = !values['no-gc'];
if (!(intervalSeconds >= 5)) throw new Error('--interval must be at least 5 s');
const simulatorArgs = ['--rate', values.rate!, '--tests-rate', values['tests-rate']!, '--cases-per-minute', values['cases-per-minute']!];
let command = `npm run bench:wall-soak -- --minutes ${minutes} --interval ${intervalSeconds} --outage ${outageSeconds} --rotate ${values.rotate} ${simulatorArgs.join(' ')}${forceGc ? '' : ' --no-gc'}${values['no-snapshots'] ? ' --no-snapshots' : ''}`;

// Pass rule (after warm-up): the page's own objects in the heap (heap snapshots at the end of warm-up
// and at the end, V8's compiled code and internals set apart) grow by less than 1 MB an hour; the
// whole collected JS heap (getMetrics, least squares) by less than 10 MB an hour (it includes the code
// V8 keeps compiling, which a 20-minute run does not see settle); the DOM nodes and event listeners
// never exceed the warm-up's maximum by more than 10 %.
const maxPageSlopeMbPerHour = 1;
const maxHeapSlopeMbPerHour = 10;
const boundedFactor = 1.1;

const artifacts = path.join(projectRoot, 'artifacts', 'bench');
mkdirSync(artifacts, { recursive: true });
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => bytes / 1024 / 1024;

// ---------------------------------------------------------------- database, client, server
const databaseUrl = await benchDatabase('ecc_bench_wall', log);
await ensureClientBuilt({ log });

const serverEnv = { DATABASE_URL: databaseUrl, SWEEP_INTERVAL_SECONDS: '60' };
let server: ServerProcess = await startServerProcess({ ...serverEnv, PORT: '0' });
const baseUrl = server.url;
const port = new URL(baseUrl).port;
log(`server ${baseUrl} (pid ${server.child.pid}) on ecc_bench_wall`);
// Whatever happens, leave no server or simulator behind (Playwright closes its own browser).
process.on('exit', () => {
  server.child.kill('SIGKILL');
  simulator?.kill('SIGKILL');
});
const commandCookie = await loginCookie(baseUrl, 'command');
if (Number.isNaN(warmupMinutes)) {
  const districts = await fetch(`${baseUrl}/api/areas/310000/children`, { headers: { cookie: commandCookie } });
  const count = ((await districts.json()) as { features: unknown[] }).features.length;
  warmupMinutes = Number(values.rotate) > 0 ? ((count + 1) * Math.max(10, Number(values.rotate))) / 60 : 5;
  log(`warm-up: one rotation, ${count + 1} views × ${values.rotate} s = ${warmupMinutes.toFixed(1)} min`);
} else command += ` --warmup ${warmupMinutes}`;
if (!(minutes > warmupMinutes + 2)) throw new Error(`--minutes must exceed the warm-up (${warmupMinutes.toFixed(1)} min) by at least 2`);
const apiScreened = async (): Promise<number> => {
  const response = await fetch(`${baseUrl}/api/stats/310000`, { headers: { cookie: commandCookie } });
  if (response.status !== 200) throw new Error(`GET /api/stats/310000: ${response.status}`);
  return ((await response.json()) as { counts: { screened: number } }).counts.screened;
};

// ---------------------------------------------------------------- simulator
// The simulator stops at the first failed request, so it is stopped before the server is killed and
// started again (new seed: new people, no 409 on an ID number already registered) when it is back.
// If it stops by itself otherwise, it is restarted and counted.
const simulatorLog = createWriteStream(path.join(artifacts, 'wall-soak-simulator.log'));
let simulator: ChildProcess | null = null;
let simulatorWanted = false;
let simulatorRestarts = 0;
let seed = Date.now() % 1_000_000_000;
function startSimulator(): void {
  simulatorWanted = true;
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/simulate.ts', '--url', baseUrl, ...simulatorArgs, '--seed', String(++seed)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(simulatorLog, { end: false });
  child.stderr!.pipe(simulatorLog, { end: false });
  child.once('exit', (code, signal) => {
    if (simulator === child) simulator = null;
    if (!simulatorWanted) return;
    simulatorRestarts += 1;
    log(`simulator stopped by itself (${code ?? signal}); restarting`);
    setTimeout(() => simulatorWanted && !simulator && startSimulator(), 2000);
  });
  simulator = child;
}
async function stopSimulator(): Promise<void> {
  simulatorWanted = false;
  const child = simulator;
  simulator = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- browser
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
const page: Page = await context.newPage();
const pageErrors: string[] = [];
let consoleErrors = 0;
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('console', (message) => {
  if (message.type() === 'error') consoleErrors += 1;
});
let countFrames = 0;
let alertFrames = 0;
page.on('websocket', (socket) =>
  socket.on('framereceived', ({ payload }) => {
    const text = String(payload);
    if (text.includes('"counts:updated"')) countFrames += 1;
    else if (text.includes('"alert:raised"')) alertFrames += 1;
  }),
);

const status = async () => page.getByTestId('wall-status').getAttribute('data-status');
const screenedOnScreen = async () => Number((await page.getByTestId('kpi-screened-value').getAttribute('data-value')) || NaN);
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return performance.now();
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

startSimulator();
log(`simulator: ${simulatorArgs.join(' ')}`);
await page.goto(`${baseUrl}/wall?rotate=${values.rotate}`);
await page.getByTestId('wall-login').waitFor({ timeout: 120_000 });
await page.fill('input[name="username"]', 'wall');
await page.fill('input[name="password"]', 'demo-password');
await page.click('button[type="submit"]');
await page.getByTestId('wall').waitFor({ timeout: 120_000 });
await waitUntil(async () => (await status()) === 'live', 120_000, 'the wall to be live');
await page.waitForSelector('[data-testid="wall-map"][data-idle="true"]', { timeout: 300_000 });
await page.evaluate(() => {
  (window as unknown as { __noReload: boolean }).__noReload = true;
});
log('wall is live and its map idle; sampling');

const cdp: CDPSession = await context.newCDPSession(page);
await cdp.send('Performance.enable');
const browserCdp = await browser.newBrowserCDPSession();

async function rssByType(): Promise<Record<string, number>> {
  const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as unknown as { processInfo: Array<{ type: string; id: number }> };
  const sums: Record<string, number> = {};
  for (const { type, id } of processInfo) {
    const text = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? 0);
    sums[type] = (sums[type] ?? 0) + kb * 1024;
  }
  return sums;
}

interface Sample {
  t: number;
  phase: 'warm-up' | 'soak';
  server: 'up' | 'down';
  heapUsed: number;
  heapTotal: number;
  nodes: number;
  listeners: number;
  layouts: number;
  documents: number;
  rendererRss: number;
  gpuRss: number;
  status: string | null;
  screened: number;
  countFrames: number;
  alertFrames: number;
}
const samples: Sample[] = [];
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
let serverUp = true;

async function sample(): Promise<Sample> {
  if (forceGc) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const rss = await rssByType();
  const t = elapsed();
  const row: Sample = {
    t,
    phase: t < warmupMinutes * 60 ? 'warm-up' : 'soak',
    server: serverUp ? 'up' : 'down',
    heapUsed: metric('JSHeapUsedSize'),
    heapTotal: metric('JSHeapTotalSize'),
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    layouts: metric('LayoutCount'),
    documents: metric('Documents'),
    rendererRss: rss.renderer ?? NaN,
    gpuRss: rss.GPU ?? rss.gpu ?? NaN,
    status: await status(),
    screened: await screenedOnScreen(),
    countFrames,
    alertFrames,
  };
  samples.push(row);
  log(
    `t=${(t / 60).toFixed(1)} min ${row.phase} heap ${mb(row.heapUsed).toFixed(2)} MB, nodes ${row.nodes}, listeners ${row.listeners}, ` +
      `renderer ${mb(row.rendererRss).toFixed(0)} MB, GPU ${mb(row.gpuRss).toFixed(0)} MB, ${row.status}, screened ${row.screened}, frames ${countFrames}/${alertFrames}`,
  );
  return row;
}

interface HeapSplit {
  t: number;
  /** V8's own: compiled code, bytecode, feedback, hidden classes ("system / ..." and code nodes). */
  v8: number;
  /** Everything the page holds: JS objects, arrays, strings, closures, DOM and Blink objects. */
  page: number;
}
/**
 * A heap snapshot of the page into artifacts/bench (open two in DevTools → Memory → Comparison),
 * split by what holds the bytes. The JS heap figure of getMetrics also counts the code V8 keeps
 * compiling and re-tiering for hours; the page's own objects are what a leak in the wall would grow.
 */
async function heapSnapshot(name: string): Promise<HeapSplit> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const t = elapsed();
  const text = chunks.join('');
  await writeFile(path.join(artifacts, `wall-soak-${name}.heapsnapshot`), text);
  const snapshot = JSON.parse(text) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const split: HeapSplit = { t, v8: 0, page: 0 };
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const size = snapshot.nodes[i + sizeAt]!;
    if (types[snapshot.nodes[i + typeAt]!] === 'code' || snapshot.strings[snapshot.nodes[i + nameAt]!]!.startsWith('system /')) split.v8 += size;
    else split.page += size;
  }
  log(`heap snapshot ${name}: page objects ${mb(split.page).toFixed(2)} MB, V8 code and internals ${mb(split.v8).toFixed(2)} MB`);
  return split;
}
const snapshots: HeapSplit[] = [];

// ---------------------------------------------------------------- outage in the middle
interface Outage {
  offlineAfter: number;
  downFor: number;
  liveAfterRestart: number;
  caughtUpAfterLive: number;
  apiAtLive: number;
}
async function outage(): Promise<Outage> {
  await stopSimulator();
  log(`killing the server (pid ${server.child.pid}, SIGKILL) for ${outageSeconds} s`);
  const killedAt = performance.now();
  serverUp = false;
  await server.stop('SIGKILL');
  const offlineAt = await waitUntil(async () => (await status()) === 'offline', 60_000, 'the wall to show it is disconnected');
  log(`wall shows "disconnected" ${((offlineAt - killedAt) / 1000).toFixed(2)} s after the kill`);
  await sleep(Math.max(0, killedAt + outageSeconds * 1000 - performance.now()));
  const restartingAt = performance.now();
  server = await startServerProcess({ ...serverEnv, PORT: port });
  serverUp = true;
  const restartedAt = performance.now();
  log(`server back on ${server.url} (pid ${server.child.pid}) after ${((restartedAt - killedAt) / 1000).toFixed(1)} s (start took ${((restartedAt - restartingAt) / 1000).toFixed(1)} s)`);
  startSimulator();
  const liveAt = await waitUntil(async () => (await status()) === 'live', 180_000, 'the wall to be live again');
  const apiAtLive = await apiScreened();
  const caughtUpAt = await waitUntil(async () => (await screenedOnScreen()) >= apiAtLive, 60_000, 'the wall to catch up');
  log(`wall live ${((liveAt - restartedAt) / 1000).toFixed(1)} s after the restart; screened ≥ API's ${apiAtLive} ${((caughtUpAt - liveAt) / 1000).toFixed(1)} s later`);
  return {
    offlineAfter: (offlineAt - killedAt) / 1000,
    downFor: (restartedAt - killedAt) / 1000,
    liveAfterRestart: (liveAt - restartedAt) / 1000,
    caughtUpAfterLive: (caughtUpAt - liveAt) / 1000,
    apiAtLive,
  };
}

const outageAt = Math.max(warmupMinutes * 60 + intervalSeconds, (minutes * 60) / 2);
let outagePromise: Promise<Outage> | null = null;
for (let tick = 0; tick * intervalSeconds <= minutes * 60; tick += 1) {
  await sleep(Math.max(0, started + tick * intervalSeconds * 1000 - performance.now()));
  const row = await sample();
  if (!values['no-snapshots'] && row.phase === 'soak' && snapshots.length === 0) snapshots.push(await heapSnapshot('after-warm-up'));
  if (!outagePromise && elapsed() >= outageAt) {
    outagePromise = outage();
    outagePromise.catch(() => undefined); // awaited below; sampling goes on meanwhile
  }
}
const outageResult = await outagePromise!;
if (!values['no-snapshots']) snapshots.push(await heapSnapshot('end'));

// ---------------------------------------------------------------- final consistency
await stopSimulator();
let finalApi = await apiScreened();
let finalWall = NaN;
const settleDeadline = performance.now() + 30_000;
for (;;) {
  await sleep(500);
  finalApi = await apiScreened();
  finalWall = await screenedOnScreen();
  if (finalWall === finalApi || performance.now() > settleDeadline) break;
}
const noReload = await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
await page.screenshot({ path: path.join(artifacts, 'wall-soak.png') });
await browser.close();
await server.stop();
simulatorLog.end();
await writeFile(path.join(artifacts, 'wall-soak.json'), JSON.stringify({ command, outage: outageResult, snapshots, samples }, null, 2));

// ---------------------------------------------------------------- analysis
/** Least-squares slope of y over t (seconds), per hour. */
function slopePerHour(points: Array<[number, number]>): number {
  const n = points.length;
  const mt = points.reduce((s, [t]) => s + t, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0);
  const den = points.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return (num / den) * 3600;
}
const warm = samples.filter((s) => s.phase === 'warm-up');
const soak = samples.filter((s) => s.phase === 'soak');
const first = soak[0]!;
const last = soak[soak.length - 1]!;
const describe = (pick: (s: Sample) => number, unit: (v: number) => number, digits: number) => {
  const fmt = (v: number) => unit(v).toFixed(digits);
  return {
    start: fmt(pick(first)),
    end: fmt(pick(last)),
    max: fmt(Math.max(...soak.map(pick))),
    slope: unit(slopePerHour(soak.map((s) => [s.t, pick(s)]))),
    fmtSlope: (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`,
  };
};
const heap = describe((s) => s.heapUsed, mb, 2);
const nodes = describe((s) => s.nodes, (v) => v, 0);
const listeners = describe((s) => s.listeners, (v) => v, 0);
const renderer = describe((s) => s.rendererRss, mb, 0);
const gpu = describe((s) => s.gpuRss, mb, 0);
const warmNodesMax = Math.max(...warm.map((s) => s.nodes));
const warmListenersMax = Math.max(...warm.map((s) => s.listeners));
const nodesBounded = Math.max(...soak.map((s) => s.nodes)) <= warmNodesMax * boundedFactor;
const listenersBounded = Math.max(...soak.map((s) => s.listeners)) <= warmListenersMax * boundedFactor;
const heapFlat = heap.slope < maxHeapSlopeMbPerHour;
const [snapStart, snapEnd] = snapshots;
const perHour = (from: HeapSplit, to: HeapSplit, pick: (s: HeapSplit) => number) => (mb(pick(to) - pick(from)) * 3600) / (to.t - from.t);
const pageSlope = snapStart && snapEnd ? perHour(snapStart, snapEnd, (s) => s.page) : NaN;
const v8Slope = snapStart && snapEnd ? perHour(snapStart, snapEnd, (s) => s.v8) : NaN;
const pageFlat = Number.isNaN(pageSlope) || pageSlope < maxPageSlopeMbPerHour;
const reconnected = outageResult.liveAfterRestart >= 0;
const consistent = finalWall === finalApi;
const passed = heapFlat && pageFlat && nodesBounded && listenersBounded && reconnected && consistent && noReload && pageErrors.length === 0;
const soakMinutes = (last.t - first.t) / 60;
const frameRate = (last.countFrames - first.countFrames) / (last.t - first.t);
const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;

const verdict = (ok: boolean) => (ok ? 'pass' : '**FAIL**');
const lines = [
  `| JS heap after GC (MB, getMetrics) | ${heap.start} | ${heap.end} | ${heap.max} | ${heap.fmtSlope(heap.slope)} | < ${maxHeapSlopeMbPerHour} MB/h: ${verdict(heapFlat)} |`,
  ...(snapStart && snapEnd
    ? [
        `| heap snapshot: the page's objects (MB; JS objects, strings, closures, DOM) | ${mb(snapStart.page).toFixed(2)} | ${mb(snapEnd.page).toFixed(2)} | — | ${heap.fmtSlope(pageSlope)} | < ${maxPageSlopeMbPerHour} MB/h: ${verdict(pageFlat)} |`,
        `| heap snapshot: V8 compiled code and internals (MB) | ${mb(snapStart.v8).toFixed(2)} | ${mb(snapEnd.v8).toFixed(2)} | — | ${heap.fmtSlope(v8Slope)} | (reported) |`,
      ]
    : []),
  `| DOM nodes | ${nodes.start} | ${nodes.end} | ${nodes.max} | ${nodes.fmtSlope(nodes.slope)} | ≤ ${Math.floor(warmNodesMax * boundedFactor)} (warm-up max + 10 %): ${verdict(nodesBounded)} |`,
  `| JS event listeners | ${listeners.start} | ${listeners.end} | ${listeners.max} | ${listeners.fmtSlope(listeners.slope)} | ≤ ${Math.floor(warmListenersMax * boundedFactor)}: ${verdict(listenersBounded)} |`,
  `| renderer RSS (MB, page + map workers) | ${renderer.start} | ${renderer.end} | ${renderer.max} | ${renderer.fmtSlope(renderer.slope)} | (reported) |`,
  `| GPU process RSS (MB, SwiftShader WebGL) | ${gpu.start} | ${gpu.end} | ${gpu.max} | ${gpu.fmtSlope(gpu.slope)} | (reported) |`,
];
const report = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${command}\`: /wall signed in as \`wall\` at 1920×1080 with \`?rotate=${values.rotate}\`, Debian Chromium ${browser.version()} with WebGL on SwiftShader (no GPU), the product as its own process on \`ecc_bench_wall\` (demo city, sweeper every 60 s), tools/simulate.ts posting traffic through the API. ${machine}; load while it ran: \`${uptime}\` (other engineers' jobs shared the machine).`,
  '',
  `Sampled every ${intervalSeconds} s${forceGc ? ' after a forced GC (CDP HeapProfiler.collectGarbage)' : ''} through CDP Performance.getMetrics and /proc (VmRSS); the first ${warmupMinutes.toFixed(1)} min are warm-up (${values.warmup === undefined ? 'one rotation through the city and every district: ' : ''}geometry, tiles, fonts and trends of each view loading); "start", "end", "max" and the least-squares slope are over the ${soak.length} samples of the remaining ${soakMinutes.toFixed(1)} min, outage included${snapshots.length === 2 ? '; the heap snapshots at the end of warm-up and at the end (artifacts/bench/wall-soak-*.heapsnapshot) split the heap into the page\'s objects and V8\'s compiled code and internals, their rate being the difference over the time between them' : ''}. The wall received ${frameRate.toFixed(1)} counts:updated frames/s and ${last.alertFrames} pushed alerts in all.`,
  '',
  '| measure | start | end | max | slope per hour | rule |',
  '|---|---|---|---|---|---|',
  ...lines,
  '',
  `Server killed (SIGKILL) at ${(outageAt / 60).toFixed(1)} min, back on the same port and database after ${outageResult.downFor.toFixed(1)} s:`,
  '',
  '| reconnection | result |',
  '|---|---|',
  `| wall shows "disconnected" after the kill | ${outageResult.offlineAfter.toFixed(2)} s |`,
  `| wall "live" again by itself after the restart (socket.io backoff 1 s → 30 s, jittered) | **${outageResult.liveAfterRestart.toFixed(1)} s** |`,
  `| screened on screen ≥ GET /api/stats/310000 read when it went live (${outageResult.apiAtLive}), traffic running | ${outageResult.caughtUpAfterLive.toFixed(1)} s later |`,
  `| at the end, traffic stopped: screened on screen = API | ${finalWall} = ${finalApi}: ${verdict(consistent)} |`,
  `| page never reloaded; uncaught page errors | ${noReload ? 'yes' : '**NO**'}; ${pageErrors.length} |`,
  `| simulator restarts besides the outage | ${simulatorRestarts} |`,
  '',
  `Reading: after warm-up the collected JS heap moved by ${heap.fmtSlope(heap.slope)} MB/h${snapStart && snapEnd ? `, of which the page's own objects ${heap.fmtSlope(pageSlope)} MB/h and V8's compiled code and internals ${heap.fmtSlope(v8Slope)} MB/h` : ''}; DOM nodes stayed within ${Math.min(...soak.map((s) => s.nodes))}–${nodes.max} and listeners within ${Math.min(...soak.map((s) => s.listeners))}–${listeners.max}; the renderer's resident memory moved by ${renderer.fmtSlope(renderer.slope)} MB/h and the GPU process's by ${gpu.fmtSlope(gpu.slope)} MB/h (resident memory includes caches the browser frees only under pressure, so it is reported, not judged). The wall said it was disconnected ${outageResult.offlineAfter.toFixed(1)} s after the kill and was live again ${outageResult.liveAfterRestart.toFixed(1)} s after the server came back, without a reload${consistent ? ', with the figures of the database' : ', but its figures differed from the database'}.`,
  '',
  `**Result: ${passed ? 'pass' : 'FAIL'}** (rule, after warm-up: the page's objects grow < ${maxPageSlopeMbPerHour} MB/h, the whole JS heap < ${maxHeapSlopeMbPerHour} MB/h, DOM nodes and listeners bounded, reconnects by itself, figures equal the API's at the end, no reload, no uncaught error). Raw samples: artifacts/bench/wall-soak.json.`,
];
console.log(report.join('\n'));
console.log(`console errors (mostly failed requests during the outage): ${consoleErrors}; page errors: ${pageErrors.join(' | ') || 'none'}`);
if (!values['no-write']) await replaceSection('wall-soak', report.join('\n'));
process.exit(passed ? 0 : 1);
