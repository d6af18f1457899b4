// Placeholder replaced below.
import type { Model } from './model.ts';
import type { SearchState } from './search-state.ts';

export class LocalSearch {
  constructor(
    readonly model: Model,
    readonly state: SearchState,
  ) {}

  run(): void {}
}
