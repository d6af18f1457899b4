// Checks each person of a batch on its own, so that the answer names every bad record and field.
import { Compile } from 'typebox/compile';
import { PersonInput, type PersonIdType } from '../contracts/people.ts';
import type { RecordError } from '../contracts/screening.ts';
import { positionInWgs84 } from '../areas/locate.ts';
import { idNumberProblem, normaliseIdNumber } from './id-number.ts';

const validator = Compile(PersonInput);

/** A person whose fields are valid on their own; the grid and risk areas are checked against the database next. */
export interface CheckedPerson {
  index: number;
  input: PersonInput;
  idType: PersonIdType;
  idNumber: string;
  name: string;
  /** the home position in WGS-84, when the person is located by position */
  position: [number, number] | null;
  travel: Array<{ fromDay: string; toDay: string; place: string; position: [number, number] | null; riskAreaId: number | null }>;
}

/** Optional text as stored: trimmed, and absent when blank. */
export const blankToNull = (value: string | null | undefined) => (value === undefined || value === null || value.trim() === '' ? null : value.trim());

/** `today` is the city's day (YYYY-MM-DD): arrivals, travel and birth dates cannot be after it. */
export function checkPeople(raw: readonly unknown[], today: string): { valid: CheckedPerson[]; errors: RecordError[] } {
  const valid: CheckedPerson[] = [];
  const errors: RecordError[] = [];
  raw.forEach((candidate, index) => {
    const id = typeof candidate === 'object' && candidate !== null && typeof (candidate as { id?: unknown }).id === 'string'
      ? (candidate as { id: string }).id.slice(0, 64)
      : null;
    const fail = (field: string, message: string) => errors.push({ index, id, field, message });
    if (!validator.Check(candidate)) {
      for (const issue of validator.Errors(candidate).slice(0, 5)) {
        if (issue.keyword === 'boolean') continue; // restates an additionalProperties error
        fail(issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'record', issue.message);
      }
      return;
    }
    const input = candidate;
    const before = errors.length;
    if ((input.grid === undefined) === (input.position === undefined)) {
      fail('grid', 'give exactly one of grid or position / 须且仅须提供网格或位置之一');
    }
    const name = input.name.trim();
    if (name === '') fail('name', 'is empty / 姓名为空');
    const idType = input.idType ?? 'resident_id';
    const idNumber = normaliseIdNumber(idType, input.idNumber);
    const idProblem = idNumberProblem(idType, idNumber, today);
    if (idProblem) fail('idNumber', idProblem);
    if (input.arrivedOn !== undefined && input.arrivedOn > today) fail('arrivedOn', `is after today ${today} / 抵达日期晚于今天`);
    (input.travel ?? []).forEach((stop, i) => {
      if (stop.toDay < stop.fromDay) fail(`travel.${i}.toDay`, 'is before fromDay / 结束日期早于开始日期');
      else if (stop.toDay > today) fail(`travel.${i}.toDay`, `is after today ${today} / 行程日期晚于今天`);
      if (stop.place.trim() === '') fail(`travel.${i}.place`, 'is empty / 地点为空');
    });
    if (errors.length > before) return;
    valid.push({
      index,
      input,
      idType,
      idNumber,
      name,
      position: input.position ? positionInWgs84(input.position) : null,
      travel: (input.travel ?? []).map((stop) => ({
        fromDay: stop.fromDay,
        toDay: stop.toDay,
        place: stop.place.trim(),
        position: stop.position ? positionInWgs84(stop.position) : null,
        riskAreaId: stop.riskAreaId ?? null,
      })),
    });
  });
  return { valid, errors };
}
