// Benchmark command line:
//   solve --format solomon FILE [--objective distance|fleet] [--time-limit S] [--seed N]
//   solve --format optw FILE --vehicles M [--time-limit S] [--seed N]
//   solve --format trsp FILE [--solomon BASE] [--objective distance|fleet] [--time-limit S] [--seed N]
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseOptw, parseSolomon } from './parsers.ts';
import { InputError, type Objective, type Solution } from './problem.ts';
import { solve } from './solve.ts';
import { parseTrsp } from './trsp.ts';

/** The Solomon instance a TRSP file is built on: data/solomon/C101.txt for C101.100_25-5-5-5.xml. */
function solomonBaseOf(file: string): string {
  const candidate = join(import.meta.dirname, '../../data/solomon', `${basename(file).split('.')[0] ?? ''}.txt`);
  if (!existsSync(candidate)) throw new InputError(`no Solomon instance found for ${basename(file)}: give it with --solomon FILE`);
  return candidate;
}

function routesOf(solution: Solution): number[][] {
  return solution.routes.map((route) => route.stops.filter((s) => s.kind === 'job').map((s) => Number(s.job)));
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: {
      format: { type: 'string' },
      objective: { type: 'string', default: 'distance' },
      'time-limit': { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      vehicles: { type: 'string' },
      solomon: { type: 'string' },
      'max-iterations': { type: 'string' },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined) throw new InputError('a FILE is required');
  const timeLimitMs = Number(values['time-limit']) * 1000;
  const seed = Number(values.seed);
  const maxIterations = values['max-iterations'] === undefined ? undefined : Number(values['max-iterations']);
  if (!(timeLimitMs > 0) || !Number.isInteger(seed)) throw new InputError('--time-limit must be > 0 and --seed an integer');
  const text = readFileSync(file, 'utf8');
  const started = performance.now();
  if (values.format === 'solomon') {
    const objective = values.objective as Objective;
    if (objective !== 'distance' && objective !== 'fleet') throw new InputError('--objective must be distance or fleet');
    const instance = parseSolomon(text);
    const solution = solve(instance.problem, { timeLimitMs, seed, objective, maxIterations });
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `${JSON.stringify({ vehicles: solution.routes.length, distance: solution.summary.cost, ms, routes: routesOf(solution), unassigned: solution.unassigned.length })}\n`,
    );
  } else if (values.format === 'optw') {
    const paths = Number(values.vehicles);
    if (!Number.isInteger(paths) || paths < 1) throw new InputError('--vehicles M (M >= 1) is required for optw');
    const instance = parseOptw(text, paths, basename(file));
    const solution = solve(instance.problem, { timeLimitMs, seed, maxIterations });
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`${JSON.stringify({ score: solution.summary.priorityCollected, ms, routes: routesOf(solution) })}\n`);
  } else if (values.format === 'trsp') {
    const objective = values.objective as Objective;
    if (objective !== 'distance' && objective !== 'fleet') throw new InputError('--objective must be distance or fleet');
    const base = parseSolomon(readFileSync(values.solomon ?? solomonBaseOf(file), 'utf8'));
    const instance = parseTrsp(text, base);
    const solution = solve(instance.problem, { timeLimitMs, seed, objective, maxIterations });
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `${JSON.stringify({
        vehicles: solution.routes.length,
        distance: solution.summary.cost,
        ms,
        routes: routesOf(solution),
        technicians: solution.routes.map((route) => route.vehicle),
        unassigned: solution.unassigned.length,
      })}\n`,
    );
  } else {
    throw new InputError('--format must be solomon, optw or trsp');
  }
}

try {
  main();
} catch (error) {
  const kind = error instanceof InputError ? 'input error' : 'internal error';
  process.stderr.write(`${kind}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof InputError ? 2 : 1;
}
