// Screening records as officials keep them: Excel (.xlsx) or CSV sheets with Chinese (or English)
// headers and Chinese values, turned into the same records the JSON API takes.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { maxRecordsPerRequest } from '../contracts/screening.ts';

interface Column {
  key: 'id' | 'at' | 'siteId' | 'grid' | 'lon' | 'lat' | 'crs' | 'temperature' | 'codeColour' | 'outcome' | 'itineraryFlag';
  zh: string;
  en: string;
  width: number;
  note: string;
}

export const sheetColumns: readonly Column[] = [
  { key: 'at', zh: '筛查时间', en: 'Time', width: 20, note: '必填。如 2026-11-22 09:30（本市时间）/ Required, city local time' },
  { key: 'siteId', zh: '场所编号', en: 'Site ID', width: 12, note: '场所编号、网格编码、经纬度三者填其一 / One of site ID, grid code or position' },
  { key: 'grid', zh: '网格编码', en: 'Grid code', width: 18, note: '14 位网格编码 / 14-digit grid code' },
  { key: 'lon', zh: '经度', en: 'Longitude', width: 12, note: '与纬度一起填写 / With latitude' },
  { key: 'lat', zh: '纬度', en: 'Latitude', width: 12, note: '与经度一起填写 / With longitude' },
  { key: 'crs', zh: '坐标系', en: 'Coordinate system', width: 12, note: 'WGS84、GCJ02（高德/腾讯）或 BD09（百度），默认 WGS84' },
  { key: 'temperature', zh: '体温(℃)', en: 'Temperature', width: 10, note: '30–45，保留一位小数 / °C, one decimal' },
  { key: 'codeColour', zh: '健康码', en: 'Health code', width: 10, note: '必填：绿码 / 黄码 / 红码' },
  { key: 'outcome', zh: '处置结果', en: 'Outcome', width: 10, note: '必填：通行 / 转诊 / 劝返' },
  { key: 'itineraryFlag', zh: '行程卡异常', en: 'Itinerary flag', width: 12, note: '是 / 否（默认否）' },
  { key: 'id', zh: '记录编号', en: 'Record ID', width: 38, note: '可不填：系统按内容生成，重复上传不会重复计数 / Optional UUID' },
];

const codeColourValues: Record<string, string> = { 绿码: 'green', 绿: 'green', 黄码: 'yellow', 黄: 'yellow', 红码: 'red', 红: 'red' };
const outcomeValues: Record<string, string> = { 通行: 'pass', 放行: 'pass', 转诊: 'refer', 劝返: 'deny', 拒绝进入: 'deny' };
const yes = new Set(['是', 'y', 'yes', 'true', '1', '有']);
const no = new Set(['否', 'n', 'no', 'false', '0', '无', '']);

export interface SheetRowError {
  row: number;
  field: string;
  reason: string;
}

export interface ParsedSheet {
  /** raw records of the readable rows in sheet order, each with its row number in the file */
  rows: Array<{ row: number; record: Record<string, unknown> }>;
  /** non-empty data rows in the file, readable or not */
  dataRows: number;
  errors: SheetRowError[];
}

/** Column label for error reports: the Chinese header, with the English in brackets. */
export function columnLabel(key: string): string {
  const column = sheetColumns.find((c) => c.key === key || (key === 'position' && c.key === 'lon'));
  return column ? `${column.zh} (${column.en})` : key;
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

/** Excel keeps dates as wall-clock times without a zone (exceljs hands them over as UTC). */
function timeOf(value: Cell, timeZone: string): string | undefined {
  if (value instanceof Date) {
    return cityWallClock(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds(), timeZone).toISOString();
  }
  const text = cellText(value);
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(text)) return text;
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return cityWallClock(y, mo, d, h, mi, Number.isNaN(s) ? 0 : s, timeZone).toISOString();
}

function numberOf(value: Cell): number | undefined | null {
  const text = cellText(value);
  if (text === '') return undefined;
  const number = typeof value === 'number' ? value : Number(text);
  return Number.isFinite(number) ? number : null;
}

