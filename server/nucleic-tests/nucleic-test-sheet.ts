// Nucleic-acid samples (with their results, when known) as sampling sites keep them: Excel (.xlsx) or
// CSV sheets with Chinese (or English) headers, turned into the records POST /api/nucleic-tests takes.
import { maxRecordsPerRequest } from '../contracts/screening.ts';
import { Type } from 'typebox';
import { NucleicResultsAccepted } from '../contracts/nucleic-tests.ts';
import { sheetUploadFigures, type SheetSpec } from '../sheets/index.ts';

type Key = 'id' | 'sampledAt' | 'siteId' | 'grid' | 'lon' | 'lat' | 'crs' | 'riskGroup' | 'personId' | 'result' | 'resultedAt';

/**
 * The content a derived test id is computed from. The result columns are not part of it, so the same
 * sheet uploaded again with results filled in adds the results to the samples already stored. Any
 * change to a sample column makes the row a new sample. The version tag lets the derivation change
 * knowingly.
 */
function sampleIdentity({ text, values: v }: Parameters<NonNullable<SheetSpec<Key>['identity']>>[0]): string[] {
  const instant = new Date(String(v.sampledAt));
  const positioned = v.lon !== undefined || v.lat !== undefined;
  return [
    'nucleic-test/1',
    Number.isNaN(instant.getTime()) ? text.sampledAt : instant.toISOString(),
    v.siteId === undefined ? '' : String(v.siteId),
    text.grid,
    v.lon === undefined ? '' : String(v.lon),
    v.lat === undefined ? '' : String(v.lat),
    positioned ? String(v.crs ?? 'wgs84') : '',
    v.riskGroup === true ? 'risk' : '',
    text.personId.toLowerCase(),
  ];
}

