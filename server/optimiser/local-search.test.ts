import { describe, expect, it } from 'vitest';
import { LocalSearch } from './local-search.ts';
import { Model } from './model.ts';
import { SearchState } from './search-state.ts';
import { smallInstance } from './test-support.ts';

describe('LocalSearch', () => {
  it('improves a poor plan and keeps every route feasible with each job exactly once', () => {
    const problem = smallInstance({ jobs: 40, vehicles: 10, seed: 8, capacity: 80, horizon: 1200 });
    const model = new Model(problem, 'distance');
    const state = new SearchState(model);
    // A deliberately poor start: jobs dealt round-robin to the routes, appended in index order.
    for (let job = 0; job < model.nJobs; job++) {
      for (let attempt = 0; attempt < model.nVehicles; attempt++) {
        const route = state.routes[(job + attempt) % model.nVehicles];
        if (route === undefined) continue;
        route.insertAt(route.len + 1, job);
        if (route.update()) {
          state.routeOf[job] = route.vehicle;
          break;
        }
        route.removeAt(route.len);
        route.update();
      }
    }
    const before = state.travelCost();
    const planned = Array.from(state.routeOf.subarray(0, model.nJobs)).filter((r) => r >= 0).length;
    const moves = new LocalSearch(model, state).run();
    expect(moves).toBeGreaterThan(0);
    expect(state.travelCost()).toBeLessThan(before);
    const seen = new Set<number>();
    let recomputed = 0;
    for (const route of state.routes) {
      expect(route.update()).toBe(true);
      let place = problem.vehicles[route.vehicle]?.start ?? 0;
      for (let k = 1; k <= route.len; k++) {
        const job = route.nodes[k] as number;
        expect(seen.has(job)).toBe(false);
        seen.add(job);
        expect(state.routeOf[job]).toBe(route.vehicle);
        const here = problem.jobs[job]?.location ?? 0;
        recomputed += Number(problem.matrix.durations[place * problem.matrix.size + here]);
        place = here;
      }
      if (route.len > 0) recomputed += Number(problem.matrix.durations[place * problem.matrix.size]);
    }
    expect(seen.size).toBe(planned);
    expect(state.travelCost()).toBeCloseTo(recomputed, 6);
  });
});
