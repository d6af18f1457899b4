// Routing benchmark: solves a standard set, checks every solution with the independent validator,
// and compares with the best-known results and with VROOM 1.14 measured on this kind of machine.
//   npx tsx bench/routing/run.ts --set solomon|homberger|optw [--objective distance|fleet]
//        [--time-limit S] [--seed N] [--only C101,R201] [--write]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseOptw, parseSolomon } from '../../server/optimiser/parsers.ts';
import type { Objective } from '../../server/optimiser/problem.ts';
import { solve } from '../../server/optimiser/solve.ts';
import { validateSolution } from '../../server/optimiser/validator.ts';

const SHARED = join(import.meta.dirname, '../../../shared/bench/routing');
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
    markdown = `### Orienteering with time windows (known optima, ${values['time-limit']} s per instance)\n\n\`${command}\` — ${when} UTC, 2-core machine shared with other work.\n\n${optwTable(results)}`;
  } else if (values.set === 'solomon' || values.set === 'homberger') {
    const objective = values.objective as Objective;
    const results = runVrptw(values.set, objective, timeLimitMs, seed, only);
    const iterations = Math.round(results.reduce((a, r) => a + r.iterations, 0) / Math.max(1, results.length));
    const reference =
      objective === 'distance'
        ? 'gap to the distance-objective best knowns (`bks_distobj_*`, fleet up to the file size) where listed, else to the hierarchical ones'
        : 'vehicles and distance against the hierarchical best knowns (`bks_hier_*`: vehicles first, then distance)';
    markdown = `### ${values.set === 'solomon' ? 'Solomon 100' : 'Gehring & Homberger 200'}, objective \`${objective}\`, ${values['time-limit']} s per instance\n\n\`${command}\` — ${when} UTC, 2-core machine shared with other work; ${reference}. VROOM 1.14 columns: \`-x 5 -t ${values.set === 'solomon' ? 2 : 4}\` from \`vroom-*-results.csv\`. Load average ${loadBefore} → ${loadavg()[0]?.toFixed(1)} (2 cores); ${iterations} search iterations per instance on average.\n\n${vrptwTable(results)}`;
  } else {
    throw new Error('--set must be solomon, homberger or optw');
  }
  process.stdout.write(`${markdown}\n`);
  if (values.write) writeSection(`${values.set}-${values.objective}-${values['time-limit']}s`.replace('optw-distance', 'optw'), markdown);
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
