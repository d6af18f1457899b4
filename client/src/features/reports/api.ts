// The daily-report API (server/reports, docs/reports.md) as TanStack Query options and mutations.
// Keys start with 'reports' so a submission (or a `reports:updated` push) refreshes what it changed.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ledgerReaderRoles, signOffRoles,
  type BulkSignOffResult, type Compliance, type DailyReport, type LedgerEntry, type LedgerKind, type OnTimeRate, type ReportFigures, type ReportPrefill, type Rollup,
} from '../../../../server/contracts/index.ts';
import { http, HttpError, withQuery } from '../../lib/http.ts';

/** Roles that may submit reports for the units of their jurisdiction (docs/reports.md, Roles). */
export const reporterRoles: ReadonlySet<string> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);

/** Who signs off at each level, and who reads the ledgers (the server's own lists). */
export const signerRoles = { street: new Set<string>(signOffRoles.street), district: new Set<string>(signOffRoles.district) } as const;
export const ledgerRoles: ReadonlySet<string> = new Set(ledgerReaderRoles);
export type SignOffLevel = keyof typeof signerRoles;

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

export const rollupQuery = (area: string, day: string) =>
  queryOptions({
    queryKey: ['reports', 'rollup', area, day],
    queryFn: ({ signal }) => http.get<Rollup>(withQuery('/api/reports/rollup', { area, day }), signal),
  });

/** DHIS2-style rates over [from, to]: the area's child areas, or every street in it. */
export const onTimeRateQuery = (area: string, from: string, to: string, level: 'children' | 'street') =>
  queryOptions({
    queryKey: ['reports', 'on-time-rate', area, from, to, level],
    queryFn: ({ signal }) =>
      http.get<OnTimeRate>(withQuery('/api/reports/on-time-rate', { area, from, to, ...(level === 'children' ? {} : { level }) }), signal),
  });

export interface LedgerFilter {
  kind: LedgerKind;
  area: string;
  from: string;
  to: string;
}
export interface LedgerPage {
  kind: string;
  total: number;
  limit: number;
  offset: number;
  items: LedgerEntry[];
  exportUnmasked: boolean;
}
const ledgerParams = (f: LedgerFilter) => ({ area: f.area, from: f.from || undefined, to: f.to || undefined });

export const ledgerQuery = (f: LedgerFilter, limit: number, offset: number) =>
  queryOptions({
    queryKey: ['ledgers', f, limit, offset],
    queryFn: ({ signal }) => http.get<LedgerPage>(withQuery(`/api/ledgers/${f.kind}`, { ...ledgerParams(f), limit, offset }), signal),
  });

/** The ledger as Excel: masked when `unmasked` is false (or the user may not export it in clear). */
export const ledgerExportUrl = (f: LedgerFilter, unmasked: boolean) =>
  withQuery(`/api/ledgers/${f.kind}.xlsx`, { ...ledgerParams(f), unmasked: String(unmasked) });

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

/** Signs one unit's report off at a level; the report comes back with who and when. */
export function useSignOff(unitCode: string, day: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ level, version }: { level: SignOffLevel; version: number }) =>
      send<DailyReport>(`/api/reports/${encodeURIComponent(unitCode)}/${day}/sign-off`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ level, version }),
      }),
    onSuccess: (report) => {
      client.setQueryData(reportQuery(unitCode, day).queryKey, report);
      void client.invalidateQueries({ queryKey: ['reports', 'compliance'] });
    },
  });
}

/** Signs off at a level every on-time report of the area not yet signed (late ones stay for one-by-one review). */
export function useBulkSignOff(area: string, day: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (level: SignOffLevel) =>
      send<BulkSignOffResult>('/api/reports/sign-off', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ area, day, level }),
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['reports'] }),
  });
}
