// 核酸检测: samples and their results in (batches, idempotent, all or nothing), the figures they
// feed (tests sampled / resulted / positive / on time), turnaround, the lists behind the figures,
// and alerts for positives (at once) and for results later than their due time (the sweeper).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../contracts/common.ts';
import type { RecordError } from '../contracts/screening.ts';
import {
  NucleicRejected,
  NucleicResultBatch,
  NucleicResultsAccepted,
  NucleicTestBatch,
  NucleicTestList,
  NucleicTestListQuery,
  NucleicTestsAccepted,
  NucleicTurnaround,
  NucleicTurnaroundQuery,
  maxNucleicTurnaroundDays,
} from '../contracts/nucleic-tests.ts';
import type { Role } from '../contracts/auth.ts';
import { currentUser, requireRole, type AuthUser } from '../auth/index.ts';
import { areaInScope } from '../areas/index.ts';
import { withTransaction, type Pool, type Queryable } from '../infra/db.ts';
import type { Config } from '../config.ts';
import { cityDay } from '../infra/city-time.ts';
import { AppError, badRequest } from '../errors.ts';
import { alertsByIds } from '../alerts/alerts.repository.ts';
import { addAreaDayCounts, type CounterChange } from '../stats/stats.repository.ts';
import { personalFieldsFor } from '../privacy/masking.ts';
import { audit } from '../audit/index.ts';
import { locateInJurisdiction } from '../areas/locate.ts';
import { checkResults, checkTests, type CheckedResult, type CheckedTest } from './nucleic-test-records.ts';
import { importSheet, readUploadedSheet, registerSheetUploads, sheetTemplate, SheetRejected, SheetUploadQuery, type IngestMode } from '../sheets/index.ts';
import { NucleicUploadAccepted, nucleicTestSheet } from './nucleic-test-sheet.ts';
import { sweepLateResults } from './sweeper.ts';
import { schedulePeriodicSweep } from '../infra/periodic-sweep.ts';
import * as repo from './nucleic-tests.repository.ts';

const reporterRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker']);
/** Everyone but the wall display, which never receives lists of people's tests. */
const listReaderRoles: ReadonlySet<Role> = new Set(['admin', 'command', 'district_official', 'street_official', 'grid_worker', 'team_leader']);
/** An answer listing more problems than this helps nobody; the message says how many records were bad. */
const maxReportedErrors = 1000;

/** Records refused inside the storing transaction (thrown to roll it back): bad ones, and results conflicting with stored ones. */
class RecordsRejected extends Error {
  constructor(readonly errors: RecordError[], readonly conflicts: RecordError[]) {
    super('records rejected');
  }
}

/** Nothing is stored: 409 when every problem is a result conflicting with a stored one, 400 otherwise. */
function rejection(total: number, errors: RecordError[], conflicts: RecordError[]): AppError {
  const all = [...errors, ...conflicts].sort((a, b) => a.index - b.index);
  const bad = new Set(all.map((e) => e.index)).size;
  if (errors.length === 0) {
    return new AppError(409, 'conflict', `${bad} of ${total} results conflict with results already stored; nothing was stored / 与已有结果冲突，未保存任何记录`, all.slice(0, maxReportedErrors));
  }
  return new AppError(400, 'validation_failed', `${bad} of ${total} records are invalid; nothing was stored / 有错误记录，未保存任何记录`, all.slice(0, maxReportedErrors));
}

/** Finds each sample's grid (from its site, grid code or position) and checks its person, inside the jurisdiction. */
async function locateTests(pool: Pool, user: AuthUser, tests: CheckedTest[]): Promise<{ resolved: repo.ResolvedTest[]; errors: RecordError[] }> {
  const personIds = [...new Set(tests.flatMap((t) => (t.record.personId === undefined ? [] : [t.record.personId.toLowerCase()])))];
  const [places, people] = await Promise.all([
    locateInJurisdiction(pool, { path: user.jurisdictionPath, code: user.jurisdictionCode }, tests.map((t) => t.record)),
    personIds.length ? repo.peopleInScope(pool, personIds, user.jurisdictionPath) : new Set<string>(),
  ]);

  const errors: RecordError[] = [];
  const resolved: repo.ResolvedTest[] = [];
  for (const [i, { index, record, sampleDay }] of tests.entries()) {
    const place = places[i]!;
    if (!('gridCode' in place)) {
      errors.push({ index, id: record.id, field: place.field, message: place.message });
      continue;
    }
    const { gridCode } = place;
    const personId = record.personId?.toLowerCase() ?? null;
    if (personId !== null && !people.has(personId)) {
      errors.push({ index, id: record.id, field: 'personId', message: `管辖范围内无此人员 no registered person with this id in your jurisdiction ${user.jurisdictionCode}` });
      continue;
    }
    resolved.push({
      id: record.id,
      sampledAt: record.sampledAt,
      sampleDay,
      gridCode,
      siteId: record.siteId ?? null,
      personId,
      riskGroup: record.riskGroup ?? false,
    });
  }
  return { resolved, errors };
}

