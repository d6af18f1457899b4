import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { contentId, decodeCsv, parseCsvSheet, parseSheet, parseXlsx, sheetTemplate, type SheetSpec } from './index.ts';

type Key = 'id' | 'at' | 'day' | 'count' | 'code' | 'colour' | 'flag' | 'note';

const spec: SheetSpec<Key> = {
  sheetName: '测试记录',
  columns: [
    { key: 'at', zh: '时间', en: 'Time', width: 20, kind: { type: 'instant' }, required: true, note: '必填' },
    { key: 'day', zh: '日期', en: 'Day', width: 12, kind: { type: 'day' }, note: '' },
    { key: 'count', zh: '人数', en: 'Count', width: 8, kind: { type: 'number', min: 0, max: 500, integer: true }, note: '' },
    { key: 'code', zh: '编码', en: 'Code', width: 16, kind: { type: 'text' }, note: '' },
    { key: 'colour', zh: '颜色', en: 'Colour', width: 8, required: true, note: '',
      kind: { type: 'enum', options: [{ value: 'green', zh: '绿码', aliases: ['绿'] }, { value: 'red', zh: '红码' }] } },
    { key: 'flag', zh: '标记', en: 'Flag', width: 8, kind: { type: 'boolean' }, note: '' },
    { key: 'note', zh: '备注', en: 'Note', width: 20, aliases: ['说明'], kind: { type: 'text' }, note: '' },
    { key: 'id', zh: '编号', en: 'ID', width: 38, kind: { type: 'text' }, note: '' },
  ],
  idKey: 'id',
  // Values, not cell text: the same data from .csv and .xlsx gives the same ids.
  identity: ({ values: v }) => [String(v.at), String(v.count ?? ''), v.code ?? '', String(v.colour)].map(String),
  toRecord: ({ values }) => (values.code === 'bad' ? { errors: [{ key: 'code', reason: 'bad code' }] } : { record: { ...values } }),
  unknownColumns: 'ignore',
  maxRows: 5,
  fieldColumns: { 'nested.count': 'count' },
  instructions: ['说明 / instructions'],
};
const tz = 'Asia/Shanghai';

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('x');
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('sheet template', () => {
  it('has Chinese headers with English notes, a frozen header, widths, validation on every enum, boolean, number and time column, and instructions', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await sheetTemplate(spec)) as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('测试记录');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['时间', '日期', '人数', '编码', '颜色', '标记', '备注', '编号']);
    expect(JSON.stringify(sheet.getCell('A1').note)).toContain('Time: 必填');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(4).width).toBe(16);

    const model = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    // exceljs reads a range validation back as one entry per cell; the first data row stands for all.
    const at = (cell: string) => model[cell];
    expect(at('A2')).toMatchObject({ type: 'date', operator: 'greaterThan' });
    expect(at('A2')!.allowBlank).toBeFalsy(); // written as false, read back as absent
    expect(at('B2')).toMatchObject({ type: 'date', allowBlank: true });
    expect(at('C2')).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 500] });
    expect(at('D2')).toBeUndefined(); // free text
    expect(at('E2')).toMatchObject({ type: 'list', formulae: ['"绿码,红码"'], showErrorMessage: true });
    expect(at('E2')!.allowBlank).toBeFalsy();
    expect(at('F2')).toMatchObject({ type: 'list', allowBlank: true, formulae: ['"是,否"'] });
    expect(at('E6')).toMatchObject({ type: 'list' }); // the last row a file may have (maxRows 5)
    expect(at('E7')).toBeUndefined();
    expect(sheet.getColumn(1).numFmt).toBe('yyyy-mm-dd hh:mm');

    const help = wb.worksheets[1]!;
    expect(help.name).toBe('填写说明 Instructions');
    expect((help.getRow(2).values as unknown[]).slice(1, 4)).toEqual(['时间', 'Time', '必填 Required']);
    expect(JSON.stringify(help.getSheetValues())).toContain('说明 / instructions');
  });
});

