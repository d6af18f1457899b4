import { queryOptions } from '@tanstack/react-query';
import type { RiskAreaCollection } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';

/** Risk areas not retired (active now or scheduled); the map draws them from vector tiles, the legend counts them here. */
export const riskAreasQuery = queryOptions({
  queryKey: ['risk-areas', 'current'],
  queryFn: ({ signal }) => http.get<RiskAreaCollection>(withQuery('/api/risk-areas', { status: 'current' }), signal),
  refetchInterval: 60_000,
});
