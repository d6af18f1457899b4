// Personal data for every role on every surface that carries it: lists, details, exports and the
// alerts pushed on /live, inside and outside each user's jurisdiction. One table says what each
// role must get; the tests are generated from it, so a role or a surface cannot be forgotten.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../server/infra/db.ts';
import type { RunningServer } from '../../server/server.ts';
import type { Alert } from '../../server/contracts/alerts.ts';
import { maskAddress, maskIdNumber, maskName, maskPhone, maskedExportNotice } from '../../server/privacy/masking.ts';
import { connectLive, connected, loginCookie, waitFor, watch, type LiveSocket } from '../helpers/live-client.ts';
import { startTestServer } from '../helpers/test-server.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

type Shown = 'unmasked' | 'masked' | 'absent' | 'denied';
type Username = 'admin' | 'command' | 'pudong' | 'lujiazui' | 'grid01' | 'team01' | 'wall';
type Key = 'A' | 'B' | 'C';

/**
 * The rule: name, ID number, phone and address unmasked only for roles with a duty (district, street,
 * grid) inside their jurisdiction; exports unmasked only with the export right besides (pudong and
 * lujiazui have it, grid01 not); the wall never lists people. Outside the jurisdiction a person is
 * absent from lists and exports and a detail is 404. `inside`/`outside` name the fixture person
 * (A: grid01's community; B: Lujiazui; C: Huangpu); city-wide roles have no outside.
 */
const table: Record<Username, { inside: Key; outside: Key | null; list: Shown; detail: Shown; export: Shown; exportUnmasked: Shown }> = {
  admin: { inside: 'A', outside: null, list: 'masked', detail: 'masked', export: 'masked', exportUnmasked: 'denied' },
  command: { inside: 'A', outside: null, list: 'masked', detail: 'masked', export: 'masked', exportUnmasked: 'denied' },
  pudong: { inside: 'A', outside: 'C', list: 'unmasked', detail: 'unmasked', export: 'unmasked', exportUnmasked: 'unmasked' },
  lujiazui: { inside: 'B', outside: 'A', list: 'unmasked', detail: 'unmasked', export: 'unmasked', exportUnmasked: 'unmasked' },
  grid01: { inside: 'A', outside: 'B', list: 'unmasked', detail: 'unmasked', export: 'masked', exportUnmasked: 'denied' },
  team01: { inside: 'A', outside: null, list: 'masked', detail: 'masked', export: 'masked', exportUnmasked: 'denied' },
  wall: { inside: 'A', outside: null, list: 'denied', detail: 'denied', export: 'denied', exportUnmasked: 'denied' },
};
const usernames = Object.keys(table) as Username[];

interface Person { id: string; name: string; idNumber: string; phone: string; address: string }
interface Fixture { grid: string; person: Person; caseId: string; testId: string }

const arrivedOn = '2019-06-01';
// 13 days ago: nucleic-tests.test.ts checks the city's figures of 4–11 days ago, which its own samples alone must make.
const sampleDay = new Date(Date.now() + 8 * 3600_000 - 13 * 86_400_000).toISOString().slice(0, 10);
const responsible = {
  streetCadre: { name: '王街道', phone: '13800000001' },
  communityWorker: { name: '李社区' },
  gridWorker: { name: '赵网格' },
  medic: { name: '钱医生' },
  police: { name: '孙民警' },
};

let server: RunningServer;
let pool: Pool;
let baseUrl: string;
const cookies = {} as Record<Username, string>;
const fixtures = {} as Record<Key, Fixture>;
const sockets: LiveSocket[] = [];

async function api(username: Username, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie: cookies[username], ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, text: await response.text(), response };
}

async function post(username: Username, path: string, body: unknown, status: number) {
  const reply = await api(username, path, { method: 'POST', body });
  expect(reply.status, reply.text).toBe(status);
  return JSON.parse(reply.text) as Record<string, unknown>;
}