export const nucleicTestSheet: SheetSpec<Key> = {
  sheetName: '核酸采样',
  columns: [
    { key: 'sampledAt', zh: '采样时间', en: 'Sampled at', aliases: ['采样日期'], width: 20, kind: { type: 'instant' }, required: true,
      example: '2026-11-22 08:05', note: '必填。如 2026-11-22 08:05（本市时间），或带时区的 ISO 时间 / Required, city local time or ISO 8601 with offset' },
    { key: 'siteId', zh: '场所编号', en: 'Site ID', aliases: ['采样点编号'], width: 12, kind: { type: 'number', min: 1, integer: true },
      example: '1203', note: '采样点的场所编号；场所编号、网格编码、经纬度三者填其一 / The sampling site; one of site ID, grid code or position' },
    { key: 'grid', zh: '网格编码', en: 'Grid code', aliases: ['网格', 'grid'], width: 18, kind: { type: 'text' },
      example: '31011500400101', note: '14 位网格编码 / 14-digit grid code' },
    { key: 'lon', zh: '经度', en: 'Longitude', width: 12, kind: { type: 'number', min: -180, max: 180 }, example: '121.5052', note: '与纬度一起填写 / With latitude' },
    { key: 'lat', zh: '纬度', en: 'Latitude', width: 12, kind: { type: 'number', min: -90, max: 90 }, example: '31.2397', note: '与经度一起填写 / With longitude' },
    { key: 'crs', zh: '坐标系', en: 'Coordinate system', width: 12, example: 'GCJ02',
      kind: { type: 'enum', options: [
        { value: 'wgs84', zh: 'WGS84', aliases: ['GPS'] },
        { value: 'gcj02', zh: 'GCJ02', aliases: ['高德', '腾讯', '火星坐标'] },
        { value: 'bd09', zh: 'BD09', aliases: ['百度'] },
      ] },
      note: '经纬度的坐标系：WGS84、GCJ02（高德/腾讯）或 BD09（百度），默认 WGS84 / Default WGS84' },
    { key: 'riskGroup', zh: '重点人群', en: 'Risk group', aliases: ['是否重点人群'], width: 10, kind: { type: 'boolean' }, example: '否',
      note: '是 / 否（默认否）。重点人群的结果应在采样后 6 小时内返回，其他 12 小时 / Results due within 6 h instead of 12 h' },
    { key: 'personId', zh: '人员编号', en: 'Person ID', width: 38, kind: { type: 'text' },
      note: '可不填：已登记人员的系统编号（UUID），须在您的管辖范围内 / Optional: a registered person in your jurisdiction' },
    { key: 'result', zh: '检测结果', en: 'Result', aliases: ['结果'], width: 10, example: '阴性',
      kind: { type: 'enum', options: [
        { value: 'negative', zh: '阴性', aliases: ['阴'] },
        { value: 'positive', zh: '阳性', aliases: ['阳'] },
        { value: 'invalid', zh: '无效', aliases: ['无效样本'] },
      ] },
      note: '阴性 / 阳性 / 无效；尚无结果则留空，之后补填结果再上传同一文件 / Blank until known; fill it in and upload the same file again' },
    { key: 'resultedAt', zh: '出结果时间', en: 'Resulted at', aliases: ['结果时间', '报告时间'], width: 20, kind: { type: 'instant' },
      example: '2026-11-22 13:40', note: '与检测结果一起填写，不早于采样时间 / With the result; not before the sampling time' },
    { key: 'id', zh: '检测编号', en: 'Test ID', aliases: ['id'], width: 38, kind: { type: 'text' },
      note: '可不填：系统按采样内容生成，重复上传不会重复计数 / Optional UUID; derived from the sample columns when blank' },
  ],
  idKey: 'id',
  identity: sampleIdentity,
  toRecord({ values: v }) {
    const errors: Array<{ key: Key; reason: string }> = [];
    const record: Record<string, unknown> = { sampledAt: v.sampledAt };
    if (v.siteId !== undefined) record.siteId = v.siteId;
    if (v.grid !== undefined) record.grid = v.grid;
    if (v.lon !== undefined && v.lat !== undefined) {
      record.position = v.crs === undefined ? { lon: v.lon, lat: v.lat } : { lon: v.lon, lat: v.lat, crs: v.crs };
    } else if (v.lon !== undefined || v.lat !== undefined) {
      errors.push({ key: v.lon === undefined ? 'lon' : 'lat', reason: '经度和纬度须一起填写 / give longitude and latitude together' });
    }
    if (v.personId !== undefined) record.personId = v.personId;
    if (v.riskGroup === true) record.riskGroup = true;
    if (v.result !== undefined && v.resultedAt !== undefined) {
      record.result = { resultedAt: v.resultedAt, result: v.result };
    } else if (v.result !== undefined || v.resultedAt !== undefined) {
      errors.push({
        key: v.result === undefined ? 'result' : 'resultedAt',
        reason: '检测结果和出结果时间须一起填写 / give the result and the time it came together',
      });
    }
    return errors.length > 0 ? { errors } : { record };
  },
  // Sites keep names, phone numbers and remarks next to the samples: those columns are not stored.
  unknownColumns: 'ignore',
  maxRows: maxRecordsPerRequest,
  fieldColumns: { position: 'lon', 'position.lon': 'lon', 'position.lat': 'lat', 'position.crs': 'crs', 'result.result': 'result', 'result.resultedAt': 'resultedAt' },
  instructions: [
    '每行一个采样。有错误的文件不会导入任何记录；可选择只导入无误的行。',
    'One sample per row. A file with errors imports nothing unless you choose to import the valid rows.',
    '检测编号留空时，系统按采样时间、地点（场所/网格/经纬度/坐标系）、重点人群和人员编号生成编号：重复上传同一文件不会重复计数；补填检测结果后再上传，结果记入已有的采样。',
    'A blank Test ID is derived from the sampling time, the place (site / grid / position / coordinate system), risk group and person ID: uploading the same file again counts nothing twice; uploading it again with results filled in adds the results to the samples already stored.',
    '修改了采样时间、地点、重点人群或人员编号的行是一个新的采样，原来的采样不会被删除。结果只能上报一次：已有结果的采样再报不同结果会被拒绝。',
    'A row whose sampling time, place, risk group or person ID was corrected is a new sample; the earlier one stays. A result arrives once: a different result for a sample that has one is refused.',
    '姓名、电话等其他列会被忽略，不会保存。 Other columns (names, phone numbers, remarks) are ignored and not stored.',
  ],
};

/** The answer to an upload of samples. */
export const NucleicUploadAccepted = Type.Object({
  ...sheetUploadFigures,
  results: NucleicResultsAccepted,
});
