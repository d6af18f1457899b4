import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { ScreeningAccepted, ScreeningBatch, ScreeningRejected, type RecordError } from '../contracts/screening.ts';
import type { Role } from '../contracts/auth.ts';
import { requireRole, type AuthUser } from '../auth/index.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { checkRecords, positionInWgs84, type CheckedRecord } from './screening-records.ts';
import * as repo from './screening.repository.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';

const reporterRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
/** An answer listing more problems than this helps nobody; the count says how many there were. */
const maxReportedErrors = 1000;

/** Finds each record's grid (from its site, grid code or position), inside the user's jurisdiction. */
async function locate(pool: Pool, user: AuthUser, records: CheckedRecord[]) {
  const scope = user.jurisdictionPath;
  const siteIds = [...new Set(records.flatMap((r) => (r.record.siteId === undefined ? [] : [r.record.siteId])))];
  const gridCodes = [...new Set(records.flatMap((r) => (r.record.grid === undefined ? [] : [r.record.grid])))];
  const positioned = records.filter((r) => r.record.position !== undefined);
  const [sites, grids, positionGrids] = await Promise.all([
    siteIds.length ? repo.siteGrids(pool, siteIds, scope) : new Map<number, string>(),
    gridCodes.length ? repo.gridsInScope(pool, gridCodes, scope) : new Set<string>(),
    positioned.length ? repo.gridsAtPositions(pool, positioned.map((r) => positionInWgs84(r.record.position!)), scope) : [],
  ]);
  const gridAtPosition = new Map(positioned.map((r, i) => [r.index, positionGrids[i] ?? null]));

  const errors: RecordError[] = [];
  const resolved: repo.ResolvedScreening[] = [];
  for (const { index, record, day } of records) {
    let gridCode: string | null | undefined;
    let field = 'grid';
    if (record.siteId !== undefined) {
      gridCode = sites.get(record.siteId);
      field = 'siteId';
    } else if (record.grid !== undefined) {
      gridCode = grids.has(record.grid) ? record.grid : undefined;
    } else {
      gridCode = gridAtPosition.get(index);
      field = 'position';
    }
    if (!gridCode) {
      errors.push({ index, id: record.id, field, message: `no ${field === 'grid' ? 'grid' : field === 'siteId' ? 'site' : 'grid at this position'} in your jurisdiction ${user.jurisdictionCode} / 管辖范围内无此${field === 'siteId' ? '场所' : '网格'}` });
      continue;
    }
    resolved.push({
      id: record.id,
      day,
      at: record.at,
      gridCode,
      siteId: record.siteId ?? null,
      temperature: record.temperature === undefined ? null : Math.round(record.temperature * 10) / 10,
      codeColour: record.codeColour,
      outcome: record.outcome,
      itineraryFlag: record.itineraryFlag ?? false,
    });
  }
  return { resolved, errors };
}

export default async function screeningRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const knownPartitions = new Set<string>();

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/screenings',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['screening'],
        summary: 'Store checkpoint / site screening records (1–10,000); retries of the same ids change nothing',
        description:
          'All or nothing: when any record is bad, none is stored and the answer lists every problem as { index, id, field, message }. '
          + 'Counts of every area (grid up to city) are updated in the same transaction; an answer means the records are committed.',
        body: ScreeningBatch,
        // 400 is ScreeningRejected for bad records, the plain error shape for a malformed body.
        response: { 200: ScreeningAccepted, 400: Type.Union([ScreeningRejected, ErrorResponse]), 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse },
      },
    },
    async (request) => {
      const user = requireRole(request, reporterRoles, 'submit screening records');
      const { records } = request.body;
      const checked = checkRecords(records, new Date(), config.cityTimeZone);
      const located = checked.valid.length ? await locate(pool, user, checked.valid) : { resolved: [], errors: [] };
      const errors = [...checked.errors, ...located.errors].sort((a, b) => a.index - b.index);
      if (errors.length > 0) {
        const shown = errors.slice(0, maxReportedErrors);
        throw new AppError(
          400,
          'validation_failed',
          `${new Set(errors.map((e) => e.index)).size} of ${records.length} records are invalid; nothing was stored / 有错误记录，未保存任何记录`,
          shown,
        );
      }
      const newDays = [...new Set(located.resolved.map((r) => r.day))].filter((day) => !knownPartitions.has(day));
      if (newDays.length > 0) {
        await repo.ensurePartitions(pool, newDays);
        newDays.forEach((day) => knownPartitions.add(day));
      }
      const { accepted, changed, alertIds } = await repo.insertScreenings(pool, located.resolved, user.username);
      app.live.publishCounts(changed);
      if (alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, alertIds));
      return { accepted, duplicates: records.length - accepted };
    },
  );
}
