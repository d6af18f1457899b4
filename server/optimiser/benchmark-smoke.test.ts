// A fast slice of the routing benchmark (1 s per instance); the full run is bench/routing/run.ts.
import { describe, expect, it } from 'vitest';
import { gap, hasSharedBenchmarks, runOptw, runVrptw } from '../../bench/routing/run.ts';

// The best-known results and the orienteering sets are read from ../shared/bench/routing; a checkout
// without that directory beside it skips this slice (and says so) rather than failing on a missing file.
if (!hasSharedBenchmarks) console.warn('[optimiser] ../shared/bench/routing not found: benchmark smoke run skipped');
describe.skipIf(!hasSharedBenchmarks)('routing benchmark smoke run', () => {
  it('solves Solomon instances of every type feasibly and close to the best known', () => {
    const results = runVrptw('solomon', 'distance', 1000, 1, ['C101', 'R101', 'RC105', 'R205']);
    expect(results).toHaveLength(4);
    for (const r of results) {
      expect(r.feasible, `${r.instance} feasible`).toBe(true);
      expect(gap(r.distance, r.bestDistance), `${r.instance} gap`).toBeLessThan(5);
    }
  }, 30_000);

  it('removes vehicles under the fleet objective', () => {
    const [r] = runVrptw('solomon', 'fleet', 1000, 1, ['R101']);
    expect(r?.feasible).toBe(true);
    // Best known 19; the distance objective's best uses 20.
    expect(r?.vehicles).toBeLessThanOrEqual(20);
  }, 30_000);

  it('collects close to the optimal score on orienteering instances', () => {
    const results = runOptw(1000, 1, ['c101', 'r102']);
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.feasible).toBe(true);
      expect(r.score).toBeGreaterThanOrEqual(r.known * 0.95);
    }
  }, 30_000);
});
