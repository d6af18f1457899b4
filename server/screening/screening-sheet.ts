// Screening records as officials keep them: Excel (.xlsx) or CSV sheets with Chinese (or English)
// headers and Chinese values, turned into the same records the JSON API takes (server/sheets).
import { maxRecordsPerRequest } from '../contracts/screening.ts';
import {
  columnLabel as labelIn,
  parseCsvSheet as parseCsvBy,
  parseXlsx as parseXlsxBy,
  sheetTemplate,
  type ParsedSheet,
  type SheetColumn,
  type SheetSpec,
} from '../sheets/index.ts';

export { cityWallClock, type ParsedSheet, type SheetRowError } from '../sheets/index.ts';

type Key = 'id' | 'at' | 'siteId' | 'grid' | 'lon' | 'lat' | 'crs' | 'temperature' | 'codeColour' | 'outcome' | 'itineraryFlag';

// The order of the columns is the template's, and the order of the content a derived id is computed
// from: changing it would give every row already uploaded a new id.
export const sheetColumns: readonly SheetColumn<Key>[] = [
  { key: 'at', zh: '筛查时间', en: 'Time', width: 20, kind: { type: 'instant' }, required: true, example: '2026-11-22 09:30',
    note: '必填。如 2026-11-22 09:30（本市时间）/ Required, city local time',
    message: '时间格式应为 2026-11-22 09:30 / expected a time like 2026-11-22 09:30' },
  { key: 'siteId', zh: '场所编号', en: 'Site ID', width: 12, kind: { type: 'number', min: 1, integer: true }, example: '1203',
    note: '场所编号、网格编码、经纬度三者填其一 / One of site ID, grid code or position' },
  { key: 'grid', zh: '网格编码', en: 'Grid code', width: 18, kind: { type: 'text' }, example: '31011500400101', note: '14 位网格编码 / 14-digit grid code' },
  { key: 'lon', zh: '经度', en: 'Longitude', width: 12, kind: { type: 'number', min: -180, max: 180 }, example: '121.5052', note: '与纬度一起填写 / With latitude',
    message: '经纬度应为数字 / longitude and latitude must be numbers' },
  { key: 'lat', zh: '纬度', en: 'Latitude', width: 12, kind: { type: 'number', min: -90, max: 90 }, example: '31.2397', note: '与经度一起填写 / With longitude',
    message: '经纬度应为数字 / longitude and latitude must be numbers' },
  { key: 'crs', zh: '坐标系', en: 'Coordinate system', width: 12, example: 'GCJ02',
    // Open: the record takes the letters and digits of whatever is written (see toRecord).
    kind: {
      type: 'enum',
      open: true,
      options: [
        { value: 'wgs84', zh: 'WGS84' },
        { value: 'gcj02', zh: 'GCJ02', aliases: ['高德', '腾讯', '火星坐标'] },
        { value: 'bd09', zh: 'BD09', aliases: ['百度'] },
      ],
    },
    note: 'WGS84、GCJ02（高德/腾讯）或 BD09（百度），默认 WGS84' },
  { key: 'temperature', zh: '体温(℃)', en: 'Temperature', width: 10, kind: { type: 'number', min: 30, max: 45 }, example: '36.5', note: '30–45，保留一位小数 / °C, one decimal' },
  { key: 'codeColour', zh: '健康码', en: 'Health code', width: 10, required: 'column', example: '绿码', note: '必填：绿码 / 黄码 / 红码',
    kind: { type: 'enum', open: true, options: [{ value: 'green', zh: '绿码', aliases: ['绿'] }, { value: 'yellow', zh: '黄码', aliases: ['黄'] }, { value: 'red', zh: '红码', aliases: ['红'] }] } },
  { key: 'outcome', zh: '处置结果', en: 'Outcome', width: 10, required: 'column', example: '通行', note: '必填：通行 / 转诊 / 劝返',
    kind: { type: 'enum', open: true, options: [{ value: 'pass', zh: '通行', aliases: ['放行'] }, { value: 'refer', zh: '转诊' }, { value: 'deny', zh: '劝返', aliases: ['拒绝进入'] }] } },
  { key: 'itineraryFlag', zh: '行程卡异常', en: 'Itinerary flag', width: 12, kind: { type: 'boolean' }, example: '否', note: '是 / 否（默认否）' },
  { key: 'id', zh: '记录编号', en: 'Record ID', width: 38, kind: { type: 'text' }, note: '可不填：系统按内容生成，重复上传不会重复计数 / Optional UUID' },
];

export const screeningSheet: SheetSpec<Key> = {
  sheetName: '筛查记录',
  columns: sheetColumns,
  idKey: 'id',
  // identity: the default, the text of every other column as written.
  toRecord({ text, values: v }) {
    const record: Record<string, unknown> = { at: v.at };
    if (v.siteId !== undefined) record.siteId = v.siteId;
    if (v.grid !== undefined) record.grid = v.grid;
    if (v.lon !== undefined || v.lat !== undefined) {
      // A known name (高德 → gcj02); otherwise the letters as written, for the schema to refuse.
      const crs = v.crs ?? text.crs.toLowerCase().replace(/[^a-z0-9]/g, '');
      record.position = { lon: v.lon, lat: v.lat, crs: crs === '' ? 'wgs84' : crs };
    }
    if (v.temperature !== undefined) record.temperature = v.temperature;
    // Values outside the vocabulary (and blanks) go on for the record's schema to refuse.
    record.codeColour = v.codeColour ?? '';
    record.outcome = v.outcome ?? '';
    if (v.itineraryFlag === true) record.itineraryFlag = true;
    return { record };
  },
  unknownColumns: 'reject',
  maxRows: maxRecordsPerRequest,
  fieldColumns: { position: 'lon' },
  instructions: [
    '有错误的文件不会导入任何记录；可选择只导入无误的行。重复上传同一文件不会重复计数。',
    'A file with errors imports nothing unless you choose to import the valid rows. Uploading the same file again counts nothing twice.',
  ],
};

/** Column label for error reports: the Chinese header, with the English in brackets. */
export const columnLabel = (key: string): string => labelIn(screeningSheet, key);

export const parseXlsx = (buffer: Buffer, timeZone: string): Promise<ParsedSheet> => parseXlsxBy(screeningSheet, buffer, timeZone);

export const parseCsvSheet = (buffer: Buffer, timeZone: string): ParsedSheet => parseCsvBy(screeningSheet, buffer, timeZone);

/** The template officials fill in: Chinese headers, notes, and validation on the cells. */
export const screeningTemplate = (): Promise<Buffer> => sheetTemplate(screeningSheet);
