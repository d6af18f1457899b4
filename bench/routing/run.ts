// Routing benchmark: solves a standard set, checks every solution with the independent validator,
// and compares with the best-known results and with VROOM 1.14 measured on this kind of machine.
//   npx tsx bench/routing/run.ts --set solomon|homberger|optw|trsp [--objective distance|fleet]
//        [--time-limit S] [--seed N] [--only C101,R201] [--write]
// (trsp: Pillac's technician routing instances, each read with the Solomon instance it is built on.)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseOptw, parseSolomon } from '../../server/optimiser/parsers.ts';
import type { Objective } from '../../server/optimiser/problem.ts';
import { solve } from '../../server/optimiser/solve.ts';
import { parseTrsp } from '../../server/optimiser/trsp.ts';
import { validateSolution } from '../../server/optimiser/validator.ts';

const SHARED = join(import.meta.dirname, '../../../shared/bench/routing');
/** The shared benchmark sets (all but Solomon's, which are in data/) sit next to the checkout, in ../shared. */
export const sharedBenchmarks = SHARED;
export const hasSharedBenchmarks = existsSync(SHARED);
const SOLOMON_DIR = join(import.meta.dirname, '../../data/solomon');
const DOC = join(import.meta.dirname, '../../docs/benchmarks.md');

type Row = Record<string, string | undefined>;

function readCsv(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const names = split(header ?? '');
  return lines.map((line) => Object.fromEntries(split(line).map((value, i) => [names[i] ?? `c${i}`, value])));
}

export interface VrptwResult {
  instance: string;
  family: string;
  vehicles: number;
  distance: number;
  ms: number;
  feasible: boolean;
  bestVehicles: number;
  bestDistance: number;
  vroomVehicles?: number;
  vroomDistance?: number;
  vroomSeconds?: number;
  iterations: number;
}

export interface OptwResult {
  instance: string;
  family: string;
  score: number;
  known: number;
  ms: number;
  feasible: boolean;
}

export function runVrptw(set: 'solomon' | 'homberger', objective: Objective, timeLimitMs: number, seed: number, only?: string[]): VrptwResult[] {
  const dir = set === 'solomon' ? SOLOMON_DIR : join(SHARED, 'homberger/200');
  const knowns = readCsv(join(SHARED, 'vrptw-best-knowns.csv'));
  const vroomFile = join(SHARED, set === 'solomon' ? 'vroom-solomon-results.csv' : 'vroom-homberger200-results.csv');
  const vroom = readCsv(vroomFile);
  // VROOM at its default exploration level on 2 threads (or the nearest variant recorded).
  const vroomVariant = (row: Row): boolean =>
    set === 'solomon'
      ? row.variant === (objective === 'fleet' ? 'fleet_x5_t2' : 'dist_x5_t2')
      : (row.objective ?? '').startsWith(objective === 'fleet' ? 'fleet' : 'distance');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const results: VrptwResult[] = [];
  for (const file of files) {
    const name = file.replace(/\.txt$/, '');
    if (only && !only.some((o) => o.toLowerCase() === name.toLowerCase())) continue;
    const known = knowns.find((k) => (k.instance ?? '').toLowerCase() === name.toLowerCase());
    if (!known) continue;
    const started = performance.now();
    const instance = parseSolomon(readFileSync(join(dir, file), 'utf8'));
    const solution = solve(instance.problem, { timeLimitMs, seed, objective });
    const ms = performance.now() - started;
    const report = validateSolution(instance.problem, solution);
    const feasible = report.valid && solution.unassigned.length === 0 && solution.routes.length <= instance.vehicleCount;
    // Distance objective: compare with the distance-objective best knowns when the table has them.
    const useDistObj = objective === 'distance' && known.bks_distobj_distance !== '';
    const vroomRow = vroom.find((r) => (r.instance ?? '').toLowerCase() === name.toLowerCase() && vroomVariant(r));
    results.push({
      instance: name,
      family: known.family ?? '',
      vehicles: solution.routes.length,
      distance: report.cost,
      ms,
      feasible,
      bestVehicles: Number(useDistObj ? known.bks_distobj_vehicles : known.bks_hier_vehicles),
      bestDistance: Number(useDistObj ? known.bks_distobj_distance : known.bks_hier_distance),
      vroomVehicles: vroomRow ? Number(vroomRow.vehicles) : undefined,
      vroomDistance: vroomRow ? Number(vroomRow.distance) : undefined,
      vroomSeconds: vroomRow ? Number(vroomRow.wall_s) : undefined,
      iterations: solution.iterations,
    });
    const last = results.at(-1) as VrptwResult;
    process.stderr.write(
      `${name} ${last.vehicles}v ${last.distance.toFixed(2)} (bk ${last.bestVehicles}v ${last.bestDistance}) gap ${gap(last.distance, last.bestDistance).toFixed(2)}% ${Math.round(ms)}ms${feasible ? '' : ' INFEASIBLE ' + report.violations.slice(0, 2).join('; ')}\n`,
    );
  }
  return results;
}

