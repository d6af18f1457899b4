// 人员登记: the registry of people under management, and the arrival policy that suggests a regime
// for arrivals from medium/high-risk areas (the worker confirms it by starting a case).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import { roles, type Role } from '../contracts/auth.ts';
import {
  ArrivalPolicies,
  ArrivalPolicy,
  ArrivalPolicyInput,
  ArrivalPolicyParams,
  PeopleAccepted,
  PeopleBatch,
  PeopleList,
  PeopleQuery,
  PeopleRejected,
  PersonDetail,
  PersonParams,
  PersonPatch,
  SuggestedRegime,
  arrivalRiskWindowDays,
  personCategories,
} from '../contracts/people.ts';
import type { RecordError } from '../contracts/screening.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { cityDay } from '../infra/city-time.ts';
import { AppError, badRequest, notFound, validationFailed } from '../errors.ts';
import { maskName, personalFieldsFor, seesPersonalData } from '../privacy/masking.ts';
import { audit } from '../audit/index.ts';
import { ReasonQuery } from '../contracts/audit.ts';
import { addAreaDayCounts } from '../stats/stats.repository.ts';
import { locateInJurisdiction } from '../areas/locate.ts';
import { blankToNull, checkPeople, type CheckedPerson } from './people-records.ts';
import { suggestRegime } from './arrival-policy.ts';
import * as repo from './people.repository.ts';

const writerRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
/** Everyone but the wall display, which shows counts and never a person. */
const readerRoles: ReadonlySet<Role> = new Set(roles.filter((role) => role !== 'wall'));
const policyEditorRoles: ReadonlySet<Role> = new Set(['admin', 'command']);
const knownCategories: ReadonlySet<string> = new Set(personCategories);

/** YYYY-MM-DD n days before a day (calendar arithmetic, no time zone involved). */
function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/** Finds each person's home grid (by code or position) inside the writer's jurisdiction, and checks named risk areas exist. */
async function locate(pool: Pool, user: AuthUser, people: CheckedPerson[]) {
  const riskAreaIds = [...new Set(people.flatMap((p) => p.travel.flatMap((s) => (s.riskAreaId === null ? [] : [s.riskAreaId]))))];
  const [places, riskAreas] = await Promise.all([
    locateInJurisdiction(
      pool,
      { path: user.jurisdictionPath, code: user.jurisdictionCode },
      // positions are already in WGS-84 (people-records)
      people.map((p) => ({ grid: p.input.grid, position: p.position ? { lon: p.position[0], lat: p.position[1] } : undefined })),
    ),
    riskAreaIds.length ? repo.existingRiskAreaIds(pool, riskAreaIds) : new Set<number>(),
  ]);

  const errors: RecordError[] = [];
  const resolved: Array<repo.ResolvedPerson & { index: number }> = [];
  for (const [i, person] of people.entries()) {
    const { index, input } = person;
    const before = errors.length;
    const place = places[i]!;
    const gridCode = 'gridCode' in place ? place.gridCode : undefined;
    if (!('gridCode' in place)) errors.push({ index, id: input.id, field: place.field, message: place.message });
    person.travel.forEach((stop, i) => {
      if (stop.riskAreaId !== null && !riskAreas.has(stop.riskAreaId)) {
        errors.push({ index, id: input.id, field: `travel.${i}.riskAreaId`, message: `无此风险区 / no risk area ${stop.riskAreaId}` });
      }
    });
    if (errors.length > before || !gridCode) continue;
    resolved.push({
      index,
      id: input.id.toLowerCase(),
      name: person.name,
      idType: person.idType,
      idNumber: person.idNumber,
      phone: blankToNull(input.phone),
      address: blankToNull(input.address),
      gridCode,
      category: input.category,
      healthCode: input.healthCode ?? 'green',
      arrivedOn: input.arrivedOn ?? null,
      origin: blankToNull(input.origin),
      note: blankToNull(input.note),
      travel: person.travel,
    });
  }
  return { resolved, errors };
}

