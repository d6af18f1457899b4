import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptw, parseSolomon } from './parsers.ts';
import { parseTrsp } from './trsp.ts';
import { planFromSequences, validateSolution } from './validator.ts';
import { hasSharedBenchmarks, sharedBenchmarks } from '../../bench/routing/run.ts';

const root = join(import.meta.dirname, '../..');
const c101 = join(root, 'data/solomon/C101.txt');
const optwC101 = join(sharedBenchmarks, 'toptw/righini-salani/c_r_rc_100_100/c101.txt');
const trspR101 = join(sharedBenchmarks, 'trsp-pillac/R101.100_25-5-5-5.xml');

function runCli(args: string[]): string {
  // node --import tsx is what `npm run solve` amounts to, without npm's start-up cost.
  return execFileSync(process.execPath, ['--import', 'tsx', 'server/optimiser/cli.ts', ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
}

describe('benchmark parsers', () => {
  it('reads a Solomon file: fleet, capacity, customers, windows and Euclidean travel', () => {
    const instance = parseSolomon(readFileSync(c101, 'utf8'));
    expect(instance.name).toBe('C101');
    expect(instance.vehicleCount).toBe(25);
    expect(instance.capacity).toBe(200);
    expect(instance.problem.jobs).toHaveLength(100);
    expect(instance.problem.jobs[0]).toMatchObject({ id: '1', demand: 10, service: 90, windows: [{ start: 912, end: 967 }] });
    expect(instance.problem.vehicles[0]?.shift).toEqual({ start: 0, end: 1236 });
    // Depot (40,50) to customer 1 (45,68).
    expect(instance.problem.matrix.durations[1]).toBeCloseTo(Math.hypot(5, 18), 12);
  });

  it('reads an orienteering file with scores as optional priorities', () => {
    const text = ['4 10 2 1', '0 200', ' 0 0 0 0 0 0 0 0 100', ' 1 3 4 5 10 1 1 1 0 50', ' 2 6 8 5 7 1 1 1 10 60'].join('\n');
    const instance = parseOptw(text, 2);
    expect(instance.problem.vehicles).toHaveLength(2);
    expect(instance.problem.jobs[1]).toMatchObject({ id: '2', service: 5, priority: 7, mandatory: false, windows: [{ start: 10, end: 60 }] });
    expect(instance.problem.matrix.durations[1]).toBe(5);
  });
});

describe('solve command line', { timeout: 30_000 }, () => {
  it('prints vehicles, distance, time and routes that pass the validator under Solomon rules', () => {
    const result = JSON.parse(runCli(['--format', 'solomon', c101, '--time-limit', '0.5', '--seed', '3'])) as {
      vehicles: number;
      distance: number;
      ms: number;
      routes: number[][];
    };
    expect(result.vehicles).toBe(result.routes.length);
    expect(result.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const instance = parseSolomon(readFileSync(c101, 'utf8'));
    const report = validateSolution(instance.problem, planFromSequences(instance.problem, result.routes.map((r) => r.map(String))), {
      checkReportedCosts: false,
    });
    expect(report.violations).toEqual([]);
    expect(result.vehicles).toBeLessThanOrEqual(instance.vehicleCount);
    expect(report.cost).toBeCloseTo(result.distance, 6);
    // C101's optimum is 828.94 with 10 vehicles; half a second gets there or very close.
    expect(result.distance).toBeLessThan(828.94 * 1.02);
    expect(result.ms).toBeLessThan(1500);
  });

  it.skipIf(!hasSharedBenchmarks)('prints an orienteering score that matches the validated routes', () => {
    const result = JSON.parse(runCli(['--format', 'optw', optwC101, '--vehicles', '1', '--time-limit', '0.5'])) as { score: number; routes: number[][] };
    const instance = parseOptw(readFileSync(optwC101, 'utf8'), 1);
    const report = validateSolution(instance.problem, planFromSequences(instance.problem, result.routes.map((r) => r.map(String))), {
      checkReportedCosts: false,
    });
    expect(report.violations).toEqual([]);
    expect(result.routes).toHaveLength(1);
    const scores = new Map(instance.problem.jobs.map((job) => [job.id, job.priority ?? 0]));
    expect(result.routes.flat().reduce((sum, id) => sum + (scores.get(String(id)) ?? 0), 0)).toBe(result.score);
    // Known optimum 320 (Righini & Salani).
    expect(result.score).toBeGreaterThanOrEqual(300);
    expect(result.score).toBeLessThanOrEqual(320);
  });

  it.skipIf(!hasSharedBenchmarks)('plans a technician-routing (TRSP) file on its Solomon base: every request, by a technician with its skill', () => {
    const result = JSON.parse(runCli(['--format', 'trsp', trspR101, '--max-iterations', '200', '--time-limit', '30'])) as {
      vehicles: number;
      distance: number;
      routes: number[][];
      technicians: string[];
      unassigned: number;
    };
    const { problem } = parseTrsp(readFileSync(trspR101, 'utf8'), parseSolomon(readFileSync(join(root, 'data/solomon/R101.txt'), 'utf8')));
    expect(result.unassigned).toBe(0);
    expect(result.vehicles).toBe(result.routes.length);
    expect(result.technicians).toHaveLength(result.routes.length);
    expect(result.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Each route belongs to its technician (home and skills): place it at that vehicle's index.
    const sequences = problem.vehicles.map((v) => (result.routes[result.technicians.indexOf(v.id)] ?? []).map(String));
    const report = validateSolution(problem, planFromSequences(problem, sequences), { checkReportedCosts: false });
    expect(report.violations).toEqual([]);
    expect(report.cost).toBeCloseTo(result.distance, 6);
  });

  it('exits with status 2 and an input error for a bad option', () => {
    let status = 0;
    let stderr = '';
    try {
      runCli(['--format', 'nope', c101]);
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/^input error: --format/m);
  });
});
