// The inspection page (/inspection) in a real browser: the command centre plans a day of the demo
// round with the route planner (POST /api/inspection/rounds/:id/plan — team leaders may not plan
// the whole day, only lock and move their own stops), then 第一组's leader `team01` signs in, finds
// their team preselected, opens the route sheet, records a visit at the first stop with every check
// passed, and sees that site turn "passed" — in the sheet (data-status) and on the map (the pixel
// at the stop's centre changes from the "never" grey to the "passed" green).
//
// Then, on the coverage tab, the site's grid is filled with the colour of its share inspected (the
// map colours grids when zoomed in); and on the follow-up tab (整改与回头看) a failed visit's
// rectification report is verified, and the site appears among next month's 回头看. Last, with a
// plan for today (written straight into the database: today is not always a round day), team01
// shares the team's position from the browser (a mocked geolocation) and sees its marker.
//
// The day is the last round day before today, so a visit on it is never in the future and every
// run plans the same kind of day. One page throughout (SwiftShader is slow).
// Screenshots: artifacts/e2e/inspection-*.png (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { launchChromium } from '../helpers/chromium.ts';
import { loginCookie } from '../helpers/live-client.ts';
import { stepRoundDay } from '../../client/src/features/inspection/days.ts';
import { coverageColor, statusColors, teamColor } from '../../client/src/features/inspection/colors.ts';
import { createPool, withTransaction } from '../../server/infra/db.ts';
import { savePlan } from '../../server/inspection/inspection.repository.ts';
import type { AreaFeature, Coverage, DayPlans, Rectification, RoundList, RoundSites, Visit } from '../../server/contracts/index.ts';
import { testDatabaseUrl } from '../helpers/own-database.ts';

const baseUrl = inject('baseUrl');
const artifacts = path.resolve('artifacts', 'e2e');
const idleTimeout = 90_000;
const eventually = <T>(read: () => Promise<T>, timeout = 30_000) => expect.poll(read, { timeout, interval: 250 });

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
let day: string;
let roundId: number;
let firstStop: { siteId: number; position: [number, number] };
let secondStop: { siteId: number };

const cityToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

async function screenshot(name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(artifacts, `inspection-${name}.png`) });
}

/** Signs in through the login form; `landing` is the test id of the page that should follow. */
async function signIn(username: string, landing: string): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', 'demo-password');
  await page.click('button[type="submit"]');
  await page.getByTestId(landing).waitFor({ timeout: idleTimeout });
}

/** The map is idle (tiles drawn), the site statuses are loaded, and deck.gl has drawn a frame since. */
async function waitForMap(): Promise<void> {
  await page.waitForFunction(() => window.__ecc !== undefined && !window.__ecc.map.isMoving(), undefined, { timeout: idleTimeout });
  await page.waitForSelector('[data-testid="map"][data-idle="true"]', { timeout: idleTimeout });
  await page.waitForSelector('.inspection-map[data-status-ready="true"]', { timeout: idleTimeout });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The colour on screen at a longitude/latitude (the map projects it to pixels). */
async function colourAt(position: [number, number]): Promise<[number, number, number]> {
  const point = await page.evaluate(([lon, lat]) => {
    const map = window.__ecc!.map;
    const p = map.project([lon, lat]);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
  }, position);
  const image = PNG.sync.read(await page.screenshot());
  const i = (point.y * image.width + point.x) * 4;
  return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0];
}