const rawValues = (p: Person) => [p.name, p.idNumber, p.phone, p.address];
const maskedValues = (p: Person) => ({ name: maskName(p.name), idNumber: maskIdNumber(p.idNumber), phone: maskPhone(p.phone), address: maskAddress(p.address) });

/** A person as an answer shows them must be exactly what `shown` says. */
function expectPerson(shownAs: Person & { masked: boolean }, person: Person, shown: 'masked' | 'unmasked', where: string) {
  if (shown === 'unmasked') {
    expect(shownAs, where).toMatchObject({ ...person, masked: false });
  } else {
    expect(shownAs, where).toMatchObject({ id: person.id, ...maskedValues(person), masked: true });
  }
}

/** Nothing of the person anywhere in the text: not raw, and with `masksToo` not masked either (one-character-and-stars names aside). */
function expectNoTrace(text: string, person: Person, where: string, masksToo = true) {
  const masks = masksToo ? Object.values(maskedValues(person)).filter((v) => v.length > 4) : [];
  for (const value of [...rawValues(person), ...masks]) {
    expect(text.includes(value), `${where}: ${value}`).toBe(false);
  }
}

async function createFixture(key: Key, writer: Username, grid: string): Promise<Fixture> {
  const n = { A: 1, B: 2, C: 3 }[key];
  const suffix = String(Date.now() % 1e6).padStart(6, '0');
  const person: Person = {
    id: randomUUID(),
    name: `司马测${'甲乙丙'[n - 1]}`,
    idNumber: `31011519900101${suffix.slice(-3)}${n}`,
    phone: `1391234${suffix.slice(-3)}${n}`,
    // masked addresses keep their first six characters: they differ too
    address: `浦东新区${'甲乙丙'[n - 1]}测路${n}${suffix.slice(-2)}号${n}0${n}室`,
  };
  await pool.query(
    `INSERT INTO people (id, name, id_number, phone, address, grid_code, area_path, category, arrived_on, note)
     SELECT $1, $2, $3, $4, $5, code, path, 'big_data_check', $7, $8 FROM areas WHERE code = $6`,
    [person.id, person.name, person.idNumber, person.phone, person.address, grid, arrivedOn, `联系人${person.name}`],
  );
  const caseId = randomUUID();
  await post(writer, '/api/quarantine/cases', { id: caseId, personId: person.id, regime: '14-home', responsible, note: `${person.name}居家隔离` }, 201);
  const testId = randomUUID();
  await post(writer, '/api/nucleic-tests', { tests: [{ id: testId, sampledAt: `${sampleDay}T10:00:00+08:00`, grid, personId: person.id }] }, 200);
  return { grid, person, caseId, testId };
}

beforeAll(async () => {
  pool = createPool(testDatabaseUrl(), 4);
  ({ server, baseUrl } = await startTestServer({ connections: 6 }));
  for (const username of usernames) cookies[username] = await loginCookie(baseUrl, username);
  const grid = async (sql: string) => (await pool.query<{ code: string }>(sql)).rows[0]!.code;
  // Grids at the end of their areas.
  fixtures.A = await createFixture('A', 'grid01', await grid(`SELECT code FROM areas WHERE level = 'grid' AND parent_code = '310115004001' ORDER BY code DESC LIMIT 1`));
  fixtures.B = await createFixture('B', 'lujiazui', await grid(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310115005%' ORDER BY code DESC LIMIT 1`));
  fixtures.C = await createFixture('C', 'admin', await grid(`SELECT code FROM areas WHERE level = 'grid' AND code LIKE '310101%' ORDER BY code DESC LIMIT 1`));
});

afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await server?.close();
  await pool?.end();
});

/** Every list: how to ask for it, and the fixture person's entry in the answer. */
/** The answers as far as these tests read them. */
type PersonShown = Person & { masked: boolean };
interface ListBody { items: Array<{ id: string; person?: PersonShown } & Partial<PersonShown>> }

