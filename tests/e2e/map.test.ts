// The command-centre map in a real browser: Debian's Chromium driven by playwright-core, WebGL2
// through SwiftShader (software rendering, so slow: one browser for the file, few steps).
// Screenshots go to artifacts/e2e/ (git-ignored; CI keeps them as artifacts). Look at them.
//
// The steps share one page on purpose: each builds on the previous one (signed in → city map →
// district → English) and a fresh SwiftShader page costs seconds. Each step asserts one behaviour.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { PNG } from 'pngjs';

const baseUrl = inject('baseUrl');
const artifacts = path.resolve('artifacts', 'e2e');
const idleTimeout = 90_000;

/** Polls until the assertion holds: SwiftShader frames and React updates take their time. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 250 });

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

interface ChildrenBody {
  features: Array<{ properties: { code: string; name: string; nameEn: string | null; labelPoint: [number, number] } }>;
}

/** Waits until the map shows `code`'s sub-areas and MapLibre reports idle (tiles loaded, no motion). */
async function waitForMap(code: string): Promise<void> {
  await page.waitForSelector(`.map-region[data-area="${code}"]`, { timeout: idleTimeout });
  // The area is framed in the same render that sets data-area: wait for the flight to end...
  await page.waitForFunction(() => window.__ecc !== undefined && !window.__ecc.map.isMoving(), undefined, { timeout: idleTimeout });
  // ...and for MapLibre's idle (all tiles of the new view loaded and drawn).
  await page.waitForSelector('[data-testid="map"][data-idle="true"]', { timeout: idleTimeout });
  // One more frame so deck.gl's labels (drawn in the same frame) are in the buffer.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function screenshot(name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

/** Pixel statistics of the map area right of the floating legend (the legend has its own colours). */
async function mapPixels(png: Buffer): Promise<{ distinctColours: number; nonBackground: number }> {
  const map = await page.locator('.map-region').boundingBox();
  const legend = await page.locator('.legend-card').boundingBox();
  if (!map || !legend) throw new Error('map or legend not on the page');
  const image = PNG.sync.read(png);
  const x0 = Math.ceil(legend.x + legend.width + 8);
  const x1 = Math.floor(map.x + map.width - 70); // skip the zoom buttons
  const y0 = Math.ceil(map.y + 8);
  const y1 = Math.floor(map.y + map.height - 40); // skip attribution and scale
  const colours = new Set<number>();
  let nonBackground = 0;
  let total = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const i = (y * image.width + x) * 4;
      const r = image.data[i] ?? 0;
      const g = image.data[i + 1] ?? 0;
      const b = image.data[i + 2] ?? 0;
      colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
      // The page background is #060b16; the mask outside the city darkens it further.
      if (Math.abs(r - 6) + Math.abs(g - 11) + Math.abs(b - 22) > 24) nonBackground++;
      total++;
    }
  }
  return { distinctColours: colours.size, nonBackground: nonBackground / total };
}