export default async function peopleRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const today = () => cityDay(new Date(), config.cityTimeZone);

  /** A stored person as the user's role may see them: personal fields masked, free-text note withheld. */
  function forRole<T extends repo.StoredSummary & { note?: string | null }>(user: AuthUser, person: T) {
    const shown = personalFieldsFor(user.role, person);
    return shown.masked && 'note' in shown ? { ...shown, note: null } : shown;
  }

  typed.post(
    '/api/people',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['people'],
        summary: 'Register people under management (1–1,000); retries of the same ids change nothing',
        description:
          'All or nothing: when any record is bad none is stored, and the answer lists every problem as { index, id, field, message }. '
          + 'An ID number already registered under another id is a 409 naming the record. Travel within the 14 days before arrival that touched '
          + 'a medium/high risk area sets riskAreaLevel and counts the arrival (riskAreaArrivals) on the arrival day, in the same transaction.',
        body: PeopleBatch,
        response: { 200: PeopleAccepted, 400: Type.Union([PeopleRejected, ErrorResponse]), 401: ErrorResponse, 403: ErrorResponse, 409: PeopleRejected, 413: ErrorResponse },
      },
    },
    async (request) => {
      const user = requireRole(request, writerRoles, 'register people');
      const { people } = request.body;
      const day = today();
      const checked = checkPeople(people, day);
      const located = checked.valid.length ? await locate(pool, user, checked.valid) : { resolved: [], errors: [] };
      const problems = [...checked.errors, ...located.errors].sort((a, b) => a.index - b.index);
      if (problems.length > 0) {
        throw new AppError(
          400,
          'validation_failed',
          `${new Set(problems.map((e) => e.index)).size} of ${people.length} records are invalid; nothing was stored / 有错误记录，未保存任何记录`,
          problems,
        );
      }
      // The same id twice in one batch is one person (the first), like a retry.
      const seen = new Set<string>();
      const unique = located.resolved.filter((p) => !seen.has(p.id) && seen.add(p.id));

      const { accepted, changed } = await withTransaction(pool, async (client) => {
        const inserted = await repo.insertPeople(client, unique, user.username);
        const skipped = unique.filter((p) => !inserted.has(p.id));
        if (skipped.length > 0) {
          const existing = await repo.existingPersonIds(client, skipped.map((p) => p.id));
          const conflicting = skipped.filter((p) => !existing.has(p.id));
          if (conflicting.length > 0) {
            const holders = await repo.idNumberHolders(client, conflicting, user.jurisdictionPath);
            const batchIndex = new Map(unique.map((p) => [p.id, p.index]));
            let elsewhere = 0;
            const details: RecordError[] = conflicting.map((p) => {
              const holder = holders.get(`${p.idType}:${p.idNumber}`);
              const inBatch = holder ? batchIndex.get(holder.id) : undefined;
              if (holder && !holder.inScope && inBatch === undefined) elsewhere += 1;
              const message = inBatch !== undefined
                ? `与本批第 ${inBatch} 条记录证件号相同 / the same ${p.idType} number as record ${inBatch} of this batch`
                : holder?.inScope
                  ? `该证件号已登记为人员 ${holder.id} / this ${p.idType} number is already registered as person ${holder.id}`
                  : `该证件号已在其他辖区登记 / this ${p.idType} number is already registered outside your jurisdiction`;
              return { index: p.index, id: p.id, field: 'idNumber', message };
            });
            // Learning that an ID number is registered in another jurisdiction is learning about a person
            // there: recorded (outside the transaction, which rolls back), like any read of personal data.
            if (elsewhere > 0) await audit(request, { action: 'personal_data.read', resource: 'people', detail: { idNumbersRegisteredElsewhere: elsewhere } });
            // Thrown inside the transaction: nothing of the batch is stored.
            throw new AppError(409, 'conflict', `${details.length} record(s) repeat an ID number registered under another id; nothing was stored / 证件号重复，未保存任何记录`, details);
          }
        }
        const added = unique.filter((p) => inserted.has(p.id));
        await repo.insertTravel(client, added);
        const travelled = added.filter((p) => p.travel.length > 0).map((p) => p.id);
        const levels = travelled.length ? await repo.setRiskAreaLevels(client, travelled, day, config.cityTimeZone) : [];
        // Counted on the arrival day; a person without one is in no day's figures (as the rebuild counts them).
        const arrivals = levels.flatMap((l) => (l.arrivedOn === null ? [] : [{ path: l.path, day: l.arrivedOn, deltas: { risk_area_arrivals: 1 } }]));
        return { accepted: inserted.size, changed: await addAreaDayCounts(client, arrivals) };
      });
      if (changed.length > 0) app.live.publishCounts(changed);
      return { accepted, duplicates: people.length - accepted };
    },
  );

  typed.get(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary: 'People registered in your jurisdiction, newest first; personal fields masked for roles without a duty',
        description: 'An unmasked answer (roles with the duty) is written to the audit log with its count and filters; say why with `reason` or the X-Access-Reason header.',
        querystring: PeopleQuery,
        response: { 200: PeopleList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readerRoles, 'see people under management');
      const { query } = request;
      if (query.q !== undefined && !seesPersonalData(user.role)) {
        throw new AppError(403, 'forbidden', `Role ${user.role} may not search people by name or ID number / 该角色无权按姓名或证件号查询`);
      }
      if (query.q !== undefined && query.q.trim() === '') throw badRequest('q is empty / 查询内容为空');
      const categories = query.category === undefined ? undefined : [...new Set(query.category.split(',').map((c) => c.trim()))];
      const unknown = (categories ?? []).filter((c) => !knownCategories.has(c));
      if (unknown.length > 0) throw badRequest(`Unknown category: ${unknown.join(', ')}. Known: ${personCategories.join(', ')} / 人员类别无效`);
      if (query.arrivedFrom && query.arrivedTo && query.arrivedFrom > query.arrivedTo) {
        throw badRequest('arrivedFrom is after arrivedTo / 起始日期晚于结束日期');
      }
      const scopePath = query.area ? (await areaInScope(pool, user, query.area)).path : user.jurisdictionPath;
      const limit = query.limit ?? 100;
      const offset = query.offset ?? 0;
      const result = await repo.listPeople(pool, {
        scopePath,
        ...(categories ? { categories } : {}),
        ...(query.healthCode ? { healthCode: query.healthCode } : {}),
        ...(query.riskArea !== undefined ? { riskArea: query.riskArea } : {}),
        ...(query.arrivedFrom ? { arrivedFrom: query.arrivedFrom } : {}),
        ...(query.arrivedTo ? { arrivedTo: query.arrivedTo } : {}),
        ...(query.q !== undefined ? { q: query.q } : {}),
        limit,
        offset,
      });
      const items = result.items.map((item) => forRole(user, item));
      if (items.length > 0 && !items[0]!.masked) {
        const { reason: _reason, q, ...filters } = query;
        // The search term is itself someone's name or ID number: the log keeps it masked.
        await audit(request, { action: 'personal_data.read', resource: 'people', detail: { count: items.length, total: result.total, filters: { ...filters, ...(q === undefined ? {} : { q: maskName(q.trim()) }) } } });
      }
      return { total: result.total, limit, offset, items };
    },
  );

  async function personInScope(user: AuthUser, id: string) {
    const person = await repo.getPerson(pool, id, user.jurisdictionPath);
    // Outside the jurisdiction a person does not exist, like a site.
    if (!person) throw notFound(`No person ${id} in your jurisdiction / 管辖范围内无此人员`);
    return person;
  }

  /** The person as the role may see them; an unmasked answer is written to the audit log. */
  async function shownPerson(request: FastifyRequest, user: AuthUser, id: string, via: 'read' | 'update') {
    const shown = forRole(user, await personInScope(user, id));
    if (!shown.masked) await audit(request, { action: 'personal_data.read', resource: 'people', resourceId: shown.id, detail: { count: 1, via } });
    return shown;
  }

  typed.get(
    '/api/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'One person with travel history and quarantine/monitoring cases',
        params: PersonParams,
        querystring: ReasonQuery,
        response: { 200: PersonDetail, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readerRoles, 'see people under management');
      return shownPerson(request, user, request.params.id, 'read');
    },
  );

  typed.patch(
    '/api/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change a person\'s phone, address, health code, note or category',
        description:
          'Grid, arrival day, travel and ID cannot change here: the risk-area arrival figures were counted from them. '
          + 'A field left out keeps its value; null (or an empty string) clears phone, address or note.',
        params: PersonParams,
        body: PersonPatch,
        response: { 200: PersonDetail, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, writerRoles, 'change people under management');
      const body = request.body;
      const changes: repo.PersonChanges = {
        ...(body.phone !== undefined ? { phone: blankToNull(body.phone) } : {}),
        ...(body.address !== undefined ? { address: blankToNull(body.address) } : {}),
        ...(body.note !== undefined ? { note: blankToNull(body.note) } : {}),
        ...(body.healthCode !== undefined ? { healthCode: body.healthCode } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
      };
      if (!(await repo.updatePerson(pool, request.params.id, user.jurisdictionPath, changes, user.username))) {
        throw notFound(`No person ${request.params.id} in your jurisdiction / 管辖范围内无此人员`);
      }
      return shownPerson(request, user, request.params.id, 'update');
    },
  );

  typed.get(
    '/api/people/:id/suggested-regime',
    {
      schema: {
        tags: ['people'],
        summary: 'The regime the arrival policy suggests for the person, and why (a suggestion: a worker confirms it by starting a case)',
        description:
          'Travel in the 14 days before arrival (or before today without an arrival day) that touched a medium/high risk area in force at the time → '
          + 'the regime of GET /api/arrival-policies for that level; red code → a regime starting with centralised quarantine; yellow → one starting '
          + 'with home quarantine; both → the stricter. Otherwise suggestion is null. Risk areas are matched as they are now, so an area declared '
          + 'after registration counts here.',
        params: PersonParams,
        response: { 200: SuggestedRegime, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, readerRoles, 'see people under management');
      const person = await personInScope(user, request.params.id);
      const day = today();
      const [matches, policies, regimes, activeCaseId] = await Promise.all([
        repo.riskAreaMatches(pool, person.id, day, config.cityTimeZone),
        repo.listArrivalPolicies(pool),
        repo.listRegimes(pool),
        repo.activeCaseId(pool, person.id),
      ]);
      const result = suggestRegime({ matches, healthCode: person.healthCode, policies, regimes });
      const arrival = person.arrivedOn ?? day;
      return {
        personId: person.id,
        suggestion: result.suggestion,
        reason: {
          rule: result.rule,
          message: result.message,
          healthCode: person.healthCode,
          windowFrom: daysBefore(arrival, arrivalRiskWindowDays),
          windowTo: arrival,
          match: result.match,
        },
        activeCaseId,
      };
    },
  );

  typed.get(
    '/api/arrival-policies',
    {
      schema: {
        tags: ['people'],
        summary: 'The regime suggested for arrivals from medium- and high-risk areas',
        response: { 200: ArrivalPolicies, 401: ErrorResponse },
      },
    },
    async (request) => {
      currentUser(request);
      return { items: await repo.listArrivalPolicies(pool) };
    },
  );

  typed.put(
    '/api/arrival-policies/:riskLevel',
    {
      schema: {
        tags: ['people'],
        summary: 'Set the regime suggested for arrivals from areas of a risk level (admin, command)',
        params: ArrivalPolicyParams,
        body: ArrivalPolicyInput,
        response: { 200: ArrivalPolicy, 422: ErrorResponse, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, policyEditorRoles, 'change the arrival policy');
      const { riskLevel } = request.params;
      const regimeCode = request.body.regimeCode.trim();
      if (!(await repo.setArrivalPolicy(pool, riskLevel, regimeCode, user.username))) {
        throw validationFailed(`No active regime ${regimeCode} in the catalogue / 无此有效隔离方案`, [{ field: 'regimeCode', message: 'unknown or inactive regime' }]);
      }
      const policy = (await repo.listArrivalPolicies(pool)).find((p) => p.riskLevel === riskLevel);
      return policy!;
    },
  );
}
