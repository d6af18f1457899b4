// Reading an uploaded sheet (.xlsx or .csv) into the records the JSON API takes, with every problem
// as { row, field, reason }: tolerant of header order, blank rows, numbers stored as text, Excel
// dates and the GBK CSVs that Excel in China saves.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { assertWorkbookSize } from './zip-guard.ts';
import { columnLabel, type CellValue, type SheetColumn, type SheetRowError, type SheetRowValues, type SheetSpec } from './sheet-spec.ts';

export interface ParsedSheet {
  /** records of the readable rows in sheet order, each with its row number in the file */
  rows: Array<{ row: number; record: Record<string, unknown> }>;
  /** non-empty data rows in the file, readable or not */
  dataRows: number;
  errors: SheetRowError[];
  /** headers that are not in the specification and were ignored (unknownColumns: 'ignore') */
  ignoredColumns: string[];
}

type Cell = string | number | boolean | Date | null;

function cellText(value: Cell): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
}

/** An instant for a wall-clock time in the city's time zone. */
export function cityWallClock(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(asUtc));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const zoneAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(asUtc - (zoneAsUtc - asUtc));
}

/**
 * A date cell without its format (a formula's result, a cell formatted as a number) is Excel's serial
 * day count since 1899-12-30, wall-clock like Excel's dates. Only 1960–2119 is taken for one.
 */
function excelSerial(value: Cell): Date | undefined {
  if (typeof value !== 'number' || value < 21916 || value > 80000) return undefined;
  return new Date(Math.round((value - 25569) * 86_400_000 / 1000) * 1000);
}

/** Excel keeps dates as wall-clock times without a zone (exceljs hands them over as UTC). */
function instantOf(value: Cell, timeZone: string): string | undefined {
  const date = value instanceof Date ? value : excelSerial(value);
  if (date) {
    return cityWallClock(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), timeZone).toISOString();
  }
  const text = cellText(value);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(text)) return text; // has its own offset; the record's schema checks the rest
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return cityWallClock(y, mo, d, h, mi, Number.isNaN(s) ? 0 : s, timeZone).toISOString();
}

function dayOf(value: Cell): string | undefined {
  const date = value instanceof Date ? value : excelSerial(value);
  if (date) return date.toISOString().slice(0, 10);
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cellText(value));
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day ? day : undefined;
}

const yes = new Set(['是', 'y', 'yes', 'true', '1', '有']);
const no = new Set(['否', 'n', 'no', 'false', '0', '无', '']);
/** Spellings compared without case, spaces, hyphens or underscores: 'GCJ-02' is 'gcj02'. */
const spelling = (text: string) => text.toLowerCase().replace(/[\s\-_]+/g, '');

/** A cell read by its column's kind: the value, or the reason it cannot be read. */
function readCell(column: SheetColumn, value: Cell, timeZone: string): { value: CellValue } | { reason: string } {
  const text = cellText(value);
  const kind = column.kind;
  if (text === '' && kind.type !== 'boolean') {
    if (column.required === true) return { reason: column.message ?? '必填 / required' };
    return { value: undefined };
  }
  switch (kind.type) {
    case 'text':
      return { value: text };
    case 'number': {
      const number = typeof value === 'number' ? value : Number(text);
      return Number.isFinite(number) ? { value: number } : { reason: column.message ?? '应为数字 / must be a number' };
    }
    case 'instant': {
      const instant = instantOf(value, timeZone);
      return instant === undefined ? { reason: column.message ?? '时间格式应为 2026-11-22 09:30 / expected a time like 2026-11-22 09:30' } : { value: instant };
    }
    case 'day': {
      const day = dayOf(value);
      return day === undefined ? { reason: column.message ?? '日期格式应为 2026-11-22 / expected a date like 2026-11-22' } : { value: day };
    }
    case 'enum': {
      const wanted = spelling(text);
      const option = kind.options.find((o) => [o.value, o.zh, ...(o.aliases ?? [])].some((word) => spelling(word) === wanted));
      if (option) return { value: option.value };
      if (kind.open) return { value: text.toLowerCase() };
      return { reason: column.message ?? `应为 ${kind.options.map((o) => o.zh).join('、')} 之一 / must be one of ${kind.options.map((o) => o.value).join(', ')}` };
    }
    case 'boolean': {
      const flag = text.toLowerCase();
      if (yes.has(flag)) return { value: true };
      if (no.has(flag)) return { value: text === '' ? undefined : false };
      return { reason: column.message ?? '应为 是 或 否 / must be yes or no' };
    }
  }
}

