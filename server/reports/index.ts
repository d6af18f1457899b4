// Daily reports (日报告 / 零报告): submission and correction, pre-filled figures, sign-off,
// compliance and on-time rates, roll-up against live data, Excel in and out, the sweeper's
// reminders and escalation, and the four ledgers (台账) over the people registry.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import type { Role } from '../contracts/auth.ts';
import {
  AreaQuery, BulkSignOffBody, ExportQuery, BulkSignOffResult, Compliance, ReportSettings, SettingsQuery, ComplianceQuery, DailyReport, DeadlineBody, DeadlineParams, DeadlineView, Ledger, LedgerParams, LedgerQuery,
  OnTimeRate, OnTimeRateQuery, ReportFigures, ReportParams, ReportPrefill, ReportSubmission, Rollup, SignOffBody, UnitBody, UnitParams,
  UnitView, ledgerKinds, ledgerReaderRoles, reportFigureKeys, signOffRoles,
  type ComplianceCounts, type FigureSums, type Inconsistency, type LedgerKind, type ReportFigureKey,
} from '../contracts/reports.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import { pathWithin } from '../areas/areas.repository.ts';
import { cityDay, dayOrToday } from '../infra/city-time.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import { schedulePeriodicSweep } from '../infra/periodic-sweep.ts';
import type { Config } from '../config.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { countsForAreas } from '../stats/stats.repository.ts';
import { exportMasked, maskPersonalFields, maskedExportNotice, seesPersonalData } from '../privacy/masking.ts';
import { audit } from '../audit/index.ts';
import { importSheet, readUploadedSheet, registerSheetUploads } from '../sheets/index.ts';
import { cityStamp, dailyExport, figureLabels, ledgerExport, reportSheet, reportTemplate } from './report-sheet.ts';
import { publishReportStatus, sweepAndPublish } from './sweeper.ts';
import { checkSubmission, zeroFigures } from './report-checks.ts';
import * as repo from './reports.repository.ts';

const submitterRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
const configRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official']);
const signerRoles = { street: new Set(signOffRoles.street), district: new Set(signOffRoles.district) } as const;
const ledgerRoles: ReadonlySet<Role> = new Set(ledgerReaderRoles);
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const maxRateDays = 366;
/** How far back a report may be submitted or corrected. */
const maxReportAgeDays = 366;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const attachment = (ascii: string, zh: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

export default async function reportsRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const tz = config.cityTimeZone;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  await registerSheetUploads(app);

  /** The unit, inside the user's jurisdiction (404 unknown, 403 outside). */
  async function unitInScope(user: AuthUser, code: string): Promise<repo.UnitRow> {
    const unit = await repo.findUnit(pool, code);
    if (!unit) throw notFound(`No reporting unit ${code} / 无此报告单位`);
    if (!pathWithin(unit.areaPath, user.jurisdictionPath)) throw forbidden(`Unit ${code} is outside your jurisdiction / 超出管辖范围`);
    return unit;
  }

  function reportDay(day: string, now: Date): string {
    dayOrToday(day, tz);
    const today = cityDay(now, tz);
    if (day > addDays(today, 1)) throw badRequest(`${day} is in the future: reports are for today or earlier / 不能报送未来日期`);
    if (day < addDays(today, -maxReportAgeDays)) throw badRequest(`${day} is more than ${maxReportAgeDays} days ago / 超出可报送期限`);
    return day;
  }

  const publishStatus = (changes: ReadonlyArray<{ areaPath: string; day: string }>, now: Date) => publishReportStatus(app, pool, changes, now, tz);

  async function submit(user: AuthUser, unit: repo.UnitRow, day: string, submissionId: string, content: { zero: boolean; figures: ReportFigures }, channel: 'api' | 'sheet') {
    const now = new Date();
    const outcome = await withTransaction(pool, (client) =>
      repo.saveReport(client, { unit, day, submissionId, zero: content.zero, figures: content.figures, channel, by: user.username }, now, tz));
    if (outcome === 'conflict') throw conflict(`Submission ${submissionId} was already used for another report / 该提交编号已用于其他报告`);
    if (outcome !== 'duplicate') await publishStatus([{ areaPath: unit.areaPath, day }], now);
    const report = (await repo.findReport(pool, unit.code, day, true))!;
    return { ...report, duplicate: outcome === 'duplicate' };
  }

  async function prefill(unit: repo.UnitRow, day: string): Promise<{ figures: ReportFigures; sources: Record<string, string> }> {
    if (unit.siteId !== null) {
      return { figures: zeroFigures(), sources: { all: 'a site\'s figures are not kept in the registry: fill them in / 场所无系统数据，请填写' } };
    }
    const [[counts], arrivals] = await Promise.all([
      countsForAreas(pool, [unit.areaCode], day),
      repo.registryArrivals(pool, [unit.areaPath], day, tz),
    ]);
    const a = arrivals.get(unit.areaPath) ?? { big_data_check: 0, overseas_arrival: 0, risk_area_arrival: 0, out_of_province_returnee: 0 };
    const c = counts!.counts;
    const figures: ReportFigures = {
      arrivalsOverseas: a.overseas_arrival,
      arrivalsRiskArea: a.risk_area_arrival,
      arrivalsOutOfProvince: a.out_of_province_returnee,
      bigDataChecks: a.big_data_check,
      centralised: c.centralised,
      homeQuarantine: c.homeQuarantine,
      homeMonitoring: c.homeMonitoring,
      released: c.released,
      abnormal: c.abnormalTemp + c.redCode + c.testsPositive,
    };
    return {
      figures,
      sources: {
        arrivals: 'people registry: registered that day by category / 人员登记（当日，按类别）',
        measures: 'live figures: people under each measure at the end of the day / 实时统计（当日在管人数）',
        released: 'live figures: releases that day / 实时统计（当日解除）',
        abnormal: 'live figures: abnormal temperatures + red codes + positive results that day / 体温异常+红码+阳性',
      },
    };
  }

  async function compliance(scope: { code: string; path: string }, day: string, now: Date) {
    const [area, units] = await Promise.all([repo.areaWithChildren(pool, scope.code), repo.unitStatuses(pool, scope.path, day, now, tz)]);
    const empty = (): ComplianceCounts => ({ expected: 0, reported: 0, onTime: 0, late: 0, missing: 0, pending: 0, zero: 0, streetSigned: 0, districtSigned: 0 });
    const totals = empty();
    const byChild = new Map(area.children.map((c) => [c.code, { area: c.code, name: c.name, level: c.level, ...empty() }]));
    const depth = scope.path.split('.').length;
    for (const u of units) {
      const child = byChild.get(u.areaPath.split('.')[depth] ?? '');
      for (const counts of child ? [totals, child] : [totals]) {
        counts.expected++;
        if (u.status === 'on_time') counts.onTime++;
        else if (u.status === 'late') counts.late++;
        else if (u.status === 'missing') counts.missing++;
        else counts.pending++;
        if (u.status === 'on_time' || u.status === 'late') counts.reported++;
        if (u.zero) counts.zero++;
        if (u.streetSigned) counts.streetSigned++;
        if (u.districtSigned) counts.districtSigned++;
      }
    }
    return {
      area: scope.code,
      name: area.name,
      day,
      at: now.toISOString(),
      totals,
      children: [...byChild.values()],
      units: units.map(({ areaPath: _path, ...u }) => u),
    };
  }

  async function rollup(scope: { code: string; path: string }, day: string) {
    const [area, reports, units] = await Promise.all([
      repo.areaWithChildren(pool, scope.code),
      repo.reportsInArea(pool, scope.path, day),
      repo.unitStatuses(pool, scope.path, day, new Date(), tz),
    ]);
    const depth = scope.path.split('.').length;
    const sums = repo.zeroSums();
    const children = new Map(area.children.map((c) => [c.code, { area: c.code, name: c.name, level: c.level, reports: 0, expected: 0, sums: repo.zeroSums() }]));
    for (const u of units) {
      const child = children.get(u.areaPath.split('.')[depth] ?? '');
      if (child) child.expected++;
    }
    const add = (target: FigureSums, f: ReportFigures) => {
      for (const k of reportFigureKeys) target[k] += Number(f[k] ?? 0);
    };
    for (const r of reports) {
      add(sums, r.figures);
      const child = children.get(r.areaPath.split('.')[depth] ?? '');
      if (child) {
        child.reports++;
        add(child.sums, r.figures);
      }
    }
    // Live data is compared for area units only: a site's people are counted in their home grids.
    const areaReports = reports.filter((r) => r.siteId === null);
    const [counts, arrivals] = areaReports.length
      ? await Promise.all([countsForAreas(pool, areaReports.map((r) => r.areaCode), day), repo.registryArrivals(pool, areaReports.map((r) => r.areaPath), day, tz)])
      : [[], new Map()];
    const inconsistencies: Inconsistency[] = [];
    areaReports.forEach((r, i) => {
      const c = counts[i]!.counts;
      const a = arrivals.get(r.areaPath) ?? { big_data_check: 0, overseas_arrival: 0, risk_area_arrival: 0, out_of_province_returnee: 0 };
      const registry: Partial<Record<ReportFigureKey, number>> = {
        centralised: c.centralised, homeQuarantine: c.homeQuarantine, homeMonitoring: c.homeMonitoring,
        arrivalsOverseas: a.overseas_arrival, arrivalsRiskArea: a.risk_area_arrival, arrivalsOutOfProvince: a.out_of_province_returnee,
        bigDataChecks: a.big_data_check,
      };
      for (const [field, held] of Object.entries(registry) as Array<[ReportFigureKey, number]>) {
        const reported = r.figures[field];
        if (reported < held) {
          const child = r.areaPath.split('.')[depth];
          inconsistencies.push({
            unitCode: r.unitCode, name: r.name, child: child !== undefined && children.has(child) ? child : null, field, reported, registry: held,
            message: `上报${figureLabels[field].zh} ${reported} 人，少于系统登记 ${held} 人 / reports ${reported}, fewer than the ${held} the registry holds`,
          });
        }
      }
    });
    const result = { area: scope.code, name: area.name, level: area.level, day, reports: reports.length, expected: units.length, sums, children: [...children.values()], inconsistencies };
    return { result, figuresOf: new Map(reports.map((r) => [r.unitCode, r.figures])) };
  }

  typed.put(
    '/api/reports/:unitCode/:day',
    {
      schema: {
        tags: ['reports'],
        summary: 'Submit (or correct) a unit\'s daily report: figures, or { zero: true } for a zero report',
        description: 'One report per unit per day: a resubmission is a correction (version + 1, kept with who and when; sign-offs cleared). '
          + 'Timeliness is the first submission\'s against the deadline in the city\'s time zone. A retried submissionId changes nothing (duplicate: true).',
        params: ReportParams,
        body: ReportSubmission,
        response: { 200: DailyReport, ...errors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const user = requireRole(request, submitterRoles, 'submit daily reports');
      const { unitCode, day } = request.params;
      reportDay(day, new Date());
      const unit = await unitInScope(user, unitCode);
      const checked = checkSubmission(request.body);
      if ('errors' in checked) throw new AppError(400, 'validation_failed', `The report is invalid: ${checked.errors.map((e) => e.field).join(', ')} / 报告内容有误`, checked.errors);
      return submit(user, unit, day, request.body.submissionId, checked, 'api');
    },
  );

  typed.get(
    '/api/reports/:unitCode/:day',
    { schema: { tags: ['reports'], summary: 'A unit\'s report for a day, with every version', params: ReportParams, response: { 200: DailyReport, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const { unitCode, day } = request.params;
      dayOrToday(day, tz);
      await unitInScope(user, unitCode);
      const report = await repo.findReport(pool, unitCode, day, true);
      if (!report) throw notFound(`Unit ${unitCode} has not reported for ${day} / 该单位当日未报送`);
      // Free-text notes may name people: the wall display, which never shows a person, does not get them.
      if (user.role === 'wall') {
        const { notes: _n, ...figures } = report.figures;
        return { ...report, figures, versions: report.versions?.map(({ figures: { notes: _v, ...f }, ...v }) => ({ ...v, figures: f })) };
      }
      return report;
    },
  );

  typed.get(
    '/api/reports/:unitCode/:day/prefill',
    { schema: { tags: ['reports'], summary: 'The figures the system knows for the unit\'s day (live figures and the people registry), to confirm or correct', params: ReportParams, response: { 200: ReportPrefill, ...errors } } },
    async (request) => {
      const user = requireRole(request, submitterRoles, 'submit daily reports');
      const { unitCode, day } = request.params;
      dayOrToday(day, tz);
      const unit = await unitInScope(user, unitCode);
      return { unitCode, day, ...(await prefill(unit, day)) };
    },
  );

  typed.post(
    '/api/reports/:unitCode/:day/sign-off',
    {
      schema: {
        tags: ['reports'],
        summary: 'Sign a report off: the street office, then the district (who and when are kept)',
        params: ReportParams,
        body: SignOffBody,
        response: { 200: DailyReport, ...errors, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { level } = request.body;
      const user = requireRole(request, signerRoles[level], `sign reports off for the ${level}`);
      const { unitCode, day } = request.params;
      dayOrToday(day, tz);
      const unit = await unitInScope(user, unitCode);
      const now = new Date();
      const { signed, skipped } = await withTransaction(pool, async (client) => {
        const version = request.body.version;
        if (version !== undefined) {
          const current = await repo.lockReportVersion(client, unitCode, day);
          if (current !== undefined && current !== version) {
            throw conflict(`The report was corrected since it was read (version ${current}, not ${version}) / 报告已更正，请重新核对后再审核`);
          }
        }
        return repo.signOffMany(client, { scopePath: null, day, level, units: [unitCode] }, user.username, now);
      });
      const reason = skipped[0]?.reason;
      if (reason === 'no_report') throw notFound(`Unit ${unitCode} has not reported for ${day} / 该单位当日未报送`);
      if (reason === 'street_first') throw conflict('The street office signs first / 须先经街道审核');
      if (signed.length > 0) await publishStatus([{ areaPath: unit.areaPath, day }], now);
      return (await repo.findReport(pool, unitCode, day, true))!;
    },
  );

  typed.post(
    '/api/reports/sign-off',
    {
      schema: {
        tags: ['reports'],
        summary: 'Sign off many reports of a day at once: the units named, or every on-time report of the area not yet signed at the level',
        description: 'One transaction. Without `units`, late reports are left for one-by-one review, and the district level takes only street-signed reports. '
          + 'With `units`, each one is signed or listed in `skipped` with the reason (no_report, already, street_first, outside_area).',
        body: BulkSignOffBody,
        response: { 200: BulkSignOffResult, ...errors },
      },
    },
    async (request) => {
      const { level, area, units = null } = request.body;
      const user = requireRole(request, signerRoles[level], `sign reports off for the ${level}`);
      const scope = await areaInScope(pool, user, area);
      const day = dayOrToday(request.body.day, tz);
      const now = new Date();
      const result = await withTransaction(pool, (client) => repo.signOffMany(client, { scopePath: scope.path, day, level, units }, user.username, now));
      if (result.signed.length > 0) await publishStatus([{ areaPath: scope.path, day }], now);
      return { level, ...result };
    },
  );

  typed.get(
    '/api/reports/:unitCode/:day/template.xlsx',
    { schema: { tags: ['reports'], summary: 'The unit\'s report template for the day (.xlsx, Chinese headers, validated cells), pre-filled with the stored report or the live figures', params: ReportParams, produces: [xlsx] } },
    async (request, reply) => {
      const user = requireRole(request, submitterRoles, 'submit daily reports');
      const { unitCode, day } = request.params;
      dayOrToday(day, tz);
      const unit = await unitInScope(user, unitCode);
      const stored = await repo.findReport(pool, unitCode, day);
      const figures = stored?.figures ?? (await prefill(unit, day)).figures;
      return reply.type(xlsx)
        .header('Content-Disposition', attachment(`report-${unitCode}-${day}.xlsx`, `${unit.name}日报-${day}.xlsx`))
        .send(await reportTemplate({ code: unit.code, name: unit.name }, day, figures, stored?.zero ?? false));
    },
  );

  typed.post(
    '/api/reports/:unitCode/:day/upload',
    {
      schema: {
        tags: ['reports'],
        summary: 'Submit the unit\'s report as the filled template (.xlsx or .csv, multipart field `file`); problems come back per cell',
        description: 'The file holds one row for this unit and day. Problems answer 400 with { row, field, reason } for each cell. '
          + 'Uploading the same file again changes nothing (its submission id is derived from the content).',
        consumes: ['multipart/form-data'],
        params: ReportParams,
        response: { 200: DailyReport, ...errors, 409: ErrorResponse, 413: ErrorResponse },
      },
    },
    async (request) => {
      const user = requireRole(request, submitterRoles, 'submit daily reports');
      const { unitCode, day } = request.params;
      reportDay(day, new Date());
      const unit = await unitInScope(user, unitCode);
      const sheet = await readUploadedSheet(request, reportSheet, tz);
      let saved: Awaited<ReturnType<typeof submit>> | undefined;
      await importSheet(reportSheet, sheet, false, async (records, mode) => {
        const problems: Array<{ index: number; field: string; message: string }> = [];
        const checked = records.map((record, index) => {
          if (record.unitCode !== unitCode) problems.push({ index, field: 'unitCode', message: `应为 ${unitCode} / must be ${unitCode}` });
          if (record.day !== day) problems.push({ index, field: 'day', message: `应为 ${day} / must be ${day}` });
          const result = checkSubmission(record as { zero?: boolean; figures?: unknown; notes?: string });
          if ('errors' in result) problems.push(...result.errors.map((e) => ({ index, ...e })));
          return result;
        });
        if (problems.length > 0 || mode === 'check-only') return { stored: false, errors: problems };
        const content = checked[0] as { zero: boolean; figures: ReportFigures };
        saved = await submit(user, unit, day, String(records[0]!.id), content, 'sheet');
        return { stored: true, errors: [] };
      });
      return saved!;
    },
  );

  typed.get(
    '/api/reports/compliance',
    {
      schema: {
        tags: ['reports'],
        summary: 'Which units have reported for a day: totals, per child area, and each unit\'s status (on time, late, missing, pending)',
        querystring: ComplianceQuery,
        response: { 200: Compliance, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { area = user.jurisdictionCode, status = 'all' } = request.query;
      const scope = await areaInScope(pool, user, area);
      const day = dayOrToday(request.query.day, tz);
      const result = await compliance(scope, day, new Date());
      if (status !== 'all') result.units = result.units.filter((u) => (status === 'unreported' ? u.status === 'missing' || u.status === 'pending' : u.status === status));
      return result;
    },
  );

  typed.get(
    '/api/reports/on-time-rate',
    {
      schema: {
        tags: ['reports'],
        summary: 'Reporting and on-time rates over a period, for the area and each child area (DHIS2: expected, on time, late)',
        querystring: OnTimeRateQuery,
        response: { 200: OnTimeRate, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { area = user.jurisdictionCode } = request.query;
      const scope = await areaInScope(pool, user, area);
      const from = dayOrToday(request.query.from, tz);
      const asked = dayOrToday(request.query.to, tz);
      if (asked < from) throw badRequest('to is before from / 结束日期早于开始日期');
      if (daysBetween(from, asked) + 1 > maxRateDays) throw badRequest(`At most ${maxRateDays} days / 最多 ${maxRateDays} 天`);
      const today = cityDay(new Date(), tz);
      const to = asked > today ? today : asked;
      const days = to < from ? 0 : daysBetween(from, to) + 1;
      const rows = (await repo.reportingRates(pool, scope.code, from, to, request.query.level ?? null)).map((r) => {
        const expected = r.units * days;
        return {
          area: r.area, name: r.name, level: r.level as 'city', expected, reported: r.reported, onTime: r.onTime, late: r.reported - r.onTime,
          reportingRate: rate(r.reported, expected), onTimeRate: rate(r.onTime, expected),
        };
      });
      return { area: scope.code, from, to, days, total: rows[0]!, rows: rows.slice(1) };
    },
  );

  typed.get(
    '/api/reports/rollup',
    {
      schema: {
        tags: ['reports'],
        summary: 'The area\'s report for a day as the sums of its units\' reports, per child area, with inconsistencies against live data flagged',
        querystring: AreaQuery,
        response: { 200: Rollup, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const scope = await areaInScope(pool, user, request.query.area ?? user.jurisdictionCode);
      return (await rollup(scope, dayOrToday(request.query.day, tz))).result;
    },
  );

  typed.get(
    '/api/reports/export.xlsx',
    { schema: { tags: ['reports'], summary: 'The area\'s daily report as a printable workbook: summary by child area, every unit (late and missing highlighted), checks against live data', querystring: ExportQuery, produces: [xlsx] } },
    async (request, reply) => {
      const user = requireRole(request, ledgerRoles, 'export daily reports');
      const scope = await areaInScope(pool, user, request.query.area ?? user.jurisdictionCode);
      const day = dayOrToday(request.query.day, tz);
      const [status, rolled] = await Promise.all([compliance(scope, day, new Date()), rollup(scope, day)]);
      const file = await dailyExport(status, rolled.result, rolled.figuresOf, tz);
      await audit(request, { action: 'export', resource: 'daily_report', resourceId: `${scope.code}/${day}`, detail: { format: 'xlsx', area: scope.code, day, rows: status.units.length } });
      return reply.type(xlsx)
        .header('Content-Disposition', attachment(`daily-report-${scope.code}-${day}.xlsx`, `${status.name}日报-${day}.xlsx`))
        .send(file);
    },
  );

  // ---- deadlines and units ----

  typed.get(
    '/api/reports/deadlines/:areaCode',
    { schema: { tags: ['reports'], summary: 'The reporting deadline in force for an area (its own, the nearest ancestor\'s, or 09:00)', params: DeadlineParams, response: { 200: DeadlineView, ...errors } } },
    async (request) => {
      const scope = await areaInScope(pool, currentUser(request), request.params.areaCode);
      return { area: scope.code, ...(await repo.effectiveDeadline(pool, scope.code))! };
    },
  );

  typed.get(
    '/api/reports/settings',
    { schema: { tags: ['reports'], summary: 'The deadline in force for an area, and the deadlines and units set in it', querystring: SettingsQuery, response: { 200: ReportSettings, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const scope = await areaInScope(pool, user, request.query.area ?? user.jurisdictionCode);
      const [deadline, settings] = await Promise.all([repo.effectiveDeadline(pool, scope.code), repo.settingsInArea(pool, scope.path)]);
      return { area: scope.code, deadline: { area: scope.code, ...deadline! }, ...settings };
    },
  );

  typed.put(
    '/api/reports/deadlines/:areaCode',
    { schema: { tags: ['reports'], summary: 'Set the deadline for an area and everything under it that sets none nearer', params: DeadlineParams, body: DeadlineBody, response: { 200: DeadlineView, ...errors } } },
    async (request) => {
      const user = requireRole(request, configRoles, 'set reporting deadlines');
      const scope = await areaInScope(pool, user, request.params.areaCode);
      await repo.setDeadline(pool, scope.code, scope.path, request.body.deadline, user.username);
      return { area: scope.code, ...(await repo.effectiveDeadline(pool, scope.code))! };
    },
  );

  typed.delete(
    '/api/reports/deadlines/:areaCode',
    { schema: { tags: ['reports'], summary: 'Remove an area\'s own deadline: it inherits again', params: DeadlineParams, response: { 200: DeadlineView, ...errors } } },
    async (request) => {
      const user = requireRole(request, configRoles, 'set reporting deadlines');
      const scope = await areaInScope(pool, user, request.params.areaCode);
      await repo.clearDeadline(pool, scope.code);
      return { area: scope.code, ...(await repo.effectiveDeadline(pool, scope.code))! };
    },
  );

  typed.put(
    '/api/reports/units/:code',
    {
      schema: {
        tags: ['reports'],
        summary: 'Make an area (any level) or a site (site-<id>) a reporting unit, or stop one (active: false)',
        params: UnitParams,
        body: UnitBody,
        response: { 200: Type.Union([UnitView, Type.Object({ code: Type.String(), active: Type.Literal(false) })]), ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, configRoles, 'configure reporting units');
      const { code } = request.params;
      const place = await repo.unitPlace(pool, code);
      if (!place) throw notFound(`No area or site ${code} / 无此区划或场所`);
      if (place.path === null) throw badRequest(`Site ${code} lies in no grid and cannot report / 该场所不在任何网格内`);
      if (!pathWithin(place.path, user.jurisdictionPath)) throw forbidden(`${code} is outside your jurisdiction / 超出管辖范围`);
      await repo.setUnit(pool, code, place, request.body.active, user.username);
      const unit = await repo.findUnit(pool, code);
      if (!unit) return { code, active: false as const };
      const deadline = await repo.unitDeadline(pool, unit.areaPath, cityDay(new Date(), tz), tz);
      return { code, active: true, name: unit.name, kind: unit.kind, areaCode: unit.areaCode, deadline: cityStamp(deadline.toISOString(), tz).slice(11) };
    },
  );

  // ---- ledgers ----

  typed.get(
    '/api/ledgers/:kind',
    {
      schema: {
        tags: ['reports'],
        summary: 'A ledger (台账) of the people registry: big_data_check, overseas_arrival, risk_area_arrival, out_of_province_returnee; append .xlsx for Excel',
        description: 'JSON: personal fields masked unless the role has the duty to see them; the wall display is refused. '
          + '.xlsx (up to 50,000 rows): unmasked only for a user with that duty and the right to export personal data, masked for the others; '
          + '`personal=unmasked` without both is 403. Every export, and every unmasked read, is written to the audit log.',
        params: LedgerParams,
        querystring: LedgerQuery,
        response: { 200: Type.Union([Ledger, Type.Unknown({ description: 'the .xlsx file' })]), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, ledgerRoles, 'read ledgers');
      const asExcel = request.params.kind.endsWith('.xlsx');
      const kind = request.params.kind.replace(/\.xlsx$/, '') as LedgerKind;
      if (!ledgerKinds.includes(kind)) throw notFound(`No ledger ${kind} / 无此台账`);
      const { area = user.jurisdictionCode, limit = 100, offset = 0, unmasked: asked } = request.query;
      // An export carries personal data in clear only with the duty to see it and the right to export it (403 if asked for without).
      const masked = asExcel ? exportMasked(user, asked) : !seesPersonalData(user.role);
      const scope = await areaInScope(pool, user, area);
      const from = request.query.from === undefined ? null : dayOrToday(request.query.from, tz);
      const to = request.query.to === undefined ? null : dayOrToday(request.query.to, tz);
      if (from && to && to < from) throw badRequest('to is before from / 结束日期早于开始日期');
      const page = await repo.ledgerEntries(pool, { kind, scopePath: scope.path, from, to, limit: asExcel ? 50_000 : limit, offset: asExcel ? 0 : offset, timeZone: tz });
      const items = page.items.map((e) => (masked ? maskPersonalFields(e) : { ...e, masked: false }));
      const filters = { area: scope.code, from, to };
      if (asExcel) {
        const { name } = await repo.areaWithChildren(pool, scope.code);
        const period = from || to ? `日期：${from ?? '…'} 至 ${to ?? '…'}` : '全部日期';
        const file = await ledgerExport(kind, name, period, items, cityStamp(new Date().toISOString(), tz), masked ? maskedExportNotice : null);
        await audit(request, { action: 'export', resource: `ledger:${kind}`, detail: { format: 'xlsx', ...filters, masked, rows: items.length } });
        return reply.type(xlsx)
          .header('Content-Disposition', attachment(`ledger-${kind}-${scope.code}.xlsx`, `${name}台账-${kind}.xlsx`))
          .send(file);
      }
      if (!masked && items.length > 0) {
        await audit(request, { action: 'personal_data.read', resource: `ledger:${kind}`, detail: { ...filters, limit, offset, rows: items.length } });
      }
      return { kind, area: scope.code, from, to, total: page.total, limit, offset, items, exportUnmasked: !exportMasked(user, undefined) };
    },
  );

  // Reminders before the deadline, escalation after it; `reports:updated` where units turned missing.
  schedulePeriodicSweep(app, pool, {
    name: 'daily-reports',
    intervalSeconds: config.sweepIntervalSeconds,
    sweep: async (now, client) => ({ alertIds: (await sweepAndPublish(app, client, now, tz)).alertIds }),
  });
}