interface AppliedResults {
  accepted: number;
  deltas: CounterChange[];
  alertIds: number[];
}

/**
 * Checks results against their tests and the results already stored, and stores the new ones,
 * on the transaction's connection. A result arrives once: the same result (value and time) again
 * is a duplicate; a different one is a conflict, which rejects the whole request. Throws the
 * RecordsRejected, so that the caller's transaction rolls back.
 */
async function applyResults(db: Queryable, user: AuthUser, results: CheckedResult[]): Promise<AppliedResults> {
  if (results.length === 0) return { accepted: 0, deltas: [], alertIds: [] };
  const errors: RecordError[] = [];
  const conflicts: RecordError[] = [];
  const conflict = (r: CheckedResult, message: string) =>
    conflicts.push({ index: r.index, id: r.testId, field: `${r.fieldPrefix}result`, message });

  // The same test twice in one request: a repeat is a duplicate, a different result a conflict.
  const first = new Map<string, CheckedResult>();
  for (const r of results) {
    const earlier = first.get(r.testId);
    if (!earlier) first.set(r.testId, r);
    else if (earlier.result !== r.result || new Date(earlier.resultedAt).getTime() !== new Date(r.resultedAt).getTime()) {
      conflict(r, `conflict: record ${earlier.index} gives this test another result / 同一检测在本批中有不同结果`);
    }
  }
  const unique = [...first.values()];
  const targets = await repo.resultTargets(db, unique, user.jurisdictionPath);
  const fresh: CheckedResult[] = [];
  unique.forEach((r, i) => {
    const target = targets[i]!;
    if (!target.found) {
      errors.push({ index: r.index, id: r.testId, field: r.fieldPrefix ? 'id' : 'testId', message: `管辖范围内无此检测 no test with this id in your jurisdiction ${user.jurisdictionCode}` });
    } else if (target.beforeSample) {
      errors.push({ index: r.index, id: r.testId, field: `${r.fieldPrefix}resultedAt`, message: 'is before the sampling time / 出结果时间早于采样时间' });
    } else if (target.storedResult !== null && !target.sameAsStored) {
      conflict(r, `conflict: the test already has the result ${target.storedResult} at ${target.storedResultedAt}; a result arrives once / 该检测已有结果`);
    } else if (target.storedResult === null) {
      fresh.push(r);
    }
  });
  if (errors.length > 0 || conflicts.length > 0) throw new RecordsRejected(errors, conflicts);
  if (fresh.length === 0) return { accepted: 0, deltas: [], alertIds: [] };

  const stored = await repo.insertResults(db, fresh, user.username);
  if (stored.skipped.length > 0) {
    // Stored by a concurrent request between the check and the insert: a duplicate if it agrees.
    const skipped = new Set(stored.skipped);
    const raced = fresh.filter((r) => skipped.has(r.testId));
    const again = await repo.resultTargets(db, raced, user.jurisdictionPath);
    raced.forEach((r, i) => {
      if (!again[i]!.sameAsStored) conflict(r, `conflict: the test already has the result ${again[i]!.storedResult} at ${again[i]!.storedResultedAt}; a result arrives once / 该检测已有结果`);
    });
    if (conflicts.length > 0) throw new RecordsRejected([], conflicts);
  }
  return { accepted: stored.accepted, deltas: stored.deltas, alertIds: stored.alertIds };
}

