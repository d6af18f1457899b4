// The daily-report API (server/reports, docs/reports.md) as TanStack Query options and mutations.
// Keys start with 'reports' so a submission (or a `reports:updated` push) refreshes what it changed.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Compliance, DailyReport, ReportFigures, ReportPrefill } from '../../../../server/contracts/index.ts';
import { http, HttpError, withQuery } from '../../lib/http.ts';

/** Roles that may submit reports for the units of their jurisdiction (docs/reports.md, Roles). */
export const reporterRoles: ReadonlySet<string> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);

export const complianceQuery = (area: string, day: string) =>
  queryOptions({
    queryKey: ['reports', 'compliance', area, day],
    queryFn: ({ signal }) => http.get<Compliance>(withQuery('/api/reports/compliance', { area, day }), signal),
  });

/** The unit's stored report, or null when it has not reported (404). */
export const reportQuery = (unitCode: string, day: string) =>
  queryOptions({
    queryKey: ['reports', 'report', unitCode, day],
    queryFn: async ({ signal }) => {
      try {
        return await http.get<DailyReport>(`/api/reports/${encodeURIComponent(unitCode)}/${day}`, signal);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) return null;
        throw error;
      }
    },
  });

export const prefillQuery = (unitCode: string, day: string) =>
  queryOptions({
    queryKey: ['reports', 'prefill', unitCode, day],
    queryFn: ({ signal }) => http.get<ReportPrefill>(`/api/reports/${encodeURIComponent(unitCode)}/${day}/prefill`, signal),
  });

export const templateUrl = (unitCode: string, day: string) => `/api/reports/${encodeURIComponent(unitCode)}/${day}/template.xlsx`;
export const exportUrl = (area: string, day: string) => withQuery('/api/reports/export.xlsx', { area, day });

async function parse<T>(response: Response): Promise<T> {
  const parsed = (await response.json().catch(() => undefined)) as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (!response.ok) {
    if (typeof parsed?.code === 'string' && typeof parsed.message === 'string') throw new HttpError(response.status, parsed.code, parsed.message, parsed.details);
    throw new HttpError(response.status, response.status >= 500 ? 'internal' : 'bad_request', response.statusText || `HTTP ${response.status}`);
  }
  return parsed as T;
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new HttpError(0, 'network', error instanceof Error ? error.message : 'Network error');
  }
  return parse<T>(response);
}

export type Submission = { zero: true; notes?: string } | { zero: false; figures: ReportFigures };

/**
 * Submits or corrects a unit's report. The submission id is made once per attempt by the caller,
 * so a retry of the same attempt is answered `duplicate: true` instead of adding a version.
 */
export function useSubmitReport(unitCode: string, day: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ submissionId, submission }: { submissionId: string; submission: Submission }) =>
      send<DailyReport>(`/api/reports/${encodeURIComponent(unitCode)}/${day}`, {
        method: 'PUT',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(
          submission.zero ? { submissionId, zero: true, ...(submission.notes ? { notes: submission.notes } : {}) } : { submissionId, figures: submission.figures },
        ),
      }),
    onSuccess: (report) => {
      client.setQueryData(reportQuery(unitCode, day).queryKey, report);
      void client.invalidateQueries({ queryKey: ['reports', 'compliance'] });
    },
  });
}

/** Uploads a filled template (.xlsx / .csv); problems come back per cell in the error's details. */
export function useUploadReport(unitCode: string, day: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file);
      return send<DailyReport>(`/api/reports/${encodeURIComponent(unitCode)}/${day}/upload`, { method: 'POST', headers: { accept: 'application/json' }, body });
    },
    onSuccess: (report) => {
      client.setQueryData(reportQuery(unitCode, day).queryKey, report);
      void client.invalidateQueries({ queryKey: ['reports', 'compliance'] });
    },
  });
}

/** Per-cell problems of an upload ({ row, field, reason }), or per-field problems of a submission. */
export function problemsOf(error: unknown): string[] {
  if (!(error instanceof HttpError) || !Array.isArray(error.details)) return [];
  return (error.details as Array<Record<string, unknown>>).map((d) =>
    'row' in d ? `${String(d.row)} · ${String(d.field)}: ${String(d.reason)}` : `${String(d.field ?? '')}: ${String(d.message ?? '')}`,
  );
}