/** A UUID from a row's content and its occurrence in the file: the same sheet uploaded again gives the same ids. */
function contentId(values: readonly string[], occurrence: number): string {
  const hex = createHash('sha256').update(`${values.join('\u001f')}#${occurrence}`).digest('hex');
  // Shaped as a version-5-style UUID (name-based, SHA).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function toRecords(table: Cell[][], timeZone: string): ParsedSheet {
  const errors: SheetRowError[] = [];
  const [header = [], ...body] = table;
  const keys = header.map((cell) => {
    const text = cellText(cell).replace(/\s+/g, '').toLowerCase();
    return sheetColumns.find((c) => c.zh.toLowerCase() === text || c.en.replace(/\s+/g, '').toLowerCase() === text)?.key;
  });
  header.forEach((cell, i) => {
    if (!keys[i] && cellText(cell) !== '') errors.push({ row: 1, field: cellText(cell), reason: '无法识别的列 / unknown column' });
  });
  for (const required of ['at', 'codeColour', 'outcome'] as const) {
    if (!keys.includes(required)) errors.push({ row: 1, field: columnLabel(required), reason: '缺少必需的列 / required column missing' });
  }
  if (errors.length > 0) return { rows: [], dataRows: 0, errors };

  const rows: ParsedSheet['rows'] = [];
  let dataRows = 0;
  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((cell) => cellText(cell) === '')) return;
    dataRows++;
    const value = (key: Column['key']): Cell => {
      const index = keys.indexOf(key);
      return index >= 0 ? (cells[index] ?? null) : null;
    };
    const record: Record<string, unknown> = {};
    let rowIsBad = false;
    const rowError = (key: string, reason: string) => {
      rowIsBad = true;
      errors.push({ row, field: columnLabel(key), reason });
    };

    const at = timeOf(value('at'), timeZone);
    if (at === undefined) rowError('at', '时间格式应为 2026-11-22 09:30 / expected a time like 2026-11-22 09:30');
    else record.at = at;
    const siteId = numberOf(value('siteId'));
    if (siteId === null) rowError('siteId', '应为数字 / must be a number');
    else if (siteId !== undefined) record.siteId = siteId;
    const grid = cellText(value('grid'));
    if (grid) record.grid = grid;
    const lon = numberOf(value('lon'));
    const lat = numberOf(value('lat'));
    if (lon === null || lat === null) rowError('lon', '经纬度应为数字 / longitude and latitude must be numbers');
    else if (lon !== undefined || lat !== undefined) {
      const crs = cellText(value('crs')).toLowerCase().replace(/[^a-z0-9]/g, '');
      record.position = { lon, lat, crs: crs === '' ? 'wgs84' : crs };
    }
    const temperature = numberOf(value('temperature'));
    if (temperature === null) rowError('temperature', '应为数字 / must be a number');
    else if (temperature !== undefined) record.temperature = temperature;
    const colour = cellText(value('codeColour'));
    record.codeColour = codeColourValues[colour] ?? colour.toLowerCase();
    const outcome = cellText(value('outcome'));
    record.outcome = outcomeValues[outcome] ?? outcome.toLowerCase();
    const flag = cellText(value('itineraryFlag')).toLowerCase();
    if (yes.has(flag)) record.itineraryFlag = true;
    else if (!no.has(flag)) rowError('itineraryFlag', '应为 是 或 否 / must be yes or no');

    const id = cellText(value('id'));
    if (id) {
      record.id = id;
    } else {
      const content = sheetColumns.filter((c) => c.key !== 'id').map((c) => cellText(value(c.key)));
      const key = content.join('\u001f');
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      record.id = contentId(content, occurrence);
    }
    // A row the sheet could not read goes no further: its problem is reported once, here.
    if (!rowIsBad) rows.push({ row, record });
  });
  if (rows.length > maxRecordsPerRequest) {
    return { rows: [], dataRows, errors: [{ row: maxRecordsPerRequest + 2, field: '', reason: `一次最多 ${maxRecordsPerRequest} 行 / at most ${maxRecordsPerRequest} rows per file` }] };
  }
  return { rows, dataRows, errors };
}