const lists: Record<string, { path: () => string; find: (body: ListBody, f: Fixture) => PersonShown | undefined }> = {
  people: {
    path: () => `/api/people?arrivedFrom=${arrivedOn}&arrivedTo=${arrivedOn}&limit=500`,
    find: (body, f) => body.items.find((p) => p.id === f.person.id) as PersonShown | undefined,
  },
  'quarantine cases': {
    path: () => '/api/quarantine/cases?status=all&limit=500',
    find: (body, f) => body.items.find((c) => c.id === f.caseId)?.person,
  },
  'nucleic tests': {
    path: () => `/api/nucleic-tests?day=${sampleDay}&limit=500`,
    find: (body, f) => body.items.find((t) => t.id === f.testId)?.person,
  },
  'the big-data-check ledger': {
    path: () => `/api/ledgers/big_data_check?from=${arrivedOn}&to=${arrivedOn}&limit=1000&reason=test`,
    find: (body, f) => body.items.find((p) => p.id === f.person.id) as PersonShown | undefined,
  },
};

/** Every export of personal data, with `unmasked` as asked (undefined: not given). */
const exports: Record<string, (unmasked: boolean | undefined) => string> = {
  'quarantine cases': (unmasked) => `/api/quarantine/cases.xlsx?status=all${unmasked === undefined ? '' : `&unmasked=${unmasked}`}`,
  'the big-data-check ledger': (unmasked) => `/api/ledgers/big_data_check.xlsx?from=${arrivedOn}&to=${arrivedOn}&reason=test${unmasked === undefined ? '' : `&unmasked=${unmasked}`}`,
};

const details: Record<string, { path: (f: Fixture) => string; person: (body: PersonShown & { person: PersonShown }) => PersonShown }> = {
  person: { path: (f) => `/api/people/${f.person.id}`, person: (body) => body },
  'quarantine case': { path: (f) => `/api/quarantine/cases/${f.caseId}`, person: (body) => body.person },
};

const cases = usernames.flatMap((username) => {
  const row = table[username];
  return [
    { username, where: 'inside' as const, key: row.inside },
    ...(row.outside ? [{ username, where: 'outside' as const, key: row.outside }] : []),
  ];
});

