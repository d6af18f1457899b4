// Starting cases, recording their events and temperature checks: each write and its counter changes
// commit in one transaction, so the figures of every area always agree with the cases and events.
import { randomUUID } from 'node:crypto';
import { Compile } from 'typebox/compile';
import type { Role } from '../contracts/auth.ts';
import {
  TemperatureCheckRecord,
  maxStartDaysAgo,
  type CaseEventBody,
  type QuarantineCaseDetail,
  type Responsible,
  type StartCaseBody,
} from '../contracts/quarantine.ts';
import type { RecordError } from '../contracts/screening.ts';
import { abnormalTemperature } from '../contracts/screening.ts';
import type { AuthUser } from '../auth/index.ts';
import { withTransaction, type Pool } from '../infra/db.ts';
import { cityDay } from '../infra/city-time.ts';
import { AppError, conflict, notFound, validationFailed } from '../errors.ts';
import { addActiveCaseEnds, addAreaDayCounts, type CaseEndChange, type CounterChange } from '../stats/stats.repository.ts';
import type { AreaDayKey } from '../realtime/counts-batcher.ts';
import { personalFieldsFor } from '../privacy/masking.ts';
import {
  TransitionRefused,
  addDays,
  cityInstant,
  isCalendarDay,
  isHomeKind,
  phaseSchedule,
  planTransition,
  slotOf,
  startState,
  type CaseState,
} from './schedule.ts';
import * as repo from './quarantine.repository.ts';

/** A time further ahead than this is a clock error. */
export const maxClockSkewMs = 5 * 60_000;

export interface WriteOutcome {
  caseId: string;
  duplicate: boolean;
  changed: AreaDayKey[];
}

const fieldError = (field: string, message: string) => validationFailed(message, [{ field, message }]);

function instantOrNow(at: string | undefined, now: Date, field: string): Date {
  if (at === undefined) return now;
  const instant = new Date(at);
  if (instant.getTime() > now.getTime() + maxClockSkewMs) throw fieldError(field, `${field} is in the future / 时间晚于当前时间`);
  return instant;
}

/**
 * Where a hotel may be: the writer's district (the whole city for city roles). Hotels are designated
 * by the district, so a grid worker's or street official's own area rarely holds one.
 */
export function hotelScope(jurisdictionPath: string): string {
  return jurisdictionPath.split('.').slice(0, 2).join('.');
}

/** A zero delta on today: tells the live feed that today's state figures (people under measures, releases due) changed. */
const touchToday = (path: string, today: string): CounterChange => ({ path, day: today, deltas: { cases_started: 0 } });

