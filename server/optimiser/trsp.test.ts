import { readFileSync } from 'node:fs';
import { hasSharedBenchmarks, sharedBenchmarks } from '../../bench/routing/run.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from './parsers.ts';
import { InputError } from './problem.ts';
import { solve } from './solve.ts';
import { parseTrsp, readXml } from './trsp.ts';
import { validateSolution } from './validator.ts';

const root = join(import.meta.dirname, '../..');
const solomon = (name: string): ReturnType<typeof parseSolomon> => parseSolomon(readFileSync(join(root, `data/solomon/${name}.txt`), 'utf8'));
const trspC101 = () => readFileSync(join(sharedBenchmarks, 'trsp-pillac/C101.100_25-5-5-5.xml'), 'utf8');

describe('XML reader (VRP-REP subset)', () => {
  it('reads nesting, attributes, text and self-closing elements', () => {
    const doc = readXml('<?xml version="1.0"?>\n<a x="1" y="two"><b>3.5</b><c id="7"/><b> 4 </b></a>');
    const a = doc.children[0];
    expect(a?.name).toBe('a');
    expect(a?.attributes).toEqual({ x: '1', y: 'two' });
    expect(a?.children.map((c) => c.name)).toEqual(['b', 'c', 'b']);
    expect(a?.children[1]?.attributes.id).toBe('7');
    expect(a?.children[2]?.text.trim()).toBe('4');
  });

  it('rejects badly nested or unclosed elements', () => {
    expect(() => readXml('<a><b></a></b>')).toThrow(InputError);
    expect(() => readXml('<a><b></b>')).toThrow(InputError);
  });
});

describe.skipIf(!hasSharedBenchmarks)('TRSP (Pillac) instances (from ../shared/bench/routing)', () => {
  it('maps technicians, homes, skills and the Solomon windows, and plans them without violations', () => {
    const base = solomon('C101');
    const { problem } = parseTrsp(trspC101(), base);
    expect(problem.jobs).toHaveLength(100);
    expect(problem.vehicles).toHaveLength(25);
    // Node 0 is the central depot, 1–25 the technicians' homes, 26–125 the requests.
    expect(problem.matrix.size).toBe(126);
    expect(problem.vehicles[0]).toMatchObject({ start: 1, end: 1, skills: ['skill-1', 'skill-3', 'skill-4'], shift: { start: 0, end: 1236 } });
    expect(problem.jobs[0]).toMatchObject({ location: 26, skills: ['skill-4'], windows: [{ start: 912, end: 967 }], service: 90 });
    // Skills restrict the choice: some request cannot go to some technician.
    const restricted = problem.jobs.filter((job) => problem.vehicles.some((v) => !(job.skills ?? []).every((s) => (v.skills ?? []).includes(s))));
    expect(restricted.length).toBeGreaterThan(0);

    const solution = solve(problem, { seed: 1, maxIterations: 300, timeLimitMs: 20_000 });
    expect(validateSolution(problem, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    const skillsOf = new Map(problem.vehicles.map((v) => [v.id, new Set(v.skills)]));
    const jobsById = new Map(problem.jobs.map((job) => [job.id, job]));
    for (const route of solution.routes) {
      for (const stop of route.stops) {
        if (stop.job === undefined) continue;
        for (const skill of jobsById.get(stop.job)?.skills ?? []) expect(skillsOf.get(route.vehicle)?.has(skill)).toBe(true);
      }
    }
  }, 30_000);

  it('refuses a Solomon file whose customers are not the requests', () => {
    expect(() => parseTrsp(trspC101(), solomon('R101'))).toThrow(InputError);
  });
});