describe('sheet parsing', () => {
  it('reads city wall-clock times, ISO times, Excel dates and Excel serial days', async () => {
    const file = await workbook([
      ['时间', '日期', '颜色'],
      [new Date('2026-11-22T09:30:00Z'), new Date('2026-11-22T00:00:00Z'), '绿码'], // Excel keeps wall-clock time as "UTC"
      [46348.5, 46348, '红码'], // 2026-11-22 12:00 and 2026-11-22 as serials
      ['2026-11-22 23:59:30', '2026/1/2', '绿'],
      ['2026-11-22T09:30:00+08:00', '2026年11月22日', 'GREEN'],
    ]);
    const parsed = await parseXlsx(spec, file, tz);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.row, r.record.at, r.record.day, r.record.colour])).toEqual([
      [2, '2026-11-22T01:30:00.000Z', '2026-11-22', 'green'],
      [3, '2026-11-22T04:00:00.000Z', '2026-11-22', 'red'],
      [4, '2026-11-22T15:59:30.000Z', '2026-01-02', 'green'],
      [5, '2026-11-22T09:30:00+08:00', '2026-11-22', 'green'],
    ]);
  });

  it('takes columns in any order, by Chinese or English header or alias, ignores (and names) unknown columns, skips blank rows, reads numbers stored as text', () => {
    const csv = 'Colour , 姓名,COUNT,时间,说明\n绿码,张三, 12 ,2026-11-22 08:00,hello\n,,,,\n红码,李四,3,2026-11-22 08:01,\n';
    const parsed = parseCsvSheet(spec, Buffer.from(csv), tz);
    expect(parsed.errors).toEqual([]);
    expect(parsed.ignoredColumns).toEqual(['姓名']);
    expect(parsed.dataRows).toBe(2);
    expect(parsed.rows.map((r) => [r.row, r.record.colour, r.record.count, r.record.note])).toEqual([[2, 'green', 12, 'hello'], [4, 'red', 3, undefined]]);
  });

  it('decodes GBK (GB18030) CSV as Excel in China saves it, and UTF-8 with or without BOM', () => {
    const text = '时间,颜色,备注\n2026-11-22 08:00,绿码,浦东新区陆家嘴\n';
    // 时间 in GBK is CA B1 BC E4; build the rest with the decoder's own mapping, checked by round trip.
    const gbk = Buffer.from([0xca, 0xb1, 0xbc, 0xe4]);
    expect(new TextDecoder('gb18030').decode(gbk)).toBe('时间');
    const encodeGbk = (s: string) => {
      // A tiny GBK encoder for the test: search the two-byte space for each character.
      const table = new Map<string, number[]>();
      const decoder = new TextDecoder('gb18030');
      for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) table.set(decoder.decode(new Uint8Array([hi, lo])), [hi, lo]);
      return Buffer.from([...s].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)));
    };
    const file = encodeGbk(text);
    expect(decodeCsv(file)).toBe(text);
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    const parsed = parseCsvSheet(spec, file, tz);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0]!.record).toMatchObject({ at: '2026-11-22T00:00:00.000Z', colour: 'green', note: '浦东新区陆家嘴' });
  });

  it('reports every bad cell by row and column in Chinese and English, and a row whose record cannot be built', () => {
    const csv = [
      '时间,人数,颜色,标记,编码',
      ',x,紫码,也许,',
      '2026-11-22 08:00,1,绿码,是,bad',
      '2026-11-22,1,绿码,否,',
    ].join('\n');
    const parsed = parseCsvSheet(spec, Buffer.from(csv), tz);
    expect(parsed.rows).toEqual([]);
    expect(parsed.dataRows).toBe(3);
    expect(parsed.errors).toEqual([
      { row: 2, field: '时间 (Time)', reason: '必填 / required' },
      { row: 2, field: '人数 (Count)', reason: '应为数字 / must be a number' },
      { row: 2, field: '颜色 (Colour)', reason: '应为 绿码、红码 之一 / must be one of green, red' },
      { row: 2, field: '标记 (Flag)', reason: '应为 是 或 否 / must be yes or no' },
      { row: 3, field: '编码 (Code)', reason: 'bad code' },
      { row: 4, field: '时间 (Time)', reason: '时间格式应为 2026-11-22 09:30 / expected a time like 2026-11-22 09:30' },
    ]);
  });

  it('refuses a file without a required column, with a column twice, or with too many rows', () => {
    expect(parseCsvSheet(spec, Buffer.from('时间,备注\n2026-11-22 08:00,x\n'), tz).errors).toEqual([
      { row: 1, field: '颜色 (Colour)', reason: '缺少必需的列 / required column missing' },
    ]);
    expect(parseCsvSheet(spec, Buffer.from('时间,颜色,Colour\n2026-11-22 08:00,绿码,红码\n'), tz).errors).toMatchObject([{ row: 1, field: 'Colour' }]);
    const many = ['时间,颜色', ...Array.from({ length: 6 }, (_, i) => `2026-11-22 08:0${i},绿码`)].join('\n');
    expect(parseCsvSheet(spec, Buffer.from(many), tz).errors).toEqual([{ row: 7, field: '', reason: '一次最多 5 行 / at most 5 rows per file' }]);
    expect(parseCsvSheet(spec, Buffer.from('时间,颜色\n"2026,绿码\n'), tz).errors[0]!.reason).toMatch(/^CSV 格式错误/);
  });

  it('derives the same ids from the same content, whatever the file type, and tells identical rows apart', async () => {
    const csv = parseCsvSheet(spec, Buffer.from('时间,人数,颜色,编号\n2026-11-22 08:00,2,绿码,\n2026-11-22 08:00,2,绿码,\n2026-11-22 08:00,2,绿码,given-id\n'), tz);
    const xlsx = await parseSheet(spec, await workbook([['时间', '人数', '颜色'], [new Date('2026-11-22T08:00:00Z'), 2, '绿码'], [new Date('2026-11-22T08:00:00Z'), '2', '绿码']]), tz);
    const ids = csv.rows.map((r) => r.record.id);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(ids[2]).toBe('given-id');
    expect(xlsx.rows.map((r) => r.record.id)).toEqual(ids.slice(0, 2));
    expect(ids[0]).toBe(contentId(['2026-11-22T00:00:00.000Z', '2', '', 'green'], 1));
  });
});
