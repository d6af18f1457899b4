import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertList, AreaDayCounts } from '../../server/contracts/index.ts';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let command: string;
let wall: string;
/** Two grids of one Minhang community (no other test here writes there), and its code. */
let gridA: string;
let gridB: string;
let community: string;
/** A point inside gridB, in WGS-84. */
let pointB: { lon: number; lat: number };

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

const upload = (filename: string, content: Buffer, query = '', type = xlsxType, cookie = command) => {
  const form = multipart(filename, content, type);
  return t.app.inject({ method: 'POST', url: `/api/nucleic-tests/upload${query}`, payload: form.payload, headers: { ...form.headers, cookie } });
};

/** A day n days ago on the Shanghai calendar, and a wall-clock time that day as Excel keeps it (no zone). */
function pastDay(daysAgo: number) {
  const day = new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return { day, excel: (hhmm: string) => new Date(`${day}T${hhmm}:00Z`), text: (hhmm: string) => `${day} ${hhmm}` };
}

type Row = Record<string, string | number | Date | null>;

/** The real template, downloaded and filled in by header, the way an official would. */
async function filledTemplate(rows: Row[]): Promise<Buffer> {
  const response = await t.app.inject({ url: '/api/nucleic-tests/template.xlsx', headers: { cookie: command } });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  rows.forEach((row, i) => {
    for (const name of Object.keys(row)) expect(headers, `template column ${name}`).toContain(name);
    sheet.getRow(i + 2).values = headers.map((h) => row[h] ?? null);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvOf = (header: string[], rows: Array<Array<string | number>>) => [header, ...rows].map((r) => r.join(',')).join('\r\n');

/** GBK bytes, as Excel in China saves CSV (Node has a GB18030 decoder but no encoder). */
function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) table.set(decoder.decode(new Uint8Array([hi, lo])), [hi, lo]);
  return Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)));
}

