// The audit log (server/audit) for admins: a search as a TanStack Query, the export as a link.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AuditList } from '../../../../server/contracts/audit.ts';
import { http, withQuery } from '../../lib/http.ts';

export const auditPageSize = 50;

export interface AuditSearch {
  user: string;
  action: string;
  resource: string;
  /** datetime-local values (the browser's time), '' for none */
  from: string;
  to: string;
}

/** The API's query for a search: blank fields left out, times as instants. */
export function auditParams(search: AuditSearch) {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    user: search.user.trim() || undefined,
    action: search.action || undefined,
    resource: search.resource.trim() || undefined,
    from: instant(search.from),
    to: instant(search.to),
  };
}

export const auditQuery = (search: AuditSearch, page: number) =>
  queryOptions({
    queryKey: ['admin', 'audit', search, page],
    queryFn: ({ signal }) =>
      http.get<AuditList>(withQuery('/api/admin/audit', { ...auditParams(search), limit: auditPageSize, offset: page * auditPageSize }), signal),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

export const auditExportUrl = (search: AuditSearch) => withQuery('/api/admin/audit.xlsx', auditParams(search));
