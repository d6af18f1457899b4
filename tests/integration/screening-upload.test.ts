import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let grid: string;
let otherGrid: string;

/** A multipart/form-data body with one file, as a browser sends it. */
function multipart(filename: string, content: Buffer, type: string) {
  const boundary = `----ecc${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const upload = (filename: string, content: Buffer, query = '', type = xlsxType) => {
  const form = multipart(filename, content, type);
  return t.app.inject({ method: 'POST', url: `/api/screenings/upload${query}`, payload: form.payload, headers: { ...form.headers, cookie: command } });
};

/** The real template, downloaded and filled in the way an official would. */
async function filledTemplate(rows: Array<Array<string | number | Date | null>>): Promise<Buffer> {
  const response = await t.app.inject({ url: '/api/screenings/template.xlsx', headers: { cookie: command } });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  rows.forEach((values, i) => {
    sheet.getRow(i + 2).values = values;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Yesterday's date in Shanghai at the given wall-clock time, as Excel keeps it (no zone). */
function excelTime(hour: number, minute: number): Date {
  const day = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  return new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
}

const storedTimes = async (gridCode: string) =>
  (await t.pool.query<{ at: string }>(`SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS at FROM screening_events WHERE grid_code = $1 ORDER BY at`, [gridCode])).rows.map((r) => r.at);

beforeAll(async () => {
  t = await createTestApp();
  command = await t.login('command');
  const grids = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310104%' ORDER BY code DESC LIMIT 2`)).rows;
  grid = grids[0]!.code;
  otherGrid = grids[1]!.code;
});
afterAll(() => t.close());

describe('screening sheets', () => {
  it('offers a template with Chinese headers, validated cells and instructions', async () => {
    const response = await t.app.inject({ url: '/api/screenings/template.xlsx', headers: { cookie: command } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('筛查记录');
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['筛查时间', '网格编码', '体温(℃)', '健康码', '处置结果']));
    const validations = JSON.stringify((sheet as unknown as { dataValidations: { model: unknown } }).dataValidations.model);
    expect(validations).toContain('绿码,黄码,红码');
    expect(validations).toContain('通行,转诊,劝返');
    expect(workbook.worksheets[1]?.name).toBe('填写说明 Instructions');
  });

  it('imports a filled-in template in city time, and the same file again counts nothing twice', async () => {
    const file = await filledTemplate([
      [excelTime(9, 30), null, grid, null, null, null, 36.5, '绿码', '通行', '否', null],
      [excelTime(9, 31), null, grid, null, null, null, 37.8, '黄码', '转诊', '是', null],
      [excelTime(9, 31), null, grid, null, null, null, 37.8, '黄码', '转诊', '是', null], // a second, identical person
    ]);
    const first = await upload('筛查.xlsx', file);
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ rows: 3, accepted: 3, duplicates: 0, skipped: [] });
    expect(await storedTimes(grid)).toEqual(['09:30', '09:31', '09:31']);
    const again = await upload('筛查.xlsx', file);
    expect(json(again)).toEqual({ rows: 3, accepted: 0, duplicates: 3, skipped: [] });
  });

  it('reports every bad row and imports nothing, unless asked to import the valid rows', async () => {
    const before = (await storedTimes(otherGrid)).length;
    const file = await filledTemplate([
      [excelTime(10, 0), null, otherGrid, null, null, null, 36.6, '绿码', '通行', null, null],
      [excelTime(10, 1), null, otherGrid, null, null, null, 36.6, '紫码', '通行', null, null],
      [null, null, otherGrid, null, null, null, 36.6, '绿码', '通行', null, null],
      [excelTime(10, 2), null, '31010499999999', null, null, null, 36.6, '绿码', '通行', null, null],
      [excelTime(10, 3), null, otherGrid, null, null, null, 'hot', '绿码', '通行', null, null],
    ]);
    const refused = await upload('errors.xlsx', file);
    expect(refused.statusCode).toBe(400);
    const details = json<{ details: Array<{ row: number; field: string; reason: string }> }>(refused).details;
    expect([...new Set(details.map((d) => d.row))]).toEqual([3, 4, 5, 6]);
    expect(details.find((d) => d.row === 3)?.field).toContain('健康码');
    expect(details.find((d) => d.row === 4)?.field).toContain('筛查时间');
    expect(details.find((d) => d.row === 5)?.field).toContain('网格编码');
    expect(details.find((d) => d.row === 6)?.field).toContain('体温');
    expect((await storedTimes(otherGrid)).length).toBe(before);

    const partial = await upload('errors.xlsx', file, '?importValid=true');
    expect(partial.statusCode).toBe(200);
    expect(json(partial)).toMatchObject({ rows: 5, accepted: 1, duplicates: 0 });
    expect(json<{ skipped: Array<{ row: number }> }>(partial).skipped.map((s) => s.row)).toEqual([3, 4, 5, 6]);
    expect((await storedTimes(otherGrid)).length).toBe(before + 1);
  });

  it('takes CSV with English headers and English values', async () => {
    const csv = `\uFEFFTime,Grid code,Temperature,Health code,Outcome\n${new Date().toISOString()},${otherGrid},36.4,green,pass\n`;
    const response = await upload('screening.csv', Buffer.from(csv), '', 'text/csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toMatchObject({ rows: 1, accepted: 1 });
  });

  it('refuses what is not a usable sheet with a clear 4xx', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['fake.xlsx', Buffer.from('not a workbook'), xlsxType],
      ['zip.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), xlsxType],
      ['empty.csv', Buffer.from(''), 'text/csv'],
      ['headers.csv', Buffer.from('姓名,电话\n张三,123\n'), 'text/csv'],
      ['quote.csv', Buffer.from('Time,Grid code,Health code,Outcome\n"2026-11-22 09:00,1,green,pass\n'), 'text/csv'],
    ];
    for (const [name, content, type] of cases) {
      const response = await upload(name, content, '', type);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
      expect(json<{ message: string }>(response).message.length).toBeGreaterThan(5);
    }
    const notMultipart = await t.app.inject({ method: 'POST', url: '/api/screenings/upload', headers: { cookie: command, 'content-type': 'application/json' }, payload: '{}' });
    expect(notMultipart.statusCode).toBeGreaterThanOrEqual(400);
    expect(notMultipart.statusCode).toBeLessThan(500);
    const huge = await upload('huge.csv', Buffer.alloc(11 * 1024 * 1024, 'a'), '', 'text/csv');
    expect(huge.statusCode).toBe(413);
  });
});