const figures = async (code: string, day: string) => {
  const c = json<AreaDayCounts>(await t.app.inject({ url: `/api/stats/${code}?day=${day}`, headers: { cookie: command } })).counts;
  return { sampled: c.testsSampled, resulted: c.testsResulted, positive: c.testsPositive, onTime: c.resultsOnTime };
};
const storedTests = async () => (await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM nucleic_tests WHERE grid_code = ANY ($1)`, [[gridA, gridB]])).rows[0]!.n;
const positiveAlerts = async () =>
  json<AlertList>(await t.app.inject({ url: `/api/alerts?kind=positive_result&area=${community}&status=all&limit=500`, headers: { cookie: command } })).total;

interface Rejected {
  code: string;
  message: string;
  details: Array<{ row: number; field: string; reason: string }>;
}

beforeAll(async () => {
  t = await createTestApp();
  [command, wall] = await Promise.all([t.login('command'), t.login('wall')]);
  community = (await t.pool.query<{ code: string }>(`SELECT parent_code AS code FROM areas WHERE level = 'grid' AND code LIKE '310112%' ORDER BY code LIMIT 1`)).rows[0]!.code;
  const grids = (await t.pool.query<{ code: string; lon: number; lat: number }>(
    `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM areas WHERE parent_code = $1 ORDER BY code LIMIT 2`,
    [community],
  )).rows;
  gridA = grids[0]!.code;
  gridB = grids[1]!.code;
  pointB = { lon: Number(grids[1]!.lon.toFixed(6)), lat: Number(grids[1]!.lat.toFixed(6)) };
});
afterAll(() => t.close());

describe('nucleic-acid test sheets', () => {
  it('offers a template with Chinese headers, validated cells and instructions', async () => {
    const response = await t.app.inject({ url: '/api/nucleic-tests/template.xlsx', headers: { cookie: command } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('核酸采样');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['采样时间', '场所编号', '网格编码', '经度', '纬度', '坐标系', '重点人群', '人员编号', '检测结果', '出结果时间', '检测编号']);
    const validations = JSON.stringify((sheet as unknown as { dataValidations: { model: unknown } }).dataValidations.model);
    expect(validations).toContain('阴性,阳性,无效');
    expect(validations).toContain('是,否');
    expect(validations).toContain('WGS84,GCJ02,BD09');
    expect(workbook.worksheets[1]?.name).toBe('填写说明 Instructions');
    expect((await t.app.inject({ url: '/api/nucleic-tests/template.xlsx', headers: { cookie: wall } })).statusCode).toBe(403);
  });

  it('imports a filled-in template through the same path as the JSON batch: exact figures, positive alert; the same file again changes nothing, and again with a result added adds only the result', async () => {
    const { day, excel } = pastDay(3);
    const rows: Row[] = [
      { 采样时间: excel('08:00'), 网格编码: gridA, 重点人群: '否' },
      // risk group: due in 6 h, positive at 12:00 is on time
      { 采样时间: excel('08:10'), 网格编码: gridA, 重点人群: '是', 检测结果: '阳性', 出结果时间: excel('12:00') },
      // due in 12 h: negative at 22:00 is late
      { 采样时间: excel('08:20'), 网格编码: gridB, 检测结果: '阴性', 出结果时间: excel('22:00') },
      { 采样时间: excel('08:00'), 网格编码: gridA, 重点人群: '否' }, // a second, identical person
      { 采样时间: excel('09:00'), 经度: pointB.lon, 纬度: pointB.lat, 坐标系: 'WGS84' },
    ];
    const alertsBefore = await positiveAlerts();
    const first = await upload('核酸.xlsx', await filledTemplate(rows));
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({ rows: 5, accepted: 5, duplicates: 0, results: { accepted: 2, duplicates: 0 }, skipped: [], ignoredColumns: [] });
    expect(await figures(gridA, day)).toEqual({ sampled: 3, resulted: 1, positive: 1, onTime: 1 });
    expect(await figures(gridB, day)).toEqual({ sampled: 2, resulted: 1, positive: 0, onTime: 0 });
    expect(await figures(community, day)).toEqual({ sampled: 5, resulted: 2, positive: 1, onTime: 1 });
    expect(await positiveAlerts()).toBe(alertsBefore + 1);
    const due = (await t.pool.query<{ risk: boolean; hours: number }>(
      `SELECT risk_group AS risk, extract(epoch FROM due_at - sampled_at)::int / 3600 AS hours FROM nucleic_tests WHERE grid_code = $1 ORDER BY sampled_at, risk_group`, [gridA],
    )).rows;
    expect(due).toEqual([{ risk: false, hours: 12 }, { risk: false, hours: 12 }, { risk: true, hours: 6 }]);

    const again = await upload('核酸.xlsx', await filledTemplate(rows));
    expect(json(again)).toEqual({ rows: 5, accepted: 0, duplicates: 5, results: { accepted: 0, duplicates: 2 }, skipped: [], ignoredColumns: [] });
    expect(await figures(community, day)).toEqual({ sampled: 5, resulted: 2, positive: 1, onTime: 1 });

    rows[0] = { ...rows[0], 检测结果: '阴性', 出结果时间: excel('15:00') };
    const withResult = await upload('核酸.xlsx', await filledTemplate(rows));
    expect(json(withResult)).toEqual({ rows: 5, accepted: 0, duplicates: 5, results: { accepted: 1, duplicates: 2 }, skipped: [], ignoredColumns: [] });
    expect(await figures(gridA, day)).toEqual({ sampled: 3, resulted: 2, positive: 1, onTime: 2 });
    expect(await positiveAlerts()).toBe(alertsBefore + 1);

    // The same samples as CSV (city wall-clock text instead of Excel dates) are the same records.
    const { text } = pastDay(3);
    const csv = csvOf(['采样时间', '网格编码', '重点人群', '检测结果', '出结果时间'], [[text('08:10'), gridA, '是', '阳性', text('12:00')]]);
    expect(json(await upload('核酸.csv', Buffer.from(csv), '', 'text/csv'))).toMatchObject({ accepted: 0, duplicates: 1, results: { accepted: 0, duplicates: 1 } });

    const consistency = json<{ consistent: boolean }>(await t.app.inject({ url: `/api/stats/consistency?day=${day}`, headers: { cookie: await t.login('admin') } }));
    expect(consistency.consistent).toBe(true);
  });

  it('reports every bad row by row and column and stores nothing, unless asked to import the valid rows', async () => {
    const { day, text } = pastDay(4);
    const csv = csvOf(['采样时间', '网格编码', '检测结果', '出结果时间', '备注'], [
      [text('10:00'), gridA, '', '', 'ok'],
      [text('10:01'), gridA, '紫', text('11:00'), ''], // row 3: no such result
      ['', gridA, '', '', ''], // row 4: no sampling time
      [text('10:03'), '31011299999999', '', '', ''], // row 5: no such grid
      [text('10:04'), gridA, '阴性', '', ''], // row 6: result without its time
      [text('10:05'), gridA, '阴性', text('09:00'), ''], // row 7: result before the sample
      [text('10:06'), gridB, '', '', ''],
    ]);
    const before = await storedTests();
    const refused = await upload('errors.csv', Buffer.from(csv), '', 'text/csv');
    expect(refused.statusCode).toBe(400);
    const body = json<Rejected>(refused);
    expect(body.code).toBe('validation_failed');
    expect(body.message).toContain('5 行有错误');
    expect(body.details.map((d) => [d.row, d.field.split(' ')[0]])).toEqual([
      [3, '检测结果'],
      [4, '采样时间'],
      [5, '网格编码'],
      [6, '出结果时间'],
      [7, '出结果时间'],
    ]);
    for (const d of body.details) {
      expect(d.reason).toMatch(/[\u4e00-\u9fff]/); // Chinese
      expect(d.reason).toMatch(/[a-z]{3}/); // and English
    }
    expect(await storedTests()).toBe(before);
    expect(await figures(gridA, day)).toEqual({ sampled: 0, resulted: 0, positive: 0, onTime: 0 });

    const partial = await upload('errors.csv', Buffer.from(csv), '?importValid=true', 'text/csv');
    expect(partial.statusCode, partial.body).toBe(200);
    expect(json(partial)).toMatchObject({ rows: 7, accepted: 2, duplicates: 0, results: { accepted: 0, duplicates: 0 }, ignoredColumns: ['备注'] });
    expect(json<{ skipped: Array<{ row: number }> }>(partial).skipped.map((s) => s.row)).toEqual([3, 4, 5, 6, 7]);
    expect(await storedTests()).toBe(before + 2);
    expect(await figures(gridA, day)).toEqual({ sampled: 1, resulted: 0, positive: 0, onTime: 0 });
    expect(await figures(gridB, day)).toEqual({ sampled: 1, resulted: 0, positive: 0, onTime: 0 });
  });

  it('refuses a different result for a sample that has one (409), or skips just that row with importValid', async () => {
    const { day, text } = pastDay(5);
    const header = ['采样时间', '网格编码', '检测结果', '出结果时间'];
    const original = csvOf(header, [[text('07:00'), gridA, '阴性', text('09:00')]]);
    expect(json(await upload('a.csv', Buffer.from(original), '', 'text/csv'))).toMatchObject({ accepted: 1, results: { accepted: 1 } });

    const changed = csvOf(header, [[text('07:00'), gridA, '阳性', text('09:00')], [text('07:30'), gridB, '阴性', text('08:30')]]);
    const conflict = await upload('b.csv', Buffer.from(changed), '', 'text/csv');
    expect(conflict.statusCode).toBe(409);
    expect(json<Rejected>(conflict).details).toMatchObject([{ row: 2, field: '检测结果 (Result)' }]);
    expect(await figures(gridB, day)).toEqual({ sampled: 0, resulted: 0, positive: 0, onTime: 0 });

    const partial = await upload('b.csv', Buffer.from(changed), '?importValid=true', 'text/csv');
    expect(partial.statusCode, partial.body).toBe(200);
    expect(json(partial)).toMatchObject({ rows: 2, accepted: 1, duplicates: 0, results: { accepted: 1, duplicates: 0 }, skipped: [{ row: 2, field: '检测结果 (Result)' }] });
    expect(await figures(gridA, day)).toEqual({ sampled: 1, resulted: 1, positive: 0, onTime: 1 });
    expect(await figures(gridB, day)).toEqual({ sampled: 1, resulted: 1, positive: 0, onTime: 1 });
  });

  it('reads a GBK CSV with English headers in any order and names the columns it ignores', async () => {
    const { day, text } = pastDay(6);
    const csv = csvOf(['姓名', 'Result', 'Grid code', 'Resulted at', 'Sampled at', 'Risk group'], [['张三', '阴性', gridB, text('18:00'), text('16:00'), '是']]);
    const response = await upload('核酸检测.csv', gbk(csv), '', 'text/csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(json(response)).toEqual({ rows: 1, accepted: 1, duplicates: 0, results: { accepted: 1, duplicates: 0 }, skipped: [], ignoredColumns: ['姓名'] });
    expect(await figures(gridB, day)).toEqual({ sampled: 1, resulted: 1, positive: 0, onTime: 1 });
  });

  it('refuses what is not a usable sheet with a clear 4xx', async () => {
    const before = await storedTests();
    const cases: Array<[string, Buffer, string, number]> = [
      ['fake.xlsx', Buffer.from('not a workbook'), xlsxType, 400],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'application/vnd.ms-excel', 400],
      ['zip.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), xlsxType, 400],
      ['photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'image/png', 400],
      ['empty.csv', Buffer.from(''), 'text/csv', 400],
      ['header-only.csv', Buffer.from('采样时间,网格编码\n'), 'text/csv', 400],
      ['no-time.csv', Buffer.from(`网格编码,检测结果\n${gridA},阴性\n`), 'text/csv', 400],
    ];
    for (const [name, content, type, status] of cases) {
      const response = await upload(name, content, '', type);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(status);
      expect(json<{ message: string }>(response).message.length).toBeGreaterThan(5);
    }
    const notMultipart = await t.app.inject({ method: 'POST', url: '/api/nucleic-tests/upload', headers: { cookie: command, 'content-type': 'application/json' }, payload: '{}' });
    expect(notMultipart.statusCode).toBe(400);
    const badQuery = await upload('a.csv', Buffer.from(`采样时间,网格编码\n${pastDay(1).text('08:00')},${gridA}\n`), '?importValid=maybe', 'text/csv');
    expect(badQuery.statusCode, badQuery.body).toBe(400);
    const huge = await upload('huge.csv', Buffer.alloc(11 * 1024 * 1024, 'a'), '', 'text/csv');
    expect(huge.statusCode).toBe(413);
    const wallUpload = await upload('a.csv', Buffer.from(`采样时间,网格编码\n${pastDay(1).text('08:00')},${gridA}\n`), '', 'text/csv', wall);
    expect(wallUpload.statusCode).toBe(403);
    expect(await storedTests()).toBe(before);
  });
});