const hexRgb = (hex: string): [number, number, number] => {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
};
const distance = (a: [number, number, number], b: [number, number, number]) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const rounds = (await (await fetch(`${baseUrl}/api/inspection/rounds`, { headers: { cookie: await loginCookie(baseUrl, 'command') } })).json()) as RoundList;
  const round = rounds.items.find((r) => r.status === 'active');
  if (!round) throw new Error('the demo round is missing from the test database');
  roundId = round.id;
  day = stepRoundDay(round, cityToday(), -1)!;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  await context.grantPermissions(['geolocation'], { origin: baseUrl });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('inspection page', () => {
  it('lets the command centre plan the day for every team', async () => {
    await page.goto(baseUrl);
    await signIn('command', 'side-panel');
    // From the map page through the link in its top bar.
    await page.getByTestId('nav-inspection').click();
    await page.getByTestId('inspection-page').waitFor({ timeout: idleTimeout });
    expect(new URL(page.url()).pathname).toBe('/inspection');
    await page.getByTestId('day-input').fill(day);
    await eventually(() => page.locator('#plan-title').textContent()).toContain(day);
    await eventually(() => page.getByTestId('plan-empty').count()).toBe(1);

    await page.getByTestId('plan-day').click();
    await page.getByTestId('plan-progress').waitFor({ timeout: 10_000 });
    await page.getByTestId('plan-notes').waitFor({ timeout: 60_000 });
    // Every team of the seed's round has a plan with 2–3 stops.
    await eventually(() => page.locator('[data-testid^="team-plan-"]').count()).toBe(12);
    const plans = (await page.evaluate(async ([r, d]) => (await fetch(`/api/inspection/rounds/${r}/plans?day=${d}`)).json(), [roundId, day] as const)) as DayPlans;
    expect(plans.plans).toHaveLength(12);
    for (const plan of plans.plans) expect(plan.stops.length, plan.teamName).toBeGreaterThanOrEqual(2);
    const team1 = plans.plans.find((p) => p.teamId === 1)!;
    const first = team1.stops.find((s) => s.seq === 1)!;
    firstStop = { siteId: first.siteId, position: first.position };
    secondStop = { siteId: team1.stops.find((s) => s.seq === 2)!.siteId };
    await waitForMap();
    await screenshot('01-planned');
  });

  it("opens team01's own route sheet and records a visit that turns the site green on the map", async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await signIn('team01', 'inspection-page');
    // 第一组 is team01's: preselected.
    await eventually(() => page.getByTestId('team-select').inputValue()).toBe('1');
    await eventually(() => page.locator('[data-testid^="team-plan-"]').count()).toBe(1);
    await page.getByTestId('open-sheet-1').click();
    const row = page.getByTestId(`sheet-stop-${firstStop.siteId}`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('never');
    await waitForMap();
    const before = await colourAt(firstStop.position);
    expect(distance(before, hexRgb(statusColors.never)), `colour before: ${before}`).toBeLessThan(40);
    await screenshot('02-route-sheet');

    await page.getByTestId(`sheet-record-${firstStop.siteId}`).click();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    for (const key of ['prevention', 'staff_on_duty', 'return_conditions']) await form.getByTestId(`check-${key}-pass`).check();
    expect(await form.getByTestId('notice-fields').count()).toBe(0);
    await screenshot('03-visit-form');
    await form.getByTestId('visit-save').click();
    await eventually(() => page.getByTestId('visit-form').count()).toBe(0);

    await eventually(() => row.getAttribute('data-status')).toBe('passed');
    await eventually(() => page.locator('[data-testid="status-legend"] [data-status="passed"]').getAttribute('data-count')).toBe('1');
    await waitForMap();
    await eventually(async () => distance(await colourAt(firstStop.position), hexRgb(statusColors.passed))).toBeLessThan(40);
    await screenshot('04-visited');

    // The visit is stored as recorded: all checks passed, no notice, for 第一组 on that day.
    const visits = (await page.evaluate(async ([r, d]) => (await fetch(`/api/inspection/visits?round=${r}&team=1&day=${d}`)).json(), [roundId, day] as const)) as {
      items: Array<{ siteId: number; results: Record<string, string>; notice: unknown; failed: boolean }>;
    };
    expect(visits.items).toHaveLength(1);
    expect(visits.items[0]).toMatchObject({ siteId: firstStop.siteId, failed: false, notice: null, results: { prevention: 'pass', staff_on_duty: 'pass', return_conditions: 'pass' } });
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  });

  it("fills the visited site's grid with the colour of its share inspected on the coverage tab", async () => {
    await page.getByTestId('tab-coverage').click();
    await page.getByTestId('coverage-legend').waitFor();
    // Zoomed out on the city: streets coloured (a look for the eye).
    await waitForMap();
    await screenshot('05-coverage-streets');
    const api = <T>(url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;
    const sites = await api<RoundSites>(`/api/inspection/rounds/${roundId}/sites?day=${day}&limit=5000`);
    const grid = sites.items.find((s) => s.siteId === firstStop.siteId)!.gridCode;
    const coverage = await api<Coverage>(`/api/inspection/rounds/${roundId}/coverage?by=grid&week=${day}`);
    const row = coverage.rows.find((r) => r.key === grid)!;
    expect(row.inspected).toBeGreaterThanOrEqual(1);
    const area = await api<AreaFeature>(`/api/areas/${grid}`);
    // Zoom in on the grid (grids are coloured from zoom 12), then read the pixels inside its box.
    await page.evaluate((bbox) => window.__ecc!.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { animate: false, padding: 200 }), area.bbox);
    await waitForMap();
    expect(await page.evaluate(() => window.__ecc!.map.getZoom())).toBeGreaterThanOrEqual(12);
    // The fill is the ramp colour at 150/255 over the dark land (#0b1526).
    const [r, g, b] = hexRgb(coverageColor(row.inspected / row.inScope));
    const land = hexRgb('#0b1526');
    const a = 150 / 255;
    const expected: [number, number, number] = [r * a + land[0] * (1 - a), g * a + land[1] * (1 - a), b * a + land[2] * (1 - a)];
    const share = async () => {
      const box = await page.evaluate((bbox) => {
        const map = window.__ecc!.map;
        const rect = map.getCanvas().getBoundingClientRect();
        const [p, q] = [map.project([bbox[0], bbox[3]]), map.project([bbox[2], bbox[1]])];
        return { x0: Math.round(rect.left + p.x), y0: Math.round(rect.top + p.y), x1: Math.round(rect.left + q.x), y1: Math.round(rect.top + q.y) };
      }, area.bbox);
      const image = PNG.sync.read(await page.screenshot());
      let near = 0;
      let all = 0;
      for (let y = box.y0; y < box.y1; y += 2) {
        for (let x = box.x0; x < box.x1; x += 2) {
          const i = (y * image.width + x) * 4;
          all += 1;
          if (distance([image.data[i]!, image.data[i + 1]!, image.data[i + 2]!], expected) < 30) near += 1;
        }
      }
      return near / Math.max(1, all);
    };
    // A grid fills a good part of its own box (the rest belongs to its neighbours).
    await eventually(share).toBeGreaterThan(0.15);
    await screenshot('06-coverage-grid');
  });

  it('verifies a rectification on the follow-up tab and lists the site for next month\'s 回头看', async () => {
    const cookie = await loginCookie(baseUrl, 'team01');
    const call = async <T>(url: string, body: object): Promise<T> => {
      const response = await fetch(`${baseUrl}${url}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as T;
    };
    const failed = await call<Visit>('/api/inspection/visits', {
      clientId: crypto.randomUUID(), roundId, teamId: 1, siteId: secondStop.siteId,
      arrivedAt: `${day}T14:00:00+08:00`, departedAt: `${day}T14:40:00+08:00`,
      results: { prevention: 'fail', staff_on_duty: 'pass', return_conditions: 'pass' }, findings: '未落实进场测温',
      notice: { number: `E2E-${Date.now()}`, deadline: cityToday() },
    });
    const rectification = await call<Rectification>(`/api/inspection/visits/${failed.id}/rectification`, { report: '已整改：增设测温点' });

    await page.getByTestId('tab-followup').click();
    await page.getByTestId('followup-panel').waitFor();
    const status = page.getByTestId(`rectification-status-${rectification.id}`);
    await eventually(() => status.count()).toBe(1);
    const reportedLabel = await status.textContent();
    await page.getByTestId(`verify-ok-${rectification.id}`).click();
    await eventually(() => status.textContent()).not.toBe(reportedLabel);
    expect(await page.getByTestId(`verify-ok-${rectification.id}`).count()).toBe(0);
    // The report put the site on the next month's must-check list.
    await eventually(() => page.getByTestId('followups').textContent()).toContain(failed.siteName);
    await screenshot('07-followup');
    const stored = (await (await fetch(`${baseUrl}/api/inspection/rectifications?status=rectified`, { headers: { cookie } })).json()) as { items: Rectification[] };
    expect(stored.items.some((r) => r.id === rectification.id)).toBe(true);
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  });

  it("shares team01's position today and shows it on the map with its age", async () => {
    const pool = createPool(testDatabaseUrl(), 1);
    try {
      await withTransaction(pool, (client) => savePlan(client, roundId, cityToday(), [{ teamId: 1, stops: [] }], 'e2e'));
    } finally {
      await pool.end();
    }
    const where: [number, number] = [firstStop.position[0] + 0.004, firstStop.position[1] + 0.002];
    await page.context().setGeolocation({ longitude: where[0], latitude: where[1], accuracy: 12 });
    await page.getByTestId('tab-plan').click();
    await page.getByTestId('day-input').fill(cityToday());
    await page.getByTestId('share-position-1').click();
    const entry = page.locator('[data-testid="team-positions"] [data-team="1"]');
    await eventually(() => entry.count()).toBe(1);
    expect(await entry.getAttribute('data-stale')).toBe('false');
    const positions = (await page.evaluate(async () => (await fetch('/api/inspection/positions')).json())) as { items: Array<{ teamId: number; position: [number, number] }> };
    expect(positions.items).toHaveLength(1);
    expect(positions.items[0]!.position[0]).toBeCloseTo(where[0], 6);
    expect(positions.items[0]!.position[1]).toBeCloseTo(where[1], 6);
    await page.evaluate(([lon, lat]) => window.__ecc!.map.jumpTo({ center: [lon, lat], zoom: 14 }), where);
    await waitForMap();
    await eventually(async () => distance(await colourAt(where), hexRgb(teamColor(1)))).toBeLessThan(40);
    await screenshot('08-position');

    // The leader's phone shares a newer position (another session, through the API): the socket's
    // inspection:updated makes the open page re-read it, with no reload and no polling.
    const moved: [number, number] = [where[0] + 0.006, where[1] - 0.003];
    const shared = await fetch(`${baseUrl}/api/inspection/teams/1/position`, {
      method: 'POST', headers: { cookie: await loginCookie(baseUrl, 'team01'), 'content-type': 'application/json' }, body: JSON.stringify({ lon: moved[0], lat: moved[1] }),
    });
    expect(shared.status, await shared.text()).toBe(201);
    await eventually(async () => distance(await colourAt(moved), hexRgb(teamColor(1)))).toBeLessThan(40);
    expect(distance(await colourAt(where), hexRgb(teamColor(1)))).toBeGreaterThan(40);
    await screenshot('09-position-track');
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  });
});
