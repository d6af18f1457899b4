// Which travel-time source a plan uses: the road network when one is loaded, else the great-circle model.
import type { Queryable } from '../infra/db.ts';
import type { Matrix } from '../optimiser/problem.ts';
import { roadCostMatrix, roadNetworkStatus, type RoadMatrixOptions } from './road-network.repository.ts';
import { defaultTravelModel, travelTimeMatrix, type TravelModel, type TravelPoint } from './travel-time.ts';

export type TravelSource = 'auto' | 'great-circle' | 'road-network';

export interface TravelMatrixOptions extends RoadMatrixOptions {
  source?: TravelSource;
  model?: TravelModel;
}

export interface TravelMatrix {
  matrix: Matrix;
  source: 'great-circle' | 'road-network';
}

/**
 * `auto`: the road network when `road_edges` holds edges (and then pgRouting must be installed: a
 * loaded network that cannot be used is an error, not a silent fallback); otherwise great-circle.
 */
export async function buildTravelMatrix(db: Queryable, points: readonly TravelPoint[], options: TravelMatrixOptions = {}): Promise<TravelMatrix> {
  const source = options.source ?? 'auto';
  if (source === 'great-circle') return { matrix: travelTimeMatrix(points, options.model ?? defaultTravelModel), source };
  if (source === 'auto' && !(await roadNetworkStatus(db)).hasEdges) {
    return { matrix: travelTimeMatrix(points, options.model ?? defaultTravelModel), source: 'great-circle' };
  }
  return { matrix: await roadCostMatrix(db, points, options), source: 'road-network' };
}
