// The daily-report page (/reports) in a real browser: grid worker `grid01` (community 310115004001)
// opens today's reports, finds the community not yet reported (missing after the 09:00 deadline,
// pending before it — whatever the clock), sends a zero report (零报告) and sees the unit turn to
// the status the API computes (on time, or late after the deadline) in the unit list and on the map
// (the map's status list, data-status, is what the fill layer draws). Then a correction with
// figures shows the version history, and a correction sent elsewhere arrives live. Screenshots: artifacts/e2e/reports-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import type { Compliance, DailyReport } from '../../server/contracts/index.ts';

const baseUrl = inject('baseUrl');
const artifacts = path.resolve('artifacts', 'e2e');
const idleTimeout = 90_000;
const unit = '310115004001';
const eventually = <T>(read: () => Promise<T>, timeout = 30_000) => expect.poll(read, { timeout, interval: 250 });
const cityToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `reports-${name}.png`) });
}

async function waitForMap(): Promise<void> {
  await page.waitForFunction(() => window.__ecc !== undefined && !window.__ecc.map.isMoving(), undefined, { timeout: idleTimeout });
  await page.waitForSelector('[data-testid="map"][data-idle="true"]', { timeout: idleTimeout });
  await page.waitForSelector('.reports-map[data-ready="true"]', { timeout: idleTimeout });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('daily reports page', () => {
  it("lets grid01 send a zero report and sees the community's status change in the list and on the map", async () => {
    await page.goto(`${baseUrl}/reports`);
    await page.getByTestId('login-form').waitFor();
    await page.fill('input[name="username"]', 'grid01');
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('button[type="submit"]');
    await page.getByTestId('reports-page').waitFor({ timeout: idleTimeout });
    expect(await page.getByTestId('reports-day').inputValue()).toBe(cityToday());

    const row = page.getByTestId(`unit-${unit}`);
    await row.waitFor({ timeout: idleTimeout });
    const before = await row.getAttribute('data-status');
    expect(['missing', 'pending']).toContain(before);
    const onMap = page.getByTestId(`map-status-${unit}`);
    await eventually(() => onMap.getAttribute('data-status')).toBe(before);
    // The community is the grid worker's only unit: its form is open, prefilled, not yet reported.
    await page.getByTestId('report-form').waitFor();
    expect(await page.getByTestId('report-form').getAttribute('data-unit')).toBe(unit);
    expect(await page.getByTestId('report-state').getAttribute('data-version')).toBe('0');
    await waitForMap();
    await screenshot('01-before');

    await page.getByTestId('report-zero').click();
    await eventually(() => page.getByTestId('report-state').getAttribute('data-version')).toBe('1');
    const compliance = (await page.evaluate(async (u) => (await fetch(`/api/reports/compliance?area=${u}`)).json(), unit)) as Compliance;
    const after = compliance.units.find((u) => u.unitCode === unit);
    expect(after).toMatchObject({ zero: true, version: 1 });
    expect(['on_time', 'late']).toContain(after!.status);
    await eventually(() => row.getAttribute('data-status')).toBe(after!.status);
    await eventually(() => onMap.getAttribute('data-status')).toBe(after!.status);
    await eventually(() => page.getByTestId('compliance-total').locator('td').nth(after!.status === 'on_time' ? 1 : 2).textContent()).toBe('1');
    await waitForMap();
    await screenshot('02-zero-report');

    // A correction with figures: version 2, the history lists both; timeliness stays the first's.
    await page.getByTestId('figure-released').fill('2');
    await page.getByTestId('report-submit').click();
    await eventually(() => page.getByTestId('report-state').getAttribute('data-version')).toBe('2');
    await eventually(() => page.getByTestId('report-history').locator('tbody tr').count()).toBe(2);
    const stored = (await page.evaluate(async ([u, d]) => (await fetch(`/api/reports/${u}/${d}`)).json(), [unit, cityToday()] as const)) as DailyReport;
    expect(stored).toMatchObject({ version: 2, zero: false, status: after!.status });
    expect(stored.figures.released).toBe(2);
    await eventually(() => row.getAttribute('data-status')).toBe(after!.status);
    await screenshot('03-corrected');

    // Live: a correction sent outside this page (a raw request, which no page query knows of)
    // reaches the list only through the socket's reports:updated and the refetch it triggers.
    await eventually(() => row.getAttribute('data-version')).toBe('2');
    const status = await page.evaluate(async ([u, d]) => {
      const response = await fetch(`/api/reports/${u}/${d}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submissionId: crypto.randomUUID(), zero: true }),
      });
      return response.status;
    }, [unit, cityToday()] as const);
    expect(status).toBe(200);
    await eventually(() => row.getAttribute('data-version'), 15_000).toBe('3');
    expect(consoleErrors.filter((text) => !/status of 40[14]/.test(text))).toEqual([]);
  });
});
