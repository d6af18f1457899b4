// An Excel "zip bomb" (a small .xlsx whose sheet expands to hundreds of MB) is refused with 413
// workbook_too_large on every upload endpoint before exceljs reads it, whether its zip directory
// declares the real size or lies about it; a damaged zip is a 400. The files are built here.
import { once } from 'node:events';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../helpers/test-app.ts';

interface ZipEntry {
  name: string;
  data: Buffer; // deflated
  crc: number;
  size: number;
  /** what the central directory claims the entry expands to (the truth unless a test lies) */
  declaredSize?: number;
}

const entryOf = (name: string, text: string): ZipEntry => {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), crc: crc32(raw), size: raw.length };
};

/** A deflated entry of head + filler × times + tail, streamed so the expanded text is never held. */
async function repeatedEntry(name: string, head: string, filler: Buffer, times: number, tail: string): Promise<ZipEntry> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(deflate, 'end');
  let crc = crc32(head);
  deflate.write(head);
  for (let i = 0; i < times; i++) {
    crc = crc32(filler, crc);
    if (!deflate.write(filler)) await once(deflate, 'drain');
  }
  crc = crc32(tail, crc);
  deflate.end(tail);
  await ended;
  return { name, data: Buffer.concat(chunks), crc, size: Buffer.byteLength(head) + filler.length * times + Buffer.byteLength(tail) };
}

/** A zip with local headers, central directory and end record (no data descriptors, no ZIP64). */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize ?? entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize ?? entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const sheetNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** The parts of a one-sheet workbook around its sheet XML. */
const workbookParts = (sheet: ZipEntry): ZipEntry[] => [
  entryOf('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
  entryOf('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
  entryOf('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
  entryOf('xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
  sheet,
];
const sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${sheetNs}"><sheetData>`;
const sheetTail = '</sheetData></worksheet>';
const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

let t: TestApp;
let command: string;
let bomb: Buffer;
let lyingBomb: Buffer;
let reportUnit: string;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const day = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);

function upload(url: string, content: Buffer, filename = 'bomb.xlsx') {
  const boundary = `----ecc${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${xlsxType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url, payload, headers: { cookie: command, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

beforeAll(async () => {
  t = await createTestApp();
  command = await t.login('command');
  reportUnit = (await t.pool.query<{ code: string }>(`SELECT code FROM areas WHERE level = 'community' ORDER BY code LIMIT 1`)).rows[0]!.code;
  // 300 MB of blanks inside <sheetData>: well-formed XML that deflates to about 300 KB
  const sheet = await repeatedEntry('xl/worksheets/sheet1.xml', sheetHead, Buffer.alloc(1024 * 1024, ' '), 300, sheetTail);
  bomb = zip(workbookParts(sheet));
  lyingBomb = zip(workbookParts({ ...sheet, declaredSize: 2000 }));
}, 60_000);
afterAll(() => t.close());

const endpoints = () => [
  ['screenings', '/api/screenings/upload'],
  ['nucleic tests', '/api/nucleic-tests/upload'],
  ['daily reports', `/api/reports/${reportUnit}/${day}/upload`],
] as const;

describe('Excel zip bombs', () => {
  it('the bomb is small on the wire and huge unpacked', () => {
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(lyingBomb.length).toBe(bomb.length);
  });

  it('is refused with 413 workbook_too_large on every upload endpoint, quickly and without storing anything', async () => {
    const counts = async () => (await t.pool.query<{ n: string }>(`SELECT (SELECT count(*) FROM screening_events) + (SELECT count(*) FROM nucleic_tests) + (SELECT count(*) FROM daily_reports) AS n`)).rows[0]!.n;
    const before = await counts();
    for (const [name, url] of endpoints()) {
      for (const [kind, file] of [['declared', bomb], ['lying directory', lyingBomb]] as const) {
        const started = performance.now();
        const response = await upload(url, file);
        expect(response.statusCode, `${name}, ${kind}: ${response.body}`).toBe(413);
        expect(json<{ code: string; message: string }>(response)).toMatchObject({ code: 'workbook_too_large', message: expect.stringMatching(/ \/ .*工作簿解压后过大/) });
        expect(performance.now() - started, `${name}, ${kind}`).toBeLessThan(5000);
      }
    }
    expect(await counts()).toBe(before);
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('a workbook of thousands of tiny entries is refused too', async () => {
    const many = zip(Array.from({ length: 3000 }, (_, i) => entryOf(`xl/media/x${i}.xml`, '<a/>')));
    const response = await upload('/api/screenings/upload', many);
    expect(response.statusCode).toBe(413);
    expect(json<{ code: string }>(response).code).toBe('workbook_too_large');
  });

  it('a small workbook built the same way passes the guard and is read (its cells reported, not refused)', async () => {
    const sheet = entryOf('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1">${cell('A1', '姓名')}${cell('B1', '电话')}</row>${sheetTail}`);
    const response = await upload('/api/screenings/upload', zip(workbookParts(sheet)));
    expect(response.statusCode, response.body).toBe(400);
    expect(json<{ code: string; details: Array<{ field: string }> }>(response)).toMatchObject({ code: 'validation_failed', details: expect.arrayContaining([expect.objectContaining({ field: '姓名' })]) });
  });

  it('a damaged zip is a 400 on every endpoint, never a 500', async () => {
    const good = zip(workbookParts(entryOf('xl/worksheets/sheet1.xml', `${sheetHead}${sheetTail}`)));
    const corrupt = Buffer.from(good);
    corrupt.fill(0x55, 200, 260); // inside the first entry's deflate data
    const damaged: Array<[string, Buffer]> = [
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['corrupt data', corrupt],
      ['directory past the end', Buffer.concat([good.subarray(0, good.length - 6), Buffer.from([0xff, 0xff, 0xff, 0x7f, 0, 0])])],
    ];
    for (const [name, url] of endpoints()) {
      for (const [kind, file] of damaged) {
        const response = await upload(url, file);
        expect(response.statusCode, `${name}, ${kind}: ${response.body}`).toBe(400);
        expect(json<{ message: string }>(response).message).toMatch(/xlsx/);
      }
    }
  });
});