describe.each(cases)('$username, a person $where the jurisdiction', ({ username, where, key }) => {
  const row = table[username];
  const inside = where === 'inside';

  it.each(Object.keys(lists))('list of %s', async (name) => {
    const f = fixtures[key];
    const reply = await api(username, lists[name]!.path());
    const expected: Shown = row.list === 'denied' ? 'denied' : inside ? row.list : 'absent';
    if (expected === 'denied') return expect(reply.status).toBe(403);
    expect(reply.status, reply.text).toBe(200);
    const entry = lists[name]!.find(JSON.parse(reply.text), f);
    if (expected === 'absent') {
      expect(entry).toBeUndefined();
      expectNoTrace(reply.text, f.person, name);
      return;
    }
    if (!entry) throw new Error(`${name}: the person is missing from the list`);
    expectPerson(entry, f.person, expected, name);
    if (expected === 'masked') expectNoTrace(reply.text, f.person, name, false);
  });

  it.each(Object.keys(details))('detail of a %s', async (name) => {
    const f = fixtures[key];
    const reply = await api(username, details[name]!.path(f));
    const expected: Shown = row.detail === 'denied' ? 'denied' : inside ? row.detail : 'denied';
    if (expected === 'denied') {
      expect([403, 404]).toContain(reply.status);
      if (!inside) expect(reply.status).toBe(404); // outside, it does not exist
      expectNoTrace(reply.text, f.person, name);
      return;
    }
    expect(reply.status, reply.text).toBe(200);
    expectPerson(details[name]!.person(JSON.parse(reply.text)), f.person, expected as 'masked' | 'unmasked', name);
    // masked: nothing else carries them either (the person's note, the case's event notes)
    if (expected === 'masked') expectNoTrace(reply.text, f.person, name, false);
  });

  for (const [name, url] of Object.entries(exports)) for (const asked of [undefined, true, false] as const) {
    it(`export of ${name}${asked === undefined ? '' : `, unmasked=${asked}`}`, async () => {
      const f = fixtures[key];
      const reply = await fetch(`${baseUrl}${url(asked)}`, { headers: { cookie: cookies[username] } });
      const allowed = asked === true ? row.exportUnmasked : asked === false && row.export !== 'denied' ? 'masked' : row.export;
      const expected: Shown = allowed === 'denied' ? 'denied' : inside ? allowed : 'absent';
      if (expected === 'denied') return expect(reply.status).toBe(403);
      expect(reply.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await reply.arrayBuffer());
      const rows = Array.from(workbook.worksheets[0]!.getSheetValues(), (r) => (Array.isArray(r) ? Array.from(r, (v) => String(v ?? '')) : []));
      const text = rows.map((r) => r.join('\t')).join('\n');
      const noticed = text.includes(maskedExportNotice);
      expect(noticed).toBe(allowed === 'masked');
      if (expected === 'absent') return expectNoTrace(text, f.person, 'export');
      const line = rows.find((r) => r.includes(expected === 'unmasked' ? f.person.name : maskName(f.person.name)) && r.includes(expected === 'unmasked' ? f.person.idNumber : maskIdNumber(f.person.idNumber)));
      expect(line, `${expected} row of ${f.person.name}`).toBeDefined();
      if (expected === 'unmasked') expect(line).toEqual(expect.arrayContaining([f.person.phone, f.person.address]));
      else expectNoTrace(text, f.person, 'export', false);
    });
  }

  it('alerts pushed on /live', async () => {
    const f = fixtures[key];
    const socket = connectLive(baseUrl, cookies[username]);
    sockets.push(socket);
    await connected(socket);
    const received: Alert[] = [];
    socket.on('alert:raised', (alert) => received.push(alert));
    const reply = await watch(socket, { areas: [f.grid] });
    if (!inside) {
      expect(reply).toMatchObject({ error: { code: 'forbidden' } });
      return;
    }
    expect(reply).toHaveProperty('data');
    // A fever on the person's case: an abnormal_temperature alert at their grid.
    const writer: Username = key === 'A' ? 'grid01' : 'lujiazui';
    await post(writer, '/api/quarantine/temperature-checks', { checks: [{ id: randomUUID(), caseId: f.caseId, at: new Date().toISOString(), temperature: 38.6 }] }, 200);
    const alert = await waitFor(() => received.find((a) => a.details.caseId === f.caseId), 5000, 'alert:raised');
    expect(alert.kind).toBe('abnormal_temperature');
    // Alerts name places and figures, never people: not even masked, for any role.
    expectNoTrace(JSON.stringify(received), f.person, 'alert:raised');
    expect(Object.keys(alert.details).sort()).toEqual(['caseId', 'temperature']);
    socket.disconnect();
  });
});

describe('the wall display', () => {
  it('gets alerts without handlers\' notes, which are free text that may name a person', async () => {
    const { person, caseId } = fixtures.A;
    await post('grid01', '/api/quarantine/temperature-checks', { checks: [{ id: randomUUID(), caseId, at: new Date().toISOString(), temperature: 38.9 }] }, 200);
    const { rows } = await pool.query<{ id: number }>(`SELECT id FROM alerts WHERE details ->> 'caseId' = $1 ORDER BY id DESC LIMIT 1`, [caseId]);
    const id = rows[0]!.id;
    await post('grid01', `/api/alerts/${id}/acknowledge`, { note: `已电话联系${person.name}` }, 200);
    const find = async (username: Username) => {
      const reply = await api(username, `/api/alerts?area=${fixtures.A.grid}&status=all&limit=500`);
      return (JSON.parse(reply.text) as { items: Alert[] }).items.find((a) => a.id === id)!;
    };
    expect((await find('grid01')).note).toContain(person.name);
    const onWall = await find('wall');
    expect(onWall.note).toBeNull();
    expectNoTrace(JSON.stringify(onWall), person, 'wall alert');
  });
});