export function runOptw(timeLimitMs: number, seed: number, only?: string[]): OptwResult[] {
  const knowns = readCsv(join(SHARED, 'optw-known-scores.csv')).filter((k) => k.known_score !== '');
  const results: OptwResult[] = [];
  for (const known of knowns) {
    const set = known.set ?? '';
    const name = known.instance ?? '';
    if (only && !only.includes(name)) continue;
    const path = join(SHARED, 'toptw', set, `${name}.txt`);
    if (!existsSync(path)) continue;
    const started = performance.now();
    const instance = parseOptw(readFileSync(path, 'utf8'), Number(known.paths_m), name);
    const solution = solve(instance.problem, { timeLimitMs, seed });
    const ms = performance.now() - started;
    const report = validateSolution(instance.problem, solution);
    const family = `${set.split('/').at(-1)}:${name.replace(/\d+$/, '')}`;
    results.push({ instance: name, family, score: solution.summary.priorityCollected, known: Number(known.known_score), ms, feasible: report.valid });
    process.stderr.write(`${name} score ${solution.summary.priorityCollected} / ${known.known_score} ${Math.round(ms)}ms${report.valid ? '' : ' INVALID'}\n`);
  }
  return results;
}

export interface TrspResult {
  instance: string;
  family: string;
  technicians: number;
  distance: number;
  unassigned: number;
  ms: number;
  /** The independent validator found no violation (skills included). */
  valid: boolean;
  /** Counted apart from the validator: every request served by a technician with its skill. */
  skillsHonoured: boolean;
  iterations: number;
}

/** Pillac's TRSP instances (skills; tools and spare parts are not modelled), on their Solomon base. */
export function runTrsp(objective: Objective, timeLimitMs: number, seed: number, only?: string[]): TrspResult[] {
  const dir = join(SHARED, 'trsp-pillac');
  const results: TrspResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    const base = file.split('.')[0] ?? '';
    if (only && !only.some((o) => o.toLowerCase() === base.toLowerCase())) continue;
    const started = performance.now();
    const solomon = parseSolomon(readFileSync(join(SOLOMON_DIR, `${base}.txt`), 'utf8'));
    const instance = parseTrsp(readFileSync(join(dir, file), 'utf8'), solomon);
    const solution = solve(instance.problem, { timeLimitMs, seed, objective });
    const ms = performance.now() - started;
    const report = validateSolution(instance.problem, solution);
    const skillsOf = new Map(instance.problem.vehicles.map((v) => [v.id, new Set(v.skills ?? [])]));
    const needs = new Map(instance.problem.jobs.map((job) => [job.id, job.skills ?? []]));
    const skillsHonoured = solution.routes.every((route) =>
      route.stops.every((stop) => stop.job === undefined || (needs.get(stop.job) ?? []).every((skill) => skillsOf.get(route.vehicle)?.has(skill) === true)),
    );
    results.push({
      instance: base,
      family: base.replace(/\d\d$/, ''),
      technicians: solution.routes.length,
      distance: report.cost,
      unassigned: solution.unassigned.length,
      ms,
      valid: report.valid,
      skillsHonoured,
      iterations: solution.iterations,
    });
    process.stderr.write(
      `${base} ${solution.routes.length} technicians ${report.cost.toFixed(2)} unassigned ${solution.unassigned.length} ${Math.round(ms)}ms${report.valid ? '' : ' INVALID ' + report.violations.slice(0, 2).join('; ')}${skillsHonoured ? '' : ' SKILLS'}\n`,
    );
  }
  return results;
}

