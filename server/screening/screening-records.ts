// Checks each record of a batch on its own, so that the answer names every bad record and field.
import { Compile } from 'typebox/compile';
import { ScreeningRecord, type RecordError } from '../contracts/screening.ts';
import { cityDay } from '../infra/city-time.ts';

const validator = Compile(ScreeningRecord);

/** Records from further ahead than this are a clock error, not a screening. */
export const maxClockSkewMs = 5 * 60_000;
/** Older records belong to a ledger import, not to live screening. */
export const maxAgeDays = 30;

export interface CheckedRecord {
  index: number;
  record: ScreeningRecord;
  day: string;
}

export function checkRecords(
  raw: readonly unknown[],
  now: Date,
  timeZone: string,
): { valid: CheckedRecord[]; errors: RecordError[] } {
  const valid: CheckedRecord[] = [];
  const errors: RecordError[] = [];
  raw.forEach((candidate, index) => {
    const id = typeof candidate === 'object' && candidate !== null && typeof (candidate as { id?: unknown }).id === 'string'
      ? (candidate as { id: string }).id.slice(0, 64)
      : null;
    if (!validator.Check(candidate)) {
      for (const issue of validator.Errors(candidate).slice(0, 5)) {
        if (issue.keyword === 'boolean') continue; // restates an additionalProperties error
        errors.push({ index, id, field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'record', message: issue.message });
      }
      return;
    }
    const record = candidate;
    const locators = [record.siteId, record.grid, record.position].filter((value) => value !== undefined).length;
    if (locators !== 1) {
      errors.push({ index, id, field: 'siteId', message: 'give exactly one of siteId, grid or position / 须且仅须提供场所、网格或位置之一' });
      return;
    }
    const at = new Date(record.at);
    if (at.getTime() > now.getTime() + maxClockSkewMs) {
      errors.push({ index, id, field: 'at', message: 'is in the future / 时间晚于当前时间' });
      return;
    }
    if (at.getTime() < now.getTime() - maxAgeDays * 86_400_000) {
      errors.push({ index, id, field: 'at', message: `is more than ${maxAgeDays} days ago / 超过${maxAgeDays}天` });
      return;
    }
    valid.push({ index, record, day: cityDay(at, timeZone) });
  });
  return { valid, errors };
}
