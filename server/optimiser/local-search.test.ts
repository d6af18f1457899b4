import { describe, expect, it } from 'vitest';
import { LocalSearch } from './local-search.ts';
import { Model } from './model.ts';
import type { Problem } from './problem.ts';
import { SearchState } from './search-state.ts';
import { smallInstance } from './test-support.ts';
import { planFromSequences, validateSolution } from './validator.ts';

/** Jobs dealt round-robin to the routes, appended in index order: a deliberately poor plan. */
function roundRobin(problem: Problem): { model: Model; state: SearchState } {
  const model = new Model(problem, 'distance');
  const state = new SearchState(model);
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
  return { model, state };
}

/** Checks the plan with the independent validator (re-simulated from the matrix). */
function expectValidPlan(problem: Problem, state: SearchState): void {
  const sequences = state.routes.map((route) => Array.from(route.nodes.subarray(1, route.len + 1), (job) => problem.jobs[job]?.id ?? `?${job}`));
  const report = validateSolution(problem, planFromSequences(problem, sequences), { checkReportedCosts: false });
  expect(report.violations).toEqual([]);
  expect(report.cost).toBeCloseTo(state.travelCost(), 6);
}

/** Descends with the four basic operators only, then checks that none of them improves any job. */
function basicLocalOptimum(problem: Problem): { model: Model; state: SearchState } {
  const { model, state } = roundRobin(problem);
  for (let job = 0; job < model.nJobs; job++) expect(state.routeOf[job]).toBeGreaterThanOrEqual(0);
  new LocalSearch(model, state, { crossExchange: false, swapStar: false }).run();
  const probe = new LocalSearch(model, state, { crossExchange: false, swapStar: false });
  for (let job = 0; job < model.nJobs; job++) {
    expect(probe.relocate(job) || probe.swap(job) || probe.twoOptStar(job) || probe.orOpt(job)).toBe(false);
  }
  return { model, state };
}

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

  // Seeds found by searching small random instances for a plan that relocate, swap, 2-opt* and
  // or-opt cannot improve but the new operator can.
  it('cross-exchange improves a plan where relocate, swap, 2-opt* and or-opt cannot', () => {
    const problem = smallInstance({ jobs: 8, vehicles: 3, seed: 41, capacity: 30, horizon: 600 });
    const { model, state } = basicLocalOptimum(problem);
    const before = state.travelCost();
    const search = new LocalSearch(model, state, { crossExchange: true, swapStar: false });
    let applied = 0;
    for (let job = 0; job < model.nJobs; job++) if (search.crossExchange(job)) applied++;
    expect(applied).toBeGreaterThan(0);
    expect(state.travelCost()).toBeLessThan(before - 1);
    expectValidPlan(problem, state);
  });

  it('SWAP* improves a plan where relocate, swap, 2-opt* and or-opt cannot', () => {
    const problem = smallInstance({ jobs: 8, vehicles: 3, seed: 246, capacity: 30, horizon: 600 });
    const { model, state } = basicLocalOptimum(problem);
    const before = state.travelCost();
    const search = new LocalSearch(model, state, { crossExchange: false, swapStar: true });
    const a = state.routes[state.routeOf[0] as number];
    const applied = model.neighbours.subarray(1, model.nJobs).some((w) => {
      const b = state.routes[state.routeOf[w] as number];
      return a !== undefined && b !== undefined && a !== b && search.swapStar(a, b);
    });
    expect(applied).toBe(true);
    expect(state.travelCost()).toBeLessThan(before - 1);
    expectValidPlan(problem, state);
  });

  it('the full descent keeps plans valid on random instances with tight windows', () => {
    for (let seed = 20; seed < 30; seed++) {
      const problem = smallInstance({ jobs: 30, vehicles: 6, seed, capacity: 50, horizon: 500 });
      const { model, state } = roundRobin(problem);
      const before = state.travelCost();
      new LocalSearch(model, state).run();
      expect(state.travelCost()).toBeLessThanOrEqual(before);
      expectValidPlan(problem, state);
    }
  });
});