async function childrenOf(code: string): Promise<ChildrenBody> {
  return page.evaluate(async (c) => {
    const response = await fetch(`/api/areas/${c}/children`);
    return (await response.json()) as ChildrenBody;
  }, code);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
  // reducedMotion: the app then frames areas without a flight animation, sparing SwiftShader
  // a second of full-screen frames per step.
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('command-centre map', () => {
  it('signs in through the login form and draws the city map', async () => {
    await page.goto(baseUrl);
    const form = page.getByTestId('login-form');
    await form.waitFor();
    const loginShownMs = await page.evaluate(() => Math.round(performance.now()));
    await screenshot('00-login');
    await page.fill('input[name="username"]', 'command');
    await page.fill('input[name="password"]', 'demo-password');
    const submitted = Date.now();
    await page.click('button[type="submit"]');

    await waitForMap('310000');
    console.log(`[e2e] login form shown ${loginShownMs} ms after navigation; sign-in → city map idle ${Date.now() - submitted} ms (SwiftShader)`);
    await eventually(() => page.getByTestId('breadcrumbs').locator('[aria-current="location"]').textContent()).toMatch(/上海/);
    await eventually(() => page.locator('h1').first().textContent()).toBe('疫情防控指挥中心');

    const stats = await mapPixels(await screenshot('01-city'));
    console.log(`[e2e] city map: ${stats.distinctColours} distinct colours, ${(stats.nonBackground * 100).toFixed(1)} % non-background`);
    expect(stats.distinctColours).toBeGreaterThan(40);
    expect(stats.nonBackground).toBeGreaterThan(0.15);
  });

  it('drills down into 浦东新区 when the district is clicked on the map', async () => {
    const city = await childrenOf('310000');
    const pudong = city.features.find((f) => f.properties.code === '310115');
    expect(pudong, '310115 among the city children').toBeDefined();
    const [lon, lat] = pudong!.properties.labelPoint;
    const point = await page.evaluate(([x, y]) => {
      const map = window.__ecc?.map;
      if (!map) throw new Error('test hook window.__ecc missing');
      const p = map.project([x, y]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, [lon, lat] as const);

    await page.mouse.move(point.x, point.y);
    await page.getByTestId('map-tooltip').waitFor({ timeout: 15_000 });
    await eventually(() => page.getByTestId('map-tooltip').textContent()).toContain('浦东新区');
    await page.mouse.click(point.x, point.y);

    await waitForMap('310115');
    await eventually(() => page.getByTestId('breadcrumbs').locator('[aria-current="location"]').textContent()).toContain('浦东新区');
    await eventually(() => page.getByTestId('breadcrumbs').locator('li').count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('area')).toBe('310115');
    await eventually(() => page.getByTestId('area-title').textContent()).toBe('浦东新区');

    const streets = await childrenOf('310115');
    expect(streets.features.length).toBeGreaterThan(5);
    const listed = page.getByTestId('children-list').locator('[role="option"]');
    await eventually(() => listed.count()).toBe(streets.features.length);
    const firstStreet = streets.features[0]!.properties;
    await eventually(() => page.getByTestId('children-list').locator(`[data-code="${firstStreet.code}"]`).textContent()).toContain(firstStreet.name);
    await page.mouse.move(5, 500); // leave the map so no tooltip covers the screenshot
    await screenshot('02-pudong');
  });

  it('shows Pudong\'s figures live, ranks its streets by one and opens the list behind it', async () => {
    const value = async (testId: string) => Number((await page.getByTestId(testId).locator('[data-value]').first().getAttribute('data-value')) || NaN);
    await eventually(() => page.getByTestId('live-status').getAttribute('class')).toContain('live-live');
    const before = await value('figure-abnormalTemp');
    // A fever at a Pudong site, posted as the signed-in duty officer.
    const posted = await page.evaluate(async () => {
      const sites = (await (await fetch('/api/sites?area=310115&limit=1')).json()) as { features: Array<{ id: number; properties: { gridCode: string } }> };
      const site = sites.features[0]!;
      const response = await fetch('/api/screenings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ id: crypto.randomUUID(), at: new Date().toISOString(), siteId: site.id, temperature: 38.6, codeColour: 'green', outcome: 'refer' }] }),
      });
      return { status: response.status, street: site.properties.gridCode.slice(0, 9) };
    });
    expect(posted.status).toBe(200);
    await eventually(() => value('figure-abnormalTemp')).toBe(before + 1);

    await page.getByTestId('figure-abnormalTemp').click();
    await page.getByTestId('sort-figure').click();
    await eventually(() => page.getByTestId(`child-figure-${posted.street}`).textContent()).toMatch(/^[1-9]/);

    await page.getByTestId('figure-list-abnormalTemp').click();
    const list = page.getByTestId('figure-list');
    await eventually(() => list.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await eventually(() => list.textContent()).toContain('38.6 °C');
    await screenshot('03-pudong-fever-list');
    await page.keyboard.press('Escape');
    await eventually(() => list.count()).toBe(0);
    // Esc closed the list only: still on Pudong.
    await eventually(() => page.getByTestId('area-title').textContent()).toBe('浦东新区');
  });

  it('switches the labels to English', async () => {
    const pudong = await page.evaluate(async () => {
      const response = await fetch('/api/areas/310115');
      return ((await response.json()) as { properties: { nameEn: string | null } }).properties;
    });
    await page.getByTestId('lang-en').click();

    await eventually(() => page.locator('h1').first().textContent()).toBe('Epidemic Control Command Centre');
    const current = page.getByTestId('breadcrumbs').locator('[aria-current="location"]');
    await eventually(() => current.textContent()).toContain(pudong.nameEn ?? 'Pudong');
    await eventually(() => current.textContent()).toMatch(/Pudong/);
    await eventually(() => page.getByTestId('children-title').textContent()).toContain('Streets');
    await eventually(() => page.getByTestId('side-panel').textContent()).toContain('Population');
    expect(await page.evaluate(() => localStorage.getItem('ecc.lang'))).toBe('en');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot('04-pudong-en');

  });

  it('goes back to the city with the browser back button', async () => {
    await page.goBack();
    await waitForMap('310000');
    await eventually(() => page.getByTestId('breadcrumbs').locator('[aria-current="location"]').textContent()).toContain('Shanghai');
    await eventually(() => page.getByTestId('breadcrumbs').locator('li').count()).toBe(1);
    await eventually(() => page.getByTestId('children-title').textContent()).toContain('Districts');
    await screenshot('05-city-en');

    // The first GET /api/auth/me answers 401 before signing in: the browser logs that as an error.
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  });
});