/** Starts a case: the case, its start event and the counters, in one transaction. A retried id changes nothing. */
export async function startCase(pool: Pool, user: AuthUser, body: StartCaseBody, now: Date, timeZone: string): Promise<WriteOutcome> {
  const scope = user.jurisdictionPath;
  const today = cityDay(now, timeZone);

  const existingPerson = await repo.findCasePerson(pool, body.id);
  if (existingPerson !== undefined) return retriedStart(pool, body, existingPerson, scope, today);

  if (body.startDay !== undefined && !isCalendarDay(body.startDay)) throw fieldError('startDay', `${body.startDay} is not a calendar date / 日期无效`);
  let startDay: string;
  let startAt: Date;
  if (body.startAt !== undefined) {
    startAt = instantOrNow(body.startAt, now, 'startAt');
    startDay = cityDay(startAt, timeZone);
    if (body.startDay !== undefined && body.startDay !== startDay) {
      throw fieldError('startDay', `startAt falls on ${startDay}, not ${body.startDay} (city time) / 开始时间与开始日期不一致`);
    }
  } else {
    startDay = body.startDay ?? today;
    if (startDay > today) throw fieldError('startDay', 'a case cannot start in the future / 开始日期晚于今天');
    // A past start without a time: 00:00 that day, so the day's checks are owed.
    startAt = startDay === today ? now : cityInstant(startDay, '00:00', timeZone);
  }
  if (startDay < addDays(today, -maxStartDaysAgo)) {
    throw fieldError('startDay', `a case can be started at most ${maxStartDaysAgo} days back / 开始日期早于${maxStartDaysAgo}天前`);
  }

  const [regime, person] = await Promise.all([repo.findRegime(pool, body.regime), repo.findPersonInScope(pool, body.personId, scope)]);
  if (!regime || !regime.active) throw fieldError('regime', `No active regime ${body.regime} / 无此有效隔离方案`);
  if (!person) throw notFound(`No person ${body.personId} in your jurisdiction / 管辖范围内无此人员`);
  const phases = regime.phases;
  if (phases[0]!.kind === 'centralised' && body.placeSiteId === undefined) {
    throw fieldError('placeSiteId', 'the first phase is centralised: give the hotel (placeSiteId) / 集中隔离须指定隔离酒店');
  }
  if (body.placeSiteId !== undefined && !(await repo.siteInScope(pool, body.placeSiteId, hotelScope(scope)))) {
    throw fieldError('placeSiteId', `No site ${body.placeSiteId} in your district / 本区内无此场所`);
  }
  if (phases.some((p) => isHomeKind(p.kind)) && body.responsible === undefined) {
    throw fieldError('responsible', 'a regime with home phases needs the five responsible people (五包一) / 居家措施须落实五包一责任人');
  }

  const state = startState(phases, startDay);
  try {
    return await withTransaction(pool, async (client) => {
      const inserted = await repo.insertCase(client, {
        id: body.id,
        personId: body.personId,
        regimeCode: regime.code,
        phases,
        kind: state.kind,
        startDay,
        phaseEnd: state.phaseEnd,
        plannedEnd: state.plannedEnd,
        placeSiteId: body.placeSiteId ?? null,
        gridCode: person.gridCode,
        areaPath: person.areaPath,
        responsible: body.responsible ?? null,
        createdBy: user.username,
      });
      if (!inserted) return { caseId: body.id, duplicate: true, changed: [] }; // the same start, a moment earlier
      await repo.insertCaseEvent(client, {
        id: randomUUID(),
        caseId: body.id,
        seq: 1,
        type: 'start',
        at: startAt.toISOString(),
        day: startDay,
        fromKind: null,
        toKind: state.kind,
        plannedEndBefore: null,
        plannedEndAfter: state.plannedEnd,
        details: compact({ regime: regime.code, placeSiteId: body.placeSiteId, note: body.note }),
        recordedBy: user.username,
      });
      const changes: CounterChange[] = [{ path: person.areaPath, day: startDay, deltas: { cases_started: 1, [`${state.kind}_in`]: 1 } }];
      if (startDay !== today) changes.push(touchToday(person.areaPath, today));
      const changed = await addAreaDayCounts(client, changes);
      await addActiveCaseEnds(client, [{ path: person.areaPath, plannedEnd: state.plannedEnd, delta: 1 }]);
      return { caseId: body.id, duplicate: false, changed };
    });
  } catch (error) {
    if ((error as { code?: string; constraint?: string }).constraint === 'quarantine_cases_one_active') {
      // The same start sent twice at once can meet the one-active-case rule before the id's.
      if ((await repo.findCasePerson(pool, body.id)) === body.personId) return { caseId: body.id, duplicate: true, changed: [] };
      const active = await repo.listCases(pool, { scopePath: scope, today, status: 'active', personId: body.personId, limit: 1, offset: 0 });
      throw conflict(`The person already has an active case${active.items[0] ? ` (${active.items[0].id})` : ''} / 该人员已有进行中的隔离或监测`);
    }
    throw error;
  }
}