/** A UUID from a row's content and its occurrence in the file: the same sheet uploaded again gives the same ids. */
export function contentId(values: readonly string[], occurrence: number): string {
  const hex = createHash('sha256').update(`${values.join('\u001f')}#${occurrence}`).digest('hex');
  // Shaped as a version-5-style UUID (name-based, SHA).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

const headerSpelling = (text: string) => text.replace(/\s+/g, '').toLowerCase();
const tooManyRows = (max: number) => `一次最多 ${max} 行 / at most ${max} rows per file`;

function toRecords<K extends string>(spec: SheetSpec<K>, table: Cell[][], timeZone: string): ParsedSheet {
  const errors: SheetRowError[] = [];
  const ignoredColumns: string[] = [];
  const [header = [], ...body] = table;
  const keys: Array<K | undefined> = [];
  header.forEach((cell, i) => {
    const text = headerSpelling(cellText(cell));
    const column = text === '' ? undefined : spec.columns.find((c) => [c.zh, c.en, ...(c.aliases ?? [])].some((name) => headerSpelling(name) === text));
    if (column && keys.includes(column.key)) {
      errors.push({ row: 1, field: cellText(cell), reason: `与另一列重复，都是${column.zh} / the same column as another one: ${column.en}` });
    } else if (!column && cellText(cell) !== '') {
      if (spec.unknownColumns === 'ignore') ignoredColumns.push(cellText(cell));
      else errors.push({ row: 1, field: cellText(cell), reason: '无法识别的列 / unknown column' });
    }
    keys[i] = column?.key;
  });
  for (const required of spec.columns.filter((c) => c.required)) {
    if (!keys.includes(required.key)) errors.push({ row: 1, field: columnLabel(spec, required.key), reason: '缺少必需的列 / required column missing' });
  }
  if (errors.length > 0) return { rows: [], dataRows: 0, errors, ignoredColumns };

  const rows: ParsedSheet['rows'] = [];
  let dataRows = 0;
  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((cell) => cellText(cell) === '')) return;
    dataRows++;
    const raw = (key: K): Cell => {
      const index = keys.indexOf(key);
      return index >= 0 ? (cells[index] ?? null) : null;
    };
    const values: SheetRowValues<K> = { text: {} as Record<K, string>, values: {} };
    let rowIsBad = false;
    for (const column of spec.columns) {
      values.text[column.key] = cellText(raw(column.key));
      const read = readCell(column, raw(column.key), timeZone);
      if ('reason' in read) {
        rowIsBad = true;
        errors.push({ row, field: columnLabel(spec, column.key), reason: read.reason });
      } else if (read.value !== undefined) {
        values.values[column.key] = read.value;
      }
    }
    // A row the sheet could not read goes no further: its problem is reported once, here.
    if (rowIsBad) return;
    const built = spec.toRecord(values);
    if ('errors' in built) {
      for (const e of built.errors) errors.push({ row, field: columnLabel(spec, e.key), reason: e.reason });
      return;
    }
    const record = built.record;
    const id = values.text[spec.idKey];
    if (id) {
      record.id = id;
    } else {
      const content = spec.identity?.(values) ?? spec.columns.filter((c) => c.key !== spec.idKey).map((c) => values.text[c.key]);
      const key = content.join('\u001f');
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      record.id = contentId(content, occurrence);
    }
    rows.push({ row, record });
  });
  if (rows.length > spec.maxRows) {
    return { rows: [], dataRows, errors: [{ row: spec.maxRows + 2, field: '', reason: tooManyRows(spec.maxRows) }], ignoredColumns };
  }
  return { rows, dataRows, errors, ignoredColumns };
}

const fileError = (reason: string): ParsedSheet => ({ rows: [], dataRows: 0, errors: [{ row: 0, field: '', reason }], ignoredColumns: [] });

/** The first sheet with anything in it. Throws 413 for a workbook that unpacks too large (a zip bomb), 400 for a damaged zip. */
export async function parseXlsx<K extends string>(spec: SheetSpec<K>, buffer: Buffer, timeZone: string): Promise<ParsedSheet> {
  assertWorkbookSize(buffer);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    return fileError('不是有效的 Excel (.xlsx) 文件 / not a valid .xlsx file');
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return fileError('工作簿为空 / the workbook is empty');
  if (sheet.actualRowCount > spec.maxRows + 1) return fileError(tooManyRows(spec.maxRows));
  const table: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const v = cell.value;
      // Formulas give their result; rich text its plain text; hyperlinks their text.
      const plain = v && typeof v === 'object' && !(v instanceof Date)
        ? 'result' in v ? (v.result as Cell) : 'richText' in v ? v.richText.map((part) => part.text).join('') : 'text' in v ? String(v.text) : null
        : (v as Cell);
      cells[column - 1] = plain ?? null;
    });
    table[rowNumber - 1] = cells;
  });
  return toRecords(spec, Array.from(table, (cells) => cells ?? []), timeZone);
}

/** UTF-8 (with or without BOM), or GB18030/GBK as Excel in China saves CSV: bytes that are not UTF-8 are taken for GBK. */
export function decodeCsv(buffer: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = utf8.decode(buffer);
  } catch {
    text = new TextDecoder('gb18030').decode(buffer);
  }
  return text.replace(/^\uFEFF/, '');
}

export function parseCsvSheet<K extends string>(spec: SheetSpec<K>, buffer: Buffer, timeZone: string): ParsedSheet {
  try {
    const table = parseCsv(decodeCsv(buffer), { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
    return toRecords(spec, table, timeZone);
  } catch (error) {
    return fileError(`CSV 格式错误 / malformed CSV: ${(error as Error).message}`);
  }
}

/** .xlsx when the bytes are a zip (whatever the file is called), CSV otherwise. */
export const isXlsx = (buffer: Buffer) => buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

export async function parseSheet<K extends string>(spec: SheetSpec<K>, buffer: Buffer, timeZone: string): Promise<ParsedSheet> {
  return isXlsx(buffer) ? parseXlsx(spec, buffer, timeZone) : parseCsvSheet(spec, buffer, timeZone);
}
