import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { ScreeningAccepted, ScreeningBatch, ScreeningList, ScreeningListQuery, ScreeningRejected, type RecordError } from '../contracts/screening.ts';
import type { Role } from '../contracts/auth.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import { dayOrToday } from '../infra/city-time.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
import { checkRecords, type CheckedRecord } from './screening-records.ts';
import { locateInJurisdiction } from '../areas/locate.ts';
import { importSheet, readUploadedSheet, registerSheetUploads, SheetRowErrorSchema, SheetUploadQuery } from '../sheets/index.ts';
import { screeningSheet, screeningTemplate } from './screening-sheet.ts';
import * as repo from './screening.repository.ts';

const reporterRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
/** An answer listing more problems than this helps nobody; the count says how many there were. */
const maxReportedErrors = 1000;

/** Finds each record's grid (from its site, grid code or position), inside the user's jurisdiction. */
async function locate(pool: Pool, user: AuthUser, records: CheckedRecord[]) {
  const places = await locateInJurisdiction(pool, { path: user.jurisdictionPath, code: user.jurisdictionCode }, records.map((r) => r.record));
  const errors: RecordError[] = [];
  const resolved: repo.ResolvedScreening[] = [];
  for (const [i, { index, record, day }] of records.entries()) {
    const place = places[i]!;
    if (!('gridCode' in place)) {
      errors.push({ index, id: record.id, field: place.field, message: place.message });
      continue;
    }
    const { gridCode } = place;
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
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  await registerSheetUploads(app);

  /**
   * Checks and locates records, and stores them: all or none (`all-or-nothing`), the good ones
   * (`valid-only`), or none at all (`check-only`, to report every problem of a file that has others).
   */
  async function ingest(user: AuthUser, raw: readonly unknown[], mode: 'all-or-nothing' | 'valid-only' | 'check-only') {
    const checked = checkRecords(raw, new Date(), config.cityTimeZone);
    const located = checked.valid.length ? await locate(pool, user, checked.valid) : { resolved: [], errors: [] };
    const errors = [...checked.errors, ...located.errors].sort((a, b) => a.index - b.index);
    if (mode === 'check-only' || (errors.length > 0 && mode === 'all-or-nothing')) return { accepted: 0, stored: false, errors };
    if (located.resolved.length === 0) return { accepted: 0, stored: true, errors };
    const newDays = [...new Set(located.resolved.map((r) => r.day))].filter((day) => !knownPartitions.has(day));
    if (newDays.length > 0) {
      await repo.ensurePartitions(pool, newDays);
      newDays.forEach((day) => knownPartitions.add(day));
    }
    const { accepted, changed, alertIds } = await repo.insertScreenings(pool, located.resolved, user.username);
    app.live.publishCounts(changed);
    if (alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, alertIds));
    return { accepted, stored: true, errors };
  }

  typed.post(
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
      const result = await ingest(user, records, 'all-or-nothing');
      if (!result.stored) {
        throw new AppError(
          400,
          'validation_failed',
          `${new Set(result.errors.map((e) => e.index)).size} of ${records.length} records are invalid; nothing was stored / 有错误记录，未保存任何记录`,
          result.errors.slice(0, maxReportedErrors),
        );
      }
      return { accepted: result.accepted, duplicates: records.length - result.accepted };
    },
  );

  typed.get(
    '/api/screenings',
    {
      schema: {
        tags: ['screening'],
        summary: 'The records behind a day\'s screening figures in an area, newest first (they name no one)',
        querystring: ScreeningListQuery,
        response: { 200: ScreeningList, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { area = user.jurisdictionCode, filter = 'all', limit = 50, offset = 0 } = request.query;
      const scope = await areaInScope(pool, user, area);
      const day = dayOrToday(request.query.day, config.cityTimeZone);
      const page = await repo.listScreenings(pool, { areaPath: scope.path, day, filter, limit, offset });
      return { ...page, limit, offset };
    },
  );

  typed.get(
    '/api/screenings/template.xlsx',
    { schema: { tags: ['screening'], summary: 'Excel template for screening records (Chinese headers, validated cells, instructions)', produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] } },
    async (request, reply) => {
      requireRole(request, reporterRoles, 'submit screening records');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="screening-template.xlsx"; filename*=UTF-8''${encodeURIComponent('筛查记录导入模板.xlsx')}`)
        .send(await screeningTemplate());
    },
  );

  typed.post(
    '/api/screenings/upload',
    {
      schema: {
        tags: ['screening'],
        summary: 'Upload screening records as .xlsx or .csv (multipart field `file`), with a per-row error report',
        description:
          'Headers in Chinese (as in the template) or English. A file with any bad row stores nothing and answers 400 with every problem as { row, field, reason }, '
          + 'unless `importValid=true`, which stores the good rows and lists the skipped ones. Rows without a record ID get one derived from their content, '
          + 'so uploading the same file again counts nothing twice.',
        consumes: ['multipart/form-data'],
        querystring: SheetUploadQuery,
        response: {
          200: Type.Object({ rows: Type.Integer(), accepted: Type.Integer(), duplicates: Type.Integer(), skipped: Type.Array(SheetRowErrorSchema) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          413: ErrorResponse,
        },
      },
    },
    async (request) => {
      const user = requireRole(request, reporterRoles, 'submit screening records');
      const sheet = await readUploadedSheet(request, screeningSheet, config.cityTimeZone);
      const { result, skipped, importedRows } = await importSheet(screeningSheet, sheet, request.query.importValid ?? false, (records, mode) => ingest(user, records, mode));
      return { rows: sheet.dataRows, accepted: result.accepted, duplicates: importedRows - result.accepted, skipped };
    },
  );
}
