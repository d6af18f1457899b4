// The wall display (/wall) in a real browser: sign in as the read-only `wall` user, read "screened
// today", post screening records through the API as another user, and watch the number on screen
// grow by exactly that many without a reload (socket.io counts:updated joined by area code).
// Everything the page received (HTTP and socket frames) is checked for personal-data fields.
// Screenshot: artifacts/e2e/wall-01.png (look at it).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { loginCookie } from '../helpers/live-client.ts';

const baseUrl = inject('baseUrl');
const artifacts = path.resolve('artifacts', 'e2e');
const eventually = <T>(read: () => Promise<T>, timeout = 30_000) => expect.poll(read, { timeout, interval: 250 });

/**
 * Keys that would mean a person's data reached the wall. A `name` is allowed only on an area (it has
 * a `code`) or a tile layer (it has a `url`): the places and layers the wall draws.
 */
const personalKeys = new Set(['phone', 'mobile', 'idNumber', 'idCard', 'address', 'personId', 'person', 'people', 'persons', 'patient', 'fullName', 'realName', 'birthDate', 'gender']);
const personEndpoints = /\/api\/(people|persons|quarantine|cases|contacts|tests)\b/;

function personalFields(value: unknown, where: string, found: string[]): string[] {
  if (Array.isArray(value)) value.forEach((item, i) => personalFields(item, `${where}[${i}]`, found));
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (personalKeys.has(key)) found.push(`${where}.${key}`);
      if (key === 'name' && !('code' in record) && !('url' in record)) found.push(`${where}.name (not an area)`);
      personalFields(child, `${where}.${key}`, found);
    }
  }
  return found;
}

let browser: Browser;
let page: Page;
const received: Array<{ url: string; body: unknown }> = [];
const socketFrames: string[] = [];
let firstUpdateAt = 0;
const consoleErrors: string[] = [];

/** First grid of the city by drilling down the hierarchy: district → street → community → grid. */
async function firstGrid(cookie: string): Promise<string> {
  let code = '310000';
  for (let depth = 0; depth < 4; depth += 1) {
    const response = await fetch(`${baseUrl}/api/areas/${code}/children`, { headers: { cookie } });
    const body = (await response.json()) as { features: Array<{ properties: { code: string } }> };
    code = body.features[0]!.properties.code;
  }
  return code;
}

const screenedOnScreen = async (): Promise<number> => Number(await page.getByTestId('kpi-screened-value').getAttribute('data-value'));

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    const type = response.headers()['content-type'] ?? '';
    received.push({ url: response.url(), body: type.includes('json') ? await response.json().catch(() => null) : null });
  });
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      socketFrames.push(String(payload));
      if (!firstUpdateAt && String(payload).includes('counts:updated')) firstUpdateAt = Date.now();
    }),
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('wall display', () => {
  it('shows screenings posted through the API within seconds, without a reload, and receives no personal data', async () => {
    await page.goto(`${baseUrl}/wall`);
    await page.getByTestId('wall-login').waitFor({ timeout: 60_000 });
    await page.fill('input[name="username"]', 'wall');
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('button[type="submit"]');

    await page.getByTestId('wall').waitFor({ timeout: 60_000 });
    await eventually(() => page.getByTestId('wall-status').getAttribute('data-status'), 60_000).toBe('live');
    await eventually(() => page.getByTestId('kpi-screened-value').getAttribute('data-value')).toMatch(/^[0-9]+$/);
    // Let the first load settle (geometry, tiles, labels: slow on software WebGL) before timing updates.
    await page.waitForSelector('[data-testid="wall-map"][data-idle="true"]', { timeout: 90_000 });
    const before = await screenedOnScreen();
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    const cookie = await loginCookie(baseUrl, 'command');
    const grid = await firstGrid(cookie);
    const count = 7;
    const records = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      at: new Date().toISOString(),
      grid,
      temperature: i === 0 ? 37.9 : 36.5,
      codeColour: i === 1 ? 'yellow' : 'green',
      outcome: i === 0 ? 'refer' : 'pass',
    }));
    const started = Date.now();
    const posted = await fetch(`${baseUrl}/api/screenings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ records }),
    });
    const postMs = Date.now() - started;
    expect(posted.status).toBe(200);
    expect(((await posted.json()) as { accepted: number }).accepted).toBe(count);

    await eventually(screenedOnScreen).toBe(before + count);
    console.log(
      `[e2e] wall: screened ${before} → ${before + count} on screen ${Date.now() - started} ms after the POST (POST answered in ${postMs} ms, first counts:updated frame after ${firstUpdateAt - started} ms)`,
    );
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    // The other cards moved with it: one abnormal temperature, one yellow code.
    expect(Number(await page.getByTestId('kpi-abnormalTemp-value').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getByTestId('kpi-yellowCode-value').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);

    // Privacy: no person endpoint called, no personal field in any JSON or socket frame received.
    expect(received.length).toBeGreaterThan(5);
    expect(received.map((r) => r.url).filter((url) => personEndpoints.test(url))).toEqual([]);
    const found: string[] = [];
    for (const { url, body } of received) personalFields(body, new URL(url).pathname, found);
    for (const frame of socketFrames) {
      const json = frame.replace(/^[0-9]+/, '').replace(/^\/live,/, '').replace(/^[0-9]+/, '');
      if (json.startsWith('[') || json.startsWith('{')) personalFields(JSON.parse(json), 'socket', found);
    }
    expect(found).toEqual([]);
    expect(socketFrames.some((frame) => frame.includes('counts:updated'))).toBe(true);

    await page.waitForSelector('[data-testid="wall-map"][data-idle="true"]', { timeout: 60_000 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: path.join(artifacts, 'wall-01.png') });

    // The alert list may not exist yet (404 until it does); 401 before signing in is expected.
    expect(consoleErrors.filter((text) => !/status of (401|404)/.test(text))).toEqual([]);
  });
});