/** One change per grid and day: addAreaDayCounts is called once per transaction with all of them. */
function mergeChanges(changes: CounterChange[]): CounterChange[] {
  const merged = new Map<string, CounterChange>();
  for (const change of changes) {
    const key = `${change.path}|${change.day}`;
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { path: change.path, day: change.day, deltas: { ...change.deltas } });
      continue;
    }
    for (const [column, delta] of Object.entries(change.deltas) as Array<[keyof CounterChange['deltas'], number]>) {
      into.deltas[column] = (into.deltas[column] ?? 0) + delta;
    }
  }
  return [...merged.values()];
}

function calendarDay(day: string, name: string): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw badRequest(`${name} ${day} is not a calendar date (YYYY-MM-DD) / 日期无效`);
  }
  return day;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export default async function nucleicTestRoutes(app: FastifyInstance, deps: { pool: Pool; config: Config }) {
  const { pool, config } = deps;
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  await registerSheetUploads(app);
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  const writeErrors = { 400: Type.Union([NucleicRejected, ErrorResponse]), 401: ErrorResponse, 403: ErrorResponse, 409: NucleicRejected, 413: ErrorResponse };

  /** Stores samples and results, their counters and their alerts in one transaction; publishes after commit. */
  async function store(user: AuthUser, tests: repo.ResolvedTest[], results: CheckedResult[]) {
    const outcome = await withTransaction(pool, async (client) => {
      const samples = tests.length > 0 ? await repo.insertTests(client, tests, user.username) : { accepted: 0, deltas: [] };
      const applied = await applyResults(client, user, results);
      const changed = await addAreaDayCounts(client, mergeChanges([...samples.deltas, ...applied.deltas]));
      return { tests: samples.accepted, results: applied.accepted, alertIds: applied.alertIds, changed };
    });
    app.live.publishCounts(outcome.changed);
    if (outcome.alertIds.length > 0) app.live.publishAlerts(await alertsByIds(pool, outcome.alertIds));
    return outcome;
  }

  /**
   * Checks, locates and stores samples with their inline results: all or none (`all-or-nothing`),
   * the good ones (`valid-only`: a record with any problem is left out whole, sample and result), or
   * none at all (`check-only`, to report every problem of a file that has others). The one path of
   * POST /api/nucleic-tests and of sheet uploads.
   */
  async function ingestTests(user: AuthUser, raw: readonly unknown[], mode: IngestMode) {
    const checked = checkTests(raw, new Date(), config.cityTimeZone);
    const located = checked.valid.length > 0 ? await locateTests(pool, user, checked.valid) : { resolved: [], errors: [] };
    const errors = [...checked.errors, ...located.errors];
    const conflicts: RecordError[] = [];
    const nothing = { tests: 0, results: 0, resultsOffered: 0 };
    if (mode === 'check-only' || (errors.length > 0 && mode === 'all-or-nothing')) return { stored: false, errors, conflicts, ...nothing };
    // locateTests keeps the order of the tests it resolves.
    const unlocated = new Set(located.errors.map((e) => e.index));
    let tests = checked.valid.filter((t) => !unlocated.has(t.index)).map((t, i) => ({ index: t.index, resolved: located.resolved[i]! }));
    const bad = new Set(errors.map((e) => e.index));
    let results = checked.results.filter((r) => !bad.has(r.index));
    // With valid-only, the records the transaction refuses (conflicting results) are left out and the
    // rest tried again; each round leaves out at least one, and a second round is all it takes unless
    // a concurrent upload raced on the same results.
    for (let round = 0; ; round++) {
      try {
        const stored = await store(user, tests.map((t) => t.resolved), results);
        return { stored: true, errors, conflicts, tests: stored.tests, results: stored.results, resultsOffered: results.length };
      } catch (error) {
        if (!(error instanceof RecordsRejected)) throw error;
        if (mode !== 'valid-only' || round >= 3) return { stored: false, errors: [...errors, ...error.errors], conflicts: [...conflicts, ...error.conflicts], ...nothing };
        errors.push(...error.errors);
        conflicts.push(...error.conflicts);
        const refused = new Set([...error.errors, ...error.conflicts].map((e) => e.index));
        tests = tests.filter((t) => !refused.has(t.index));
        results = results.filter((r) => !refused.has(r.index));
      }
    }
  }

  typed.post(
    '/api/nucleic-tests',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['nucleic-tests'],
        summary: 'Store nucleic-acid samples (1–10,000), optionally with their results; retries of the same ids change nothing',
        description:
          'Each sample is located by exactly one of siteId, grid or position, inside your jurisdiction; personId, when given, must be a registered person there. '
          + 'Its result is due 12 h after sampling (6 h for a risk group). All or nothing: when any record is bad, none is stored and the answer lists every problem '
          + 'as { index, id, field, message }. Figures (testsSampled on the sample day; results on the result day) and positive-result alerts commit with the samples.',
        body: NucleicTestBatch,
        response: { 200: NucleicTestsAccepted, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, reporterRoles, 'submit nucleic-acid tests');
      const { tests } = request.body;
      const outcome = await ingestTests(user, tests, 'all-or-nothing');
      if (!outcome.stored) throw rejection(tests.length, outcome.errors, outcome.conflicts);
      return {
        accepted: outcome.tests,
        duplicates: tests.length - outcome.tests,
        results: { accepted: outcome.results, duplicates: outcome.resultsOffered - outcome.results },
      };
    },
  );

  typed.post(
    '/api/nucleic-tests/results',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['nucleic-tests'],
        summary: 'Store results of samples (1–10,000): once per test; the same result again is a duplicate, a different one a conflict (409)',
        description:
          'On time when resultedAt ≤ the test\'s due time. Counted on the day of the result in the test\'s grid; a positive raises a positive_result alert. '
          + 'All or nothing, with every problem as { index, id (the testId), field, message }.',
        body: NucleicResultBatch,
        response: { 200: NucleicResultsAccepted, ...writeErrors },
      },
    },
    async (request) => {
      const user = requireRole(request, reporterRoles, 'submit nucleic-acid results');
      const { results } = request.body;
      const checked = checkResults(results, new Date(), config.cityTimeZone);
      if (checked.errors.length > 0) throw rejection(results.length, checked.errors, []);
      try {
        const stored = await store(user, [], checked.valid);
        return { accepted: stored.results, duplicates: results.length - stored.results };
      } catch (error) {
        throw error instanceof RecordsRejected ? rejection(results.length, error.errors, error.conflicts) : error;
      }
    },
  );

  typed.get(
    '/api/nucleic-tests/template.xlsx',
    {
      schema: {
        tags: ['nucleic-tests'],
        summary: 'Excel template for nucleic-acid samples and results (Chinese headers, validated cells, instructions)',
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (request, reply) => {
      requireRole(request, reporterRoles, 'submit nucleic-acid tests');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="nucleic-tests-template.xlsx"; filename*=UTF-8''${encodeURIComponent('核酸采样导入模板.xlsx')}`)
        .send(await sheetTemplate(nucleicTestSheet));
    },
  );

  typed.post(
    '/api/nucleic-tests/upload',
    {
      schema: {
        tags: ['nucleic-tests'],
        summary: 'Upload samples (with results, when known) as .xlsx or .csv (multipart field `file`), with a per-row error report',
        description:
          'The same checks, figures and alerts as POST /api/nucleic-tests. Headers in Chinese (as in the template) or English; other columns are ignored and named in '
          + '`ignoredColumns`. A file with any bad row stores nothing and answers 400 with every problem as { row, field, reason } (409 when every problem is a result '
          + 'conflicting with a stored one), unless `importValid=true`, which stores the good rows and lists the others under `skipped`. A blank 检测编号 is derived from '
          + 'the sample columns (time, place, risk group, person), not the result columns: the same file again counts nothing twice, and again with results filled in adds them.',
        consumes: ['multipart/form-data'],
        querystring: SheetUploadQuery,
        response: {
          200: NucleicUploadAccepted,
          400: Type.Union([SheetRejected, ErrorResponse]),
          401: ErrorResponse,
          403: ErrorResponse,
          409: SheetRejected,
          413: ErrorResponse,
        },
      },
    },
    async (request) => {
      const user = requireRole(request, reporterRoles, 'submit nucleic-acid tests');
      const sheet = await readUploadedSheet(request, nucleicTestSheet, config.cityTimeZone);
      const { result, skipped, importedRows } = await importSheet(nucleicTestSheet, sheet, request.query.importValid ?? false, async (records, mode) => {
        const outcome = await ingestTests(user, records, mode);
        return { ...outcome, errors: [...outcome.errors, ...outcome.conflicts], conflict: outcome.errors.length === 0 && outcome.conflicts.length > 0 };
      });
      return {
        rows: sheet.dataRows,
        accepted: result.tests,
        duplicates: importedRows - result.tests,
        results: { accepted: result.results, duplicates: result.resultsOffered - result.results },
        skipped,
        ignoredColumns: sheet.ignoredColumns,
      };
    },
  );

  typed.get(
    '/api/nucleic-tests/turnaround',
    {
      schema: {
        tags: ['nucleic-tests'],
        summary: 'Sampled, resulted, positive, on-time share, median and p90 turnaround hours and overdue samples, day by day (default the last 14 days)',
        description:
          `Samples count on the day they were taken, results on the day they came (as in /api/stats). At most ${maxNucleicTurnaroundDays} days. `
          + '`total` is the whole period (its median and p90 over all its results).',
        querystring: NucleicTurnaroundQuery,
        response: { 200: NucleicTurnaround, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { area, from, to } = request.query;
      const scope = area ? await areaInScope(pool, user, area) : { code: user.jurisdictionCode, path: user.jurisdictionPath };
      const last = to ? calendarDay(to, 'to') : cityDay(new Date(), config.cityTimeZone);
      const firstDay = from ? calendarDay(from, 'from') : addDays(last, -13);
      if (firstDay > last) throw badRequest(`from ${firstDay} is after to ${last} / 起始日期晚于结束日期`);
      if (addDays(firstDay, maxNucleicTurnaroundDays - 1) < last) {
        throw badRequest(`at most ${maxNucleicTurnaroundDays} days at a time / 最多查询${maxNucleicTurnaroundDays}天`);
      }
      const rows = await repo.turnaround(pool, scope.path, firstDay, last, new Date());
      const total = rows.find((row) => row.day === null)!;
      const { day: _day, ...totalFigures } = total;
      return {
        area: scope.code,
        from: firstDay,
        to: last,
        days: rows.filter((row) => row.day !== null).map((row) => ({ ...row, day: row.day! })),
        total: totalFigures,
      };
    },
  );

  typed.get(
    '/api/nucleic-tests',
    {
      schema: {
        tags: ['nucleic-tests'],
        summary: 'The tests behind the figures: pending, late (no result past the due time), positive or resulted, newest first',
        description:
          'With `day`, pending and late tests (and all tests, without a status) are those sampled that day; resulted and positive ones those whose result came that day. '
          + 'A linked person\'s name, ID number, phone and address are masked unless your role has the duty to see them; the wall display may not list tests. '
          + 'An answer with unmasked people is written to the audit log (count, filters, `reason` or the X-Access-Reason header).',
        querystring: NucleicTestListQuery,
        response: { 200: NucleicTestList, ...errors },
      },
    },
    async (request) => {
      const user = requireRole(request, listReaderRoles, 'list nucleic-acid tests');
      const { area, status, day, limit, offset } = request.query;
      const scopePath = area ? (await areaInScope(pool, user, area)).path : user.jurisdictionPath;
      const page = await repo.listTests(pool, {
        scopePath,
        status,
        day: day === undefined ? undefined : calendarDay(day, 'day'),
        now: new Date(),
        limit: limit ?? 50,
        offset: offset ?? 0,
      });
      const items = page.items.map((item) => ({ ...item, person: item.person && personalFieldsFor(user.role, item.person) }));
      const unmasked = items.filter((item) => item.person && !item.person.masked).length;
      if (unmasked > 0) {
        const { reason: _reason, ...filters } = request.query;
        await audit(request, { action: 'personal_data.read', resource: 'nucleic_tests', detail: { count: unmasked, total: page.total, filters } });
      }
      return { total: page.total, items };
    },
  );

  schedulePeriodicSweep(app, pool, {
    name: 'nucleic-late-results',
    intervalSeconds: config.sweepIntervalSeconds,
    sweep: async (now, client) => ({ alertIds: await sweepLateResults(client, now, config.cityTimeZone) }),
  });
}
