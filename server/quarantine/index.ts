// Quarantine and health monitoring (隔离 / 健康监测): the regime catalogue, cases and their
// transitions, twice-daily temperature checks, releases due per grid, and the sweeper.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import type { Role } from '../contracts/auth.ts';
import {
  CaseEventBody,
  CaseList,
  CaseListQuery,
  CaseParams,
  CaseWriteResult,
  QuarantineCaseDetail,
  Regime,
  RegimeBody,
  RegimeList,
  RegimeListQuery,
  RegimeParams,
  ReleasesDue,
  ReleasesDueQuery,
  StartCaseBody,
  TemperatureCheckBatch,
  TemperatureChecksAccepted,
} from '../contracts/quarantine.ts';
import { RecordError } from '../contracts/screening.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import type { Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { cityDay } from '../infra/city-time.ts';
import { badRequest, conflict, notFound, validationFailed } from '../errors.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
import { caseDetail, maskedPerson, recordCaseEvent, recordTemperatureChecks, startCase, type WriteOutcome } from './cases.ts';
import { checkRegimePhases } from './regimes.ts';
import { isCalendarDay } from './schedule.ts';
import { sweepQuarantine } from './sweeper.ts';
import { schedulePeriodicSweep } from '../infra/periodic-sweep.ts';
import { caseWorkbook } from './case-sheet.ts';
import { exportMasked, maskPersonalFields, maskedExportNotice } from '../privacy/masking.ts';
import { getAreaRef } from '../areas/areas.repository.ts';
import { audit } from '../audit/index.ts';
import { ReasonQuery } from '../contracts/audit.ts';
import * as repo from './quarantine.repository.ts';

/** Who records cases, events and checks (inside their jurisdiction). */
const writerRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
/** The catalogue is city policy. */
const regimeEditors: ReadonlySet<Role> = new Set(['admin', 'command']);
/** Lists of people under measures: everyone but the wall display (masked unless the role has a duty, see privacy/masking.ts). */
const caseReaders: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker', 'team_leader']);

const maxExportRows = 10_000;
const { limit: _limit, offset: _offset, ...caseFilterProperties } = CaseListQuery.properties;
const CaseExportQuery = Type.Object({
  ...caseFilterProperties,
  unmasked: Type.Optional(Type.Boolean({ description: 'true: unmasked or refused (403); false: masked; absent: unmasked when you may' })),
});

/** What a list or export was filtered by, for the audit log. */
function caseFilters(q: Static<typeof CaseExportQuery>): Record<string, unknown> {
  const { reason: _reason, unmasked: _unmasked, ...filters } = q;
  return filters;
}

function checkedDay(day: string, field: string): string {
  if (!isCalendarDay(day)) throw badRequest(`${field} ${day} is not a calendar date (YYYY-MM-DD) / 日期无效`);
  return day;
}

