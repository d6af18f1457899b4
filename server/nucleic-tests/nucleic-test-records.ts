// Checks each sample and result of a batch on its own, so that the answer names every bad record
// and field. What needs the database (location, person, the stored test) is checked later.
import { Compile } from 'typebox/compile';
import type { RecordError } from '../contracts/screening.ts';
import { NucleicResultRecord, NucleicTestRecord } from '../contracts/nucleic-tests.ts';
import { maxAgeDays, maxClockSkewMs } from '../screening/screening-records.ts';
import { cityDay } from '../infra/city-time.ts';

const testValidator = Compile(NucleicTestRecord);
const resultValidator = Compile(NucleicResultRecord);

export interface CheckedTest {
  index: number;
  record: NucleicTestRecord;
  sampleDay: string;
}

export interface CheckedResult {
  /** index of the record in the request: of the result, or of the sample that carried it */
  index: number;
  /** the error field's prefix: '' for a result record, 'result.' for one given with its sample */
  fieldPrefix: string;
  testId: string;
  resultedAt: string;
  result: NucleicResultRecord['result'];
  resultDay: string;
}

/** The record's own id for error reports (long garbage shortened), or null. */
function idOf(candidate: unknown, key: 'id' | 'testId'): string | null {
  const value = typeof candidate === 'object' && candidate !== null ? (candidate as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value.slice(0, 64) : null;
}

function schemaErrors(validator: typeof testValidator | typeof resultValidator, candidate: unknown, index: number, id: string | null): RecordError[] {
  const errors: RecordError[] = [];
  for (const issue of validator.Errors(candidate).slice(0, 5)) {
    if (issue.keyword === 'boolean') continue; // restates an additionalProperties error
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    // Name the missing or unknown property itself, not the object that lacks or has it.
    const params = issue.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    const [property, message] =
      issue.keyword === 'required' ? [params.requiredProperties?.[0], `${issue.message} / 缺少必填字段`]
      : issue.keyword === 'additionalProperties' ? [params.additionalProperties?.[0], `${issue.message} / 不允许的字段`]
      : [undefined, issue.message];
    const field = [path, property].filter(Boolean).join('.') || 'record';
    errors.push({ index, id, field, message });
  }
  return errors;
}

/** A time not in the future (beyond clock skew); the message when it is. */
function futureError(at: Date, now: Date): string | undefined {
  return at.getTime() > now.getTime() + maxClockSkewMs ? 'is in the future / 时间晚于当前时间' : undefined;
}

export function checkTests(raw: readonly unknown[], now: Date, timeZone: string): { valid: CheckedTest[]; results: CheckedResult[]; errors: RecordError[] } {
  const valid: CheckedTest[] = [];
  const results: CheckedResult[] = [];
  const errors: RecordError[] = [];
  raw.forEach((candidate, index) => {
    const id = idOf(candidate, 'id');
    if (!testValidator.Check(candidate)) {
      errors.push(...schemaErrors(testValidator, candidate, index, id));
      return;
    }
    const record = candidate;
    const locators = [record.siteId, record.grid, record.position].filter((value) => value !== undefined).length;
    if (locators !== 1) {
      errors.push({ index, id, field: 'siteId', message: 'give exactly one of siteId, grid or position / 须且仅须提供场所、网格或位置之一' });
      return;
    }
    const sampledAt = new Date(record.sampledAt);
    const future = futureError(sampledAt, now);
    if (future) {
      errors.push({ index, id, field: 'sampledAt', message: future });
      return;
    }
    if (sampledAt.getTime() < now.getTime() - maxAgeDays * 86_400_000) {
      errors.push({ index, id, field: 'sampledAt', message: `is more than ${maxAgeDays} days ago / 采样时间超过${maxAgeDays}天` });
      return;
    }
    if (record.result) {
      const resultedAt = new Date(record.result.resultedAt);
      const problem = futureError(resultedAt, now)
        ?? (resultedAt < sampledAt ? 'is before sampledAt / 出结果时间早于采样时间' : undefined);
      if (problem) {
        errors.push({ index, id, field: 'result.resultedAt', message: problem });
        return;
      }
      results.push({
        index,
        fieldPrefix: 'result.',
        testId: record.id.toLowerCase(),
        resultedAt: record.result.resultedAt,
        result: record.result.result,
        resultDay: cityDay(resultedAt, timeZone),
      });
    }
    valid.push({ index, record, sampleDay: cityDay(sampledAt, timeZone) });
  });
  return { valid, results, errors };
}

export function checkResults(raw: readonly unknown[], now: Date, timeZone: string): { valid: CheckedResult[]; errors: RecordError[] } {
  const valid: CheckedResult[] = [];
  const errors: RecordError[] = [];
  raw.forEach((candidate, index) => {
    const id = idOf(candidate, 'testId');
    if (!resultValidator.Check(candidate)) {
      errors.push(...schemaErrors(resultValidator, candidate, index, id));
      return;
    }
    const resultedAt = new Date(candidate.resultedAt);
    const future = futureError(resultedAt, now);
    if (future) {
      errors.push({ index, id, field: 'resultedAt', message: future });
      return;
    }
    valid.push({
      index,
      fieldPrefix: '',
      testId: candidate.testId.toLowerCase(),
      resultedAt: candidate.resultedAt,
      result: candidate.result,
      resultDay: cityDay(resultedAt, timeZone),
    });
  });
  return { valid, errors };
}