export async function parseXlsx(buffer: Buffer, timeZone: string): Promise<ParsedSheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    return { rows: [], dataRows: 0, errors: [{ row: 0, field: '', reason: '不是有效的 Excel (.xlsx) 文件 / not a valid .xlsx file' }] };
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return { rows: [], dataRows: 0, errors: [{ row: 0, field: '', reason: '工作簿为空 / the workbook is empty' }] };
  if (sheet.actualRowCount > maxRecordsPerRequest + 1) {
    return { rows: [], dataRows: 0, errors: [{ row: 0, field: '', reason: `一次最多 ${maxRecordsPerRequest} 行 / at most ${maxRecordsPerRequest} rows per file` }] };
  }
  const table: Cell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const v = cell.value;
      // Formulas give their result; rich text its plain text.
      const plain = v && typeof v === 'object' && !(v instanceof Date)
        ? 'result' in v ? (v.result as Cell) : 'richText' in v ? v.richText.map((part) => part.text).join('') : 'text' in v ? String(v.text) : null
        : (v as Cell);
      cells[column - 1] = plain ?? null;
    });
    table[rowNumber - 1] = cells;
  });
  return toRecords(Array.from(table, (cells) => cells ?? []), timeZone);
}

export function parseCsvSheet(buffer: Buffer, timeZone: string): ParsedSheet {
  let text = buffer.toString('utf8');
  if (text.includes('\uFFFD')) text = new TextDecoder('gb18030').decode(buffer); // Excel in China saves CSV as GBK
  try {
    const table = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
    return toRecords(table, timeZone);
  } catch (error) {
    return { rows: [], dataRows: 0, errors: [{ row: 0, field: '', reason: `CSV 格式错误 / malformed CSV: ${(error as Error).message}` }] };
  }
}

/** The template officials fill in: Chinese headers, notes, and validation on the cells. */
export async function screeningTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const sheet = workbook.addWorksheet('筛查记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = sheetColumns.map((c) => ({ header: c.zh, key: c.key, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
  sheetColumns.forEach((c, i) => {
    header.getCell(i + 1).note = `${c.en}: ${c.note}`;
  });
  const list = (values: string[]) => ({ type: 'list' as const, allowBlank: true, formulae: [`"${values.join(',')}"`], showErrorMessage: true });
  const columnOf = (key: Column['key']) => sheet.getColumn(key).letter;
  const rows = `2:${maxRecordsPerRequest + 1}`;
  const [first, last] = rows.split(':');
  // One validation per column range (exceljs supports it; its type declarations only know per-cell
  // validations, which would mean 60,000 entries in the file).
  const ranges = sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };
  const validate = (key: Column['key'], validation: ExcelJS.DataValidation) => {
    ranges.dataValidations.add(`${columnOf(key)}${first}:${columnOf(key)}${last}`, validation);
  };
  validate('codeColour', { ...list(['绿码', '黄码', '红码']), allowBlank: false, error: '请选择 绿码、黄码 或 红码' });
  validate('outcome', { ...list(['通行', '转诊', '劝返']), allowBlank: false, error: '请选择 通行、转诊 或 劝返' });
  validate('itineraryFlag', list(['是', '否']));
  validate('crs', list(['WGS84', 'GCJ02', 'BD09']));
  validate('temperature', { type: 'decimal', operator: 'between', allowBlank: true, formulae: [30, 45], showErrorMessage: true, error: '体温应在 30 到 45 之间' });
  validate('at', { type: 'date', operator: 'greaterThan', allowBlank: false, formulae: [new Date('2020-01-01')], showErrorMessage: true, error: '请输入时间，如 2026-11-22 09:30' });
  sheet.getColumn('at').numFmt = 'yyyy-mm-dd hh:mm';

  const help = workbook.addWorksheet('填写说明 Instructions');
  help.columns = [{ header: '列 Column', width: 22 }, { header: 'English', width: 20 }, { header: '说明 Notes', width: 90 }];
  help.getRow(1).font = { bold: true };
  for (const c of sheetColumns) help.addRow([c.zh, c.en, c.note]);
  help.addRow([]);
  help.addRow(['', '', '有错误的文件不会导入任何记录；可选择只导入无误的行。重复上传同一文件不会重复计数。']);
  help.addRow(['', '', 'A file with errors imports nothing unless you choose to import the valid rows. Uploading the same file again counts nothing twice.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