export default async function quarantineRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const timeZone = config.cityTimeZone;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const writeErrors = { ...errors, 409: ErrorResponse, 422: ErrorResponse };
  const today = () => cityDay(new Date(), timeZone);

  /** After commit: the answer, and the live feed told which figures changed. */
  async function answerWrite(request: FastifyRequest, user: AuthUser, outcome: WriteOutcome) {
    app.live.publishCounts(outcome.changed);
    return { duplicate: outcome.duplicate, case: await shownCase(request, user, outcome.caseId, 'write') };
  }

  /** A case as the role may see it; an unmasked answer is written to the audit log. */
  async function shownCase(request: FastifyRequest, user: AuthUser, caseId: string, via: 'read' | 'write') {
    const detail = await caseDetail(pool, user, caseId, today());
    if (!detail) throw notFound(`No case ${caseId} in your jurisdiction / 管辖范围内无此案例`);
    if (!detail.person.masked) await audit(request, { action: 'personal_data.read', resource: 'quarantine_cases', resourceId: caseId, detail: { count: 1, via } });
    return detail;
  }

  /** The cases of a list or export query, inside the user's jurisdiction (or an area of it). */
  async function findCases(user: AuthUser, q: Static<typeof CaseListQuery>, limit: number, offset: number) {
    const scopePath = q.area ? (await areaInScope(pool, user, q.area)).path : user.jurisdictionPath;
    if (q.dueOn !== undefined) checkedDay(q.dueOn, 'dueOn');
    if (q.eventDay !== undefined) checkedDay(q.eventDay, 'eventDay');
    return repo.listCases(pool, {
      scopePath,
      today: today(),
      kind: q.kind,
      status: q.status ?? 'active',
      dueOn: q.dueOn,
      overdue: q.overdue,
      regime: q.regime,
      personId: q.personId,
      event: q.event,
      eventDay: q.eventDay,
      limit,
      offset,
    });
  }

  // ------------------------------------------------------------ regimes
  typed.get(
    '/api/quarantine/regimes',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'The regime catalogue ("7+7", "14-day home observation", ...): phases with kind, days and test days',
        querystring: RegimeListQuery,
        response: { 200: RegimeList, 401: ErrorResponse },
      },
    },
    async (request) => {
      currentUser(request);
      return { items: await repo.listRegimes(pool, request.query.includeInactive ?? true) };
    },
  );

  typed.put(
    '/api/quarantine/regimes/:code',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Create or replace a regime (admin, command). Cases already started keep their own copy of the phases',
        description: '1–5 phases, each centralised | home_quarantine | home_monitoring for 1–30 days, test days within the phase; '
          + 'the total (the sum of the phases) is at most 60 days. 201 when created, 200 when replaced.',
        params: RegimeParams,
        body: RegimeBody,
        response: { 200: Regime, 201: Regime, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, regimeEditors, 'edit the regime catalogue');
      const { problems, phases, totalDays } = checkRegimePhases(request.body.phases);
      if (problems.length > 0) throw validationFailed(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
      const active = request.body.active ?? true;
      if (!active) await refuseIfPolicyUses(request.params.code);
      const { regime, created } = await repo.upsertRegime(pool, {
        code: request.params.code, nameZh: request.body.nameZh, nameEn: request.body.nameEn, phases, totalDays, active,
      }, user.username);
      return reply.status(created ? 201 : 200).send(regime);
    },
  );

  async function refuseIfPolicyUses(code: string) {
    const levels = await repo.policiesUsingRegime(pool, code);
    if (levels.length > 0) {
      throw conflict(`The arrival policy for ${levels.join(', ')}-risk areas suggests ${code}: change the policy first / 该方案被到达政策引用，请先修改政策`);
    }
  }

  typed.delete(
    '/api/quarantine/regimes/:code',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Deactivate a regime (admin, command): it starts no new case; cases under it go on unchanged',
        params: RegimeParams,
        response: { 200: Regime, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, regimeEditors, 'edit the regime catalogue');
      if (!(await repo.findRegime(pool, request.params.code))) throw notFound(`No regime ${request.params.code} / 无此隔离方案`);
      await refuseIfPolicyUses(request.params.code);
      return (await repo.deactivateRegime(pool, request.params.code, user.username))!;
    },
  );

  // ------------------------------------------------------------ cases
  typed.post(
    '/api/quarantine/cases',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Start a quarantine or monitoring case for a person in your jurisdiction; a retried id changes nothing',
        description: 'The case is counted in the person\'s home grid. Day 1 is the start day; the planned release day is start + the regime\'s total days. '
          + 'placeSiteId (the hotel) is required when the first phase is centralised, responsible (五包一) when the regime has a home phase. '
          + '201 with the case; 200 with duplicate: true for a retry; 409 when the person already has an active case.',
        body: StartCaseBody,
        response: { 200: CaseWriteResult, 201: CaseWriteResult, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, writerRoles, 'start quarantine cases');
      const outcome = await startCase(pool, user, request.body, new Date(), timeZone);
      return reply.status(outcome.duplicate ? 200 : 201).send(await answerWrite(request, user, outcome));
    },
  );

  typed.get(
    '/api/quarantine/cases',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Cases in your jurisdiction (or an area of it): active first, earliest planned release first; personal data masked per role',
        querystring: CaseListQuery,
        response: { 200: CaseList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, caseReaders, 'see people under quarantine');
      const { items, total } = await findCases(user, request.query, request.query.limit ?? 50, request.query.offset ?? 0);
      const shown = items.map((c) => ({ ...c, person: maskedPerson(user.role, c.person) }));
      if (shown.length > 0 && !shown[0]!.person.masked) {
        await audit(request, { action: 'personal_data.read', resource: 'quarantine_cases', detail: { count: shown.length, total, filters: caseFilters(request.query) } });
      }
      return { items: shown, total };
    },
  );

  typed.get(
    '/api/quarantine/cases.xlsx',
    {
      schema: {
        tags: ['quarantine'],
        summary: `The cases of the list (same filters) as an Excel list, up to ${maxExportRows.toLocaleString('en')}; every export is audited`,
        description: 'Unmasked only for a role with the duty to see personal data and the right to export it (users.may_export_personal_data); '
          + 'otherwise masked, and the file says so on top. unmasked=true without both is 403; unmasked=false masks on request.',
        querystring: CaseExportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.Unknown({ description: 'the .xlsx file' }), ...errors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, caseReaders, 'export people under quarantine');
      const masked = exportMasked(user, request.query.unmasked);
      const { code } = await areaInScope(pool, user, request.query.area ?? user.jurisdictionCode);
      const area = (await getAreaRef(pool, code))!;
      const { items, total } = await findCases(user, request.query, maxExportRows, 0);
      const rows = masked ? items.map((c) => ({ ...c, person: maskPersonalFields(c.person) })) : items;
      const day = today();
      const file = `quarantine-cases-${area.code}-${day}.xlsx`;
      await audit(request, { action: 'export', resource: 'quarantine_cases', detail: { count: rows.length, total, masked, filters: caseFilters(request.query), file } });
      const subtitle = `导出日期：${day}　　导出人：${user.displayName}　　共 ${total} 人${total > rows.length ? `，导出前 ${rows.length} 人` : ''}`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${area.name}隔离管控人员名单-${day}.xlsx`)}`)
        .send(await caseWorkbook(`${area.name}隔离管控人员名单`, subtitle, masked ? maskedExportNotice : null, rows));
    },
  );

  typed.get(
    '/api/quarantine/cases/:id',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'One case with its phase schedule (days, test days), 五包一, events and temperature checks',
        params: CaseParams,
        querystring: ReasonQuery,
        response: { 200: QuarantineCaseDetail, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, caseReaders, 'see people under quarantine');
      return shownCase(request, user, request.params.id, 'read');
    },
  );

  typed.post(
    '/api/quarantine/cases/:id/events',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Record a transition: next_phase, extend (days), release (releaseNoticeNo), transfer (hospital); a retried id changes nothing',
        description: 'next_phase before the phase ends and release before the planned day need early: true and a note; '
          + 'next_phase from the last phase, or any event on a released or transferred case, is 409.',
        params: CaseParams,
        body: CaseEventBody,
        response: { 200: CaseWriteResult, 201: CaseWriteResult, ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, writerRoles, 'record quarantine events');
      const outcome = await recordCaseEvent(pool, user, request.params.id, request.body, new Date(), timeZone);
      return reply.status(outcome.duplicate ? 200 : 201).send(await answerWrite(request, user, outcome));
    },
  );

  typed.get(
    '/api/quarantine/releases-due',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Releases due on a day (default today) per grid of an area, with the overdue ones: counts only, no personal data',
        querystring: ReleasesDueQuery,
        response: { 200: ReleasesDue, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const area = await areaInScope(pool, user, request.query.area ?? user.jurisdictionCode);
      const day = request.query.day === undefined ? today() : checkedDay(request.query.day, 'day');
      return { area: area.code, day, ...(await repo.releasesDueByGrid(pool, area.code, area.path, day)) };
    },
  );

  // ------------------------------------------------------------ temperature checks
  typed.post(
    '/api/quarantine/temperature-checks',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['quarantine'],
        summary: 'Store temperature checks (1–1,000) of people under home measures; retries of the same ids change nothing',
        description: 'All or nothing: when any check is bad, none is stored and the answer lists every problem as { index, id, field, message }. '
          + 'The slot is morning before 13:00 city time, afternoon after. A check ≥ 37.3 °C raises an abnormal_temperature alert.',
        body: TemperatureCheckBatch,
        response: {
          200: TemperatureChecksAccepted,
          400: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), details: Type.Array(RecordError) }), ErrorResponse]),
          401: ErrorResponse,
          403: ErrorResponse,
          413: ErrorResponse,
        },
      },
    },
    async (request) => {
      const user = requireRole(request, writerRoles, 'record temperature checks');
      const outcome = await recordTemperatureChecks(pool, user, request.body.checks, new Date(), timeZone);
      if (outcome.alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, outcome.alertIds));
      return { accepted: outcome.accepted, duplicates: outcome.duplicates, alerts: outcome.alertIds.length };
    },
  );

  schedulePeriodicSweep(app, pool, {
    name: 'quarantine',
    intervalSeconds: config.sweepIntervalSeconds,
    sweep: (now, client) => sweepQuarantine(client, now, timeZone),
  });
}