export function trspTable(results: TrspResult[]): string {
  const families = [...new Set(results.map((r) => r.family)), 'all'];
  const lines = [
    '| family | n | valid (validator) | skills honoured | unassigned requests | technicians used | mean distance | mean s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const family of families) {
    const rows = family === 'all' ? results : results.filter((r) => r.family === family);
    lines.push(
      `| ${family} | ${rows.length} | ${rows.filter((r) => r.valid).length} | ${rows.filter((r) => r.skillsHonoured).length} | ${sum(rows.map((r) => r.unassigned))} | ${sum(rows.map((r) => r.technicians))} | ${mean(rows.map((r) => r.distance)).toFixed(1)} | ${(mean(rows.map((r) => r.ms)) / 1000).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

export const gap = (value: number, reference: number): number => ((value - reference) / reference) * 100;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export function vrptwTable(results: VrptwResult[]): string {
  const families = [...new Set(results.map((r) => r.family)), 'all'];
  const lines = [
    '| family | n | feasible | mean gap to best known | vehicles (ours / best known) | VROOM gap | VROOM vehicles | mean s / instance (ours / VROOM) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const family of families) {
    const rows = family === 'all' ? results : results.filter((r) => r.family === family);
    const withVroom = rows.filter((r) => r.vroomDistance !== undefined);
    lines.push(
      `| ${family} | ${rows.length} | ${rows.filter((r) => r.feasible).length} | ${mean(rows.map((r) => gap(r.distance, r.bestDistance))).toFixed(2)} % | ${sum(rows.map((r) => r.vehicles))} / ${sum(rows.map((r) => r.bestVehicles))} | ${
        withVroom.length ? `${mean(withVroom.map((r) => gap(r.vroomDistance ?? 0, r.bestDistance))).toFixed(2)} %` : '–'
      } | ${withVroom.length ? sum(withVroom.map((r) => r.vroomVehicles ?? 0)) : '–'} | ${(mean(rows.map((r) => r.ms)) / 1000).toFixed(2)} / ${
        withVroom.length ? mean(withVroom.map((r) => r.vroomSeconds ?? 0)).toFixed(2) : '–'
      } |`,
    );
  }
  return lines.join('\n');
}

export function optwTable(results: OptwResult[]): string {
  const families = [...new Set(results.map((r) => r.family)), 'all'];
  const lines = ['| family | n | valid | mean gap below optimum | optimum reached | mean s |', '|---|---|---|---|---|---|'];
  for (const family of families) {
    const rows = family === 'all' ? results : results.filter((r) => r.family === family);
    lines.push(
      `| ${family} | ${rows.length} | ${rows.filter((r) => r.feasible).length} | ${mean(rows.map((r) => ((r.known - r.score) / r.known) * 100)).toFixed(2)} % | ${
        rows.filter((r) => r.score >= r.known).length
      } | ${(mean(rows.map((r) => r.ms)) / 1000).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces one titled block inside the routing section of docs/benchmarks.md. */
export function writeSection(key: string, markdown: string): void {
  const start = '<!-- routing:start -->';
  const end = '<!-- routing:end -->';
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  if (!doc.includes(start)) doc = `${doc.trimEnd()}\n\n${start}\n## Route optimiser\n${end}\n`;
  const before = doc.slice(0, doc.indexOf(start) + start.length);
  const after = doc.slice(doc.indexOf(end));
  let section = doc.slice(before.length, doc.indexOf(end));
  const blockStart = `<!-- routing:${key}:start -->`;
  const blockEnd = `<!-- routing:${key}:end -->`;
  const block = `${blockStart}\n${markdown.trim()}\n${blockEnd}`;
  if (section.includes(blockStart)) {
    section = section.slice(0, section.indexOf(blockStart)) + block + section.slice(section.indexOf(blockEnd) + blockEnd.length);
  } else {
    section = `${section.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(DOC, `${before}${section}${after}`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'solomon' },
      objective: { type: 'string', default: 'distance' },
      'time-limit': { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  const timeLimitMs = Number(values['time-limit']) * 1000;
  const seed = Number(values.seed);
  const only = values.only?.split(',');
  const command = `npx tsx bench/routing/run.ts --set ${values.set} --objective ${values.objective} --time-limit ${values['time-limit']} --seed ${seed}${values.only ? ` --only ${values.only}` : ''}`;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  // Results depend on the CPU the search actually got: record how busy the shared machine was.
  const loadBefore = loadavg()[0]?.toFixed(1);
  let markdown: string;
  if (values.set === 'optw') {
    const results = runOptw(timeLimitMs, seed, only);
    markdown = `### Orienteering with time windows (known optima, ${values['time-limit']} s per instance)\n\n\`${command}\` — ${when} UTC, 2-core machine shared with other work. Load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)} (2 cores).\n\n${optwTable(results)}`;
  } else if (values.set === 'solomon' || values.set === 'homberger') {
    const objective = values.objective as Objective;
    const results = runVrptw(values.set, objective, timeLimitMs, seed, only);
    const iterations = Math.round(results.reduce((a, r) => a + r.iterations, 0) / Math.max(1, results.length));
    const reference =
      objective === 'distance'
        ? 'gap to the distance-objective best knowns (`bks_distobj_*`, fleet up to the file size) where listed, else to the hierarchical ones'
        : 'vehicles and distance against the hierarchical best knowns (`bks_hier_*`: vehicles first, then distance)';
    markdown = `### ${values.set === 'solomon' ? 'Solomon 100' : 'Gehring & Homberger 200'}, objective \`${objective}\`, ${values['time-limit']} s per instance\n\n\`${command}\` — ${when} UTC, 2-core machine shared with other work; ${reference}. VROOM 1.14 columns: \`-x 5 -t ${values.set === 'solomon' ? 2 : 4}\` from \`vroom-*-results.csv\`. Load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)} (2 cores); ${iterations} search iterations per instance on average.\n\n${vrptwTable(results)}`;
  } else if (values.set === 'trsp') {
    const objective = values.objective as Objective;
    const results = runTrsp(objective, timeLimitMs, seed, only);
    const iterations = Math.round(results.reduce((a, r) => a + r.iterations, 0) / Math.max(1, results.length));
    markdown = `### Technician routing with skills (Pillac et al. TRSP, 25 technicians, 100 requests), objective \`${objective}\`, ${values['time-limit']} s per instance\n\n\`${command}\` — ${when} UTC, 2-core machine shared with other work. Load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)} (2 cores); ${iterations} search iterations per instance on average. Each instance is read with the Solomon instance it is built on (windows, service times, horizon); technicians start and end at home; requests need one skill. Tools and spare parts are not modelled, so these plans solve a relaxation of the TRSP and their distances are not comparable with published TRSP results; \`../shared/bench/routing\` holds no reference values for this set. Distance: Euclidean, double precision, over the technicians' whole tours.\n\n${trspTable(results)}`;
  } else {
    throw new Error('--set must be solomon, homberger, optw or trsp');
  }
  process.stdout.write(`${markdown}\n`);
  if (values.write) writeSection(`${values.set}-${values.objective}-${values['time-limit']}s`.replace('optw-distance', 'optw'), markdown);
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