async function retriedStart(pool: Pool, body: StartCaseBody, personId: string, scope: string, today: string): Promise<WriteOutcome> {
  if (personId !== body.personId) throw conflict(`Case id ${body.id} is already used for another person / 该案例编号已被使用`);
  if (!(await repo.findCaseInScope(pool, body.id, scope, today))) throw notFound(`No case ${body.id} in your jurisdiction / 管辖范围内无此案例`);
  return { caseId: body.id, duplicate: true, changed: [] };
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Records a transition of a case (next phase, extension, release, transfer to hospital). */
export async function recordCaseEvent(
  pool: Pool,
  user: AuthUser,
  caseId: string,
  body: CaseEventBody,
  now: Date,
  timeZone: string,
): Promise<WriteOutcome> {
  const today = cityDay(now, timeZone);
  const givenAt = body.at === undefined ? undefined : instantOrNow(body.at, now, 'at');
  if (body.type === 'release' && body.releaseNoticeNo === undefined) {
    throw fieldError('releaseNoticeNo', 'a release needs the number of the release notice (解除隔离通知书编号)');
  }
  if (body.type === 'transfer' && body.hospital === undefined) throw fieldError('hospital', 'a transfer needs the hospital / 转院须注明医院');
  if (body.type === 'extend' && body.days === undefined) throw fieldError('days', 'extend needs days / 延长须提供天数');
  if (body.early && !body.note) throw fieldError('note', 'an early move or release needs a note saying why / 提前须注明原因');

  return withTransaction(pool, async (client) => {
    const locked = await repo.lockCaseInScope(client, caseId, user.jurisdictionPath);
    if (!locked) throw notFound(`No case ${caseId} in your jurisdiction / 管辖范围内无此案例`);
    const recorded = await repo.findCaseEvent(client, body.id);
    if (recorded) {
      if (recorded.caseId === caseId && recorded.type === body.type) return { caseId, duplicate: true, changed: [] };
      throw conflict(`Event id ${body.id} is already used for another event / 该事件编号已被使用`);
    }
    // Without a time the event happens now; a concurrent event recorded a moment later but
    // committed first must not make "now" look earlier than the case's last event.
    const at = givenAt ?? new Date(Math.max(now.getTime(), locked.lastAt.getTime()));
    const day = cityDay(at, timeZone);
    if (at.getTime() < locked.lastAt.getTime()) {
      throw fieldError('at', `at is before the case's last event (${locked.lastAt.toISOString()}) / 时间早于上一事件`);
    }
    const state: CaseState = {
      phases: locked.phases,
      phaseIndex: locked.phaseIndex,
      kind: locked.kind,
      status: locked.status,
      startDay: locked.startDay,
      phaseEnd: locked.phaseEnd,
      plannedEnd: locked.plannedEnd,
    };
    let plan;
    try {
      plan = planTransition(state, { type: body.type, day, days: body.days, early: body.early });
    } catch (error) {
      if (!(error instanceof TransitionRefused)) throw error;
      throw error.status === 409 ? conflict(error.message) : fieldError(error.field ?? 'type', error.message);
    }
    let placeSiteId: number | null = null;
    if (body.placeSiteId !== undefined) {
      if (!(await repo.siteInScope(client, body.placeSiteId, hotelScope(user.jurisdictionPath)))) {
        throw fieldError('placeSiteId', `No site ${body.placeSiteId} in your district / 本区内无此场所`);
      }
      placeSiteId = body.placeSiteId;
    }
    if (body.type === 'next_phase' && plan.toKind === 'centralised' && locked.placeSiteId === null && placeSiteId === null) {
      throw fieldError('placeSiteId', 'the next phase is centralised: give the hotel (placeSiteId) / 集中隔离须指定隔离酒店');
    }
    const next = plan.next;
    const ended = next.status !== 'active';
    await repo.updateCase(client, caseId, {
      phases: next.phases,
      status: next.status,
      phaseIndex: next.phaseIndex,
      kind: next.kind,
      phaseEnd: next.phaseEnd,
      plannedEnd: next.plannedEnd,
      placeSiteId,
      endedAt: ended ? at.toISOString() : null,
      releaseNoticeNo: body.type === 'release' ? body.releaseNoticeNo! : null,
    });
    await repo.insertCaseEvent(client, {
      id: body.id,
      caseId,
      seq: locked.lastSeq + 1,
      type: body.type,
      at: at.toISOString(),
      day,
      fromKind: plan.fromKind,
      toKind: plan.toKind,
      plannedEndBefore: state.plannedEnd,
      plannedEndAfter: next.plannedEnd,
      details: compact({
        days: body.type === 'extend' ? body.days : undefined,
        releaseNoticeNo: body.type === 'release' ? body.releaseNoticeNo : undefined,
        hospital: body.type === 'transfer' ? body.hospital : undefined,
        placeSiteId: placeSiteId ?? undefined,
        early: body.early || undefined,
        note: body.note,
      }),
      recordedBy: user.username,
    });

    const path = locked.areaPath;
    const changes: CounterChange[] = Object.keys(plan.flows).length > 0 ? [{ path, day, deltas: plan.flows }] : [];
    if (day !== today || changes.length === 0) changes.push(touchToday(path, today));
    const changed = await addAreaDayCounts(client, changes);
    const ends: CaseEndChange[] = [];
    if (ended || next.plannedEnd !== state.plannedEnd) ends.push({ path, plannedEnd: state.plannedEnd, delta: -1 });
    if (!ended && next.plannedEnd !== state.plannedEnd) ends.push({ path, plannedEnd: next.plannedEnd, delta: 1 });
    await addActiveCaseEnds(client, ends);
    return { caseId, duplicate: false, changed };
  });
}

/** A case with its events, checks and schedule, the person masked for the role; undefined outside the scope. */
export async function caseDetail(pool: Pool, user: AuthUser, caseId: string, today: string): Promise<QuarantineCaseDetail | undefined> {
  const [row, events, checks] = await Promise.all([
    repo.findCaseInScope(pool, caseId, user.jurisdictionPath, today),
    repo.caseEvents(pool, caseId),
    repo.caseTemperatureChecks(pool, caseId),
  ]);
  if (!row) return undefined;
  const c = row.c;
  const entered = events.filter((e) => e.toKind !== null).map((e) => e.day);
  const endEvent = events.find((e) => e.type === 'release' || e.type === 'transfer');
  const state: CaseState = {
    phases: row.phases,
    phaseIndex: c.phaseIndex,
    kind: c.kind,
    status: c.status,
    startDay: c.startDay,
    phaseEnd: c.phaseEnd,
    plannedEnd: c.plannedEnd,
  };
  const responsible = 'streetCadre' in row.responsible ? (row.responsible as Responsible) : null;
  const person = maskedPerson(user.role, c.person);
  return {
    ...c,
    person,
    responsible,
    schedule: phaseSchedule(state, entered, endEvent?.day ?? null),
    // Free text may name the person: withheld with the rest when masked, like a person's note.
    events: person.masked ? events.map(({ details: { note: _note, ...details }, ...event }) => ({ ...event, details })) : events,
    temperatureChecks: checks,
  };
}

export function maskedPerson(role: Role, person: repo.CaseRow['person']) {
  return personalFieldsFor(role, person);
}

// ---------------------------------------------------------------- temperature checks
const checkValidator = Compile(TemperatureCheckRecord);

export interface ChecksOutcome {
  accepted: number;
  duplicates: number;
  alertIds: number[];
}

/**
 * Stores temperature checks of people under home measures: all or none. Each check must be for an
 * active case in the jurisdiction that is in a home phase, taken after that phase began. A check
 * already stored (same id) is a duplicate, whatever happened to its case since.
 */
export async function recordTemperatureChecks(pool: Pool, user: AuthUser, raw: readonly unknown[], now: Date, timeZone: string): Promise<ChecksOutcome> {
  const errors: RecordError[] = [];
  const valid: Array<{ index: number; check: TemperatureCheckRecord; at: Date }> = [];
  raw.forEach((candidate, index) => {
    const id = typeof candidate === 'object' && candidate !== null && typeof (candidate as { id?: unknown }).id === 'string'
      ? (candidate as { id: string }).id.slice(0, 64)
      : null;
    if (!checkValidator.Check(candidate)) {
      for (const issue of checkValidator.Errors(candidate).slice(0, 5)) {
        if (issue.keyword === 'boolean') continue;
        errors.push({ index, id, field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'check', message: issue.message });
      }
      return;
    }
    const at = new Date(candidate.at);
    if (at.getTime() > now.getTime() + maxClockSkewMs) {
      errors.push({ index, id, field: 'at', message: 'is in the future / 时间晚于当前时间' });
      return;
    }
    valid.push({ index, check: candidate, at });
  });
  const reject = () =>
    new AppError(400, 'validation_failed',
      `${new Set(errors.map((e) => e.index)).size} of ${raw.length} checks are invalid; nothing was stored / 有错误记录，未保存任何记录`,
      errors.sort((a, b) => a.index - b.index).slice(0, 1000));

  // The cases are checked even when some records are malformed, so that one answer names every problem.
  return withTransaction(pool, async (client) => {
    const known = await repo.existingCheckIds(client, valid.map((v) => v.check.id));
    const fresh = valid.filter((v) => !known.has(v.check.id));
    const cases = fresh.length > 0
      ? await repo.lockCasesForChecks(client, [...new Set(fresh.map((v) => v.check.caseId))], user.jurisdictionPath)
      : new Map<string, repo.CheckedCase>();
    for (const { index, check, at } of fresh) {
      const c = cases.get(check.caseId);
      const problem: [string, string] | undefined =
        !c ? ['caseId', `no case ${check.caseId} in your jurisdiction / 管辖范围内无此案例`]
        : c.status !== 'active' ? ['caseId', `the case is ${c.status} / 该案例已结束`]
        : !isHomeKind(c.kind) ? ['caseId', 'the case is not in a home phase (the hotel keeps centralised temperatures) / 该案例不在居家阶段']
        : at.getTime() < new Date(c.phaseStartedAt).getTime() ? ['at', `is before the home phase began (${new Date(c.phaseStartedAt).toISOString()}) / 早于居家阶段开始时间`]
        : undefined;
      if (problem) errors.push({ index, id: check.id, field: problem[0], message: problem[1] });
    }
    if (errors.length > 0) throw reject();
    const result = fresh.length > 0
      ? await repo.insertTemperatureChecks(client, fresh.map(({ check, at }) => ({
        id: check.id,
        caseId: check.caseId,
        at: at.toISOString(),
        day: cityDay(at, timeZone),
        slot: slotOf(at, timeZone),
        temperature: Math.round(check.temperature * 10) / 10,
        symptoms: check.symptoms ?? null,
      })), user.username, abnormalTemperature)
      : { accepted: 0, alertIds: [] };
    return { accepted: result.accepted, duplicates: raw.length - result.accepted, alertIds: result.alertIds };
  });
}
