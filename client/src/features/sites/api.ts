import { queryOptions } from '@tanstack/react-query';
import type { SiteCategoryCounts } from '../../../../server/contracts/index.ts';
import { http, withQuery } from '../../lib/http.ts';

export const siteCategoryCountsQuery = (area: string) =>
  queryOptions({
    queryKey: ['sites', 'categories', area],
    queryFn: ({ signal }) => http.get<SiteCategoryCounts>(withQuery('/api/sites/categories', { area }), signal),
  });
