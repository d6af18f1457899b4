// The daily-report page (/reports) in a real browser: grid worker `grid01` (community 310115004001)
// opens today's reports, finds the community not yet reported (missing after the 09:00 deadline,
// pending before it — whatever the clock), sends a zero report (零报告) and sees the unit turn to
// the status the API computes (on time, or late after the deadline) in the unit list and on the map
// (the map's status list, data-status, is what the fill layer draws). Then a correction with
// figures shows the version history, and a correction sent elsewhere arrives live. Then the street
// office (lujiazui) signs reports off one by one and all at once, finds a unit that reports fewer
// arrivals than the registry flagged in the roll-up, reads the on-time rates, and exports a ledger.
// Screenshots: artifacts/e2e/reports-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import ExcelJS from 'exceljs';
import type { AreaChildren, Compliance, DailyReport } from '../../server/contracts/index.ts';

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
    await eventually(() => page.getByTestId('report-history').getAttribute('data-versions')).toBe('2');
    // The correction's changed figure is marked, with what it was.
    const released = page.getByTestId('history-released').locator('td').nth(1);
    expect(await released.getAttribute('data-changed')).toBe('true');
    expect(await released.getAttribute('title')).toContain('0');
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

  it('lets the street office sign off, see the roll-up flag a unit below the registry, read on-time rates and export a ledger', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
    page = await context.newPage();
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${baseUrl}/reports`);
    await page.getByTestId('login-form').waitFor();
    await page.fill('input[name="username"]', 'lujiazui');
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('button[type="submit"]');
    await page.getByTestId('reports-page').waitFor({ timeout: idleTimeout });
    const today = cityToday();
    const api = <T,>(url: string, init?: { method: string; body: unknown }) =>
      page.evaluate(async ([u, i]) => {
        const response = await fetch(u, i ? { method: i.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(i.body) } : undefined);
        return { status: response.status, body: await response.json() };
      }, [url, init] as const) as Promise<{ status: number; body: T }>;

    // Three communities of the street report today; one of them reports no overseas arrival while
    // the registry holds one arrived today.
    const street = '310115005';
    const before = (await api<Compliance>(`/api/reports/compliance?area=${street}&day=${today}`)).body;
    const [flaggedUnit, zeroA, zeroB] = before.units.filter((u) => u.version === null && u.kind === 'community').map((u) => u.unitCode) as [string, string, string];
    const grid = (await api<AreaChildren>(`/api/areas/${flaggedUnit}/children`)).body.features[0]!.properties.code;
    const person = { id: crypto.randomUUID(), name: '赵大海', idType: 'passport', idNumber: `E${Date.now() % 1e8}`, phone: '13900001111', address: '陆家嘴环路1000号', grid, category: 'overseas_arrival', arrivedOn: today, origin: '新加坡' };
    expect((await api('/api/people', { method: 'POST', body: { people: [person] } })).status).toBe(200);
    const noArrivals = { arrivalsOverseas: 0, arrivalsRiskArea: 0, arrivalsOutOfProvince: 0, bigDataChecks: 0, centralised: 0, homeQuarantine: 0, homeMonitoring: 0, released: 0, abnormal: 0 };
    expect((await api(`/api/reports/${flaggedUnit}/${today}`, { method: 'PUT', body: { submissionId: crypto.randomUUID(), figures: noArrivals } })).status).toBe(200);
    for (const unit of [zeroA, zeroB]) expect((await api(`/api/reports/${unit}/${today}`, { method: 'PUT', body: { submissionId: crypto.randomUUID(), zero: true } })).status).toBe(200);

    // One unit signed off on its own: the street's line turns signed, the district waits for it.
    const row = page.getByTestId(`unit-${flaggedUnit}`);
    await eventually(() => row.getAttribute('data-version')).toBe('1');
    await row.click();
    await page.getByTestId('sign-street').click();
    await eventually(() => page.getByTestId('sign-off-street').getAttribute('data-signed')).toBe('true');
    expect(await page.getByTestId('sign-off-district').getAttribute('data-signed')).toBe('false');
    expect(await page.getByTestId('sign-district').count()).toBe(0); // a street office does not sign for the district
    await eventually(() => row.getAttribute('data-signed')).toBe('street');

    // Then every on-time report at once; late ones stay for one-by-one review.
    await page.getByTestId('sign-all-street').click();
    await page.getByTestId('sign-all-result').waitFor();
    const after = (await api<Compliance>(`/api/reports/compliance?area=${street}&day=${today}`)).body;
    expect(after.units.filter((u) => u.status === 'on_time').every((u) => u.streetSigned)).toBe(true);
    expect(after.units.filter((u) => u.status === 'late' && u.unitCode !== flaggedUnit).every((u) => !u.streetSigned)).toBe(true);
    for (const u of after.units.filter((x) => x.version !== null)) {
      await eventually(() => page.getByTestId(`unit-${u.unitCode}`).getAttribute('data-signed')).toBe(u.streetSigned ? 'street' : 'none');
    }
    await eventually(() => page.getByTestId('signed-street').textContent()).toContain(`${after.totals.streetSigned}`);
    await screenshot('04-signed-off');

    // Roll-up: the unit's overseas arrivals cell is flagged, the reason in its tooltip.
    await page.getByTestId('reports-tab-rollup').click();
    const cell = page.getByTestId(`rollup-${flaggedUnit}-arrivalsOverseas`);
    await eventually(() => cell.getAttribute('data-flagged')).toBe('true');
    expect(await cell.getAttribute('title')).toContain('少于系统登记 1');
    expect(await page.getByTestId(`rollup-${zeroA}-arrivalsOverseas`).getAttribute('data-flagged')).toBeNull();
    await cell.hover();
    await screenshot('05-rollup');

    // On-time rate over the last week: the street's communities, totals, and the chart drawn.
    await page.getByTestId('reports-tab-rate').click();
    await page.getByTestId('rate-table').waitFor();
    expect(await page.getByTestId('rate-from').inputValue() < today).toBe(true);
    const rateCells = page.getByTestId(`rate-${flaggedUnit}`).locator('td');
    await rateCells.first().waitFor();
    // expected = 1 unit × 7 days; one report (today's), on time or late.
    expect(await rateCells.nth(0).textContent()).toBe('7');
    expect(Number(await rateCells.nth(1).textContent()) + Number(await rateCells.nth(2).textContent())).toBe(1);
    await page.locator('.rate-chart canvas').first().waitFor();
    await screenshot('06-on-time-rate');

    // Ledgers: today's overseas arrivals, in clear for the street office, exported in clear (it has the right).
    await page.getByTestId('reports-tab-ledgers').click();
    await page.getByTestId('ledger-from').fill(today);
    await page.getByTestId('ledger-to').fill(today);
    await eventually(() => page.getByTestId('ledger-table').textContent()).toContain('赵大海');
    expect(await page.getByTestId('ledger-table').getAttribute('data-masked')).toBe('false');
    // The export asks for the reason (事由) first; the download link carries it to the audit log.
    await page.getByTestId('ledger-export-unmasked').click();
    await page.getByTestId('ledger-export-unmasked-reason').fill('周报核对');
    const href = await page.getByTestId('ledger-export-unmasked-download').getAttribute('href');
    expect(href).toContain(`reason=${encodeURIComponent('周报核对')}`);
    const bytes = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u!)).arrayBuffer())), href);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const names: unknown[] = [];
    book.getWorksheet('台账')!.eachRow((r, i) => { if (i > 3) names.push(r.getCell(3).value); });
    expect(names).toContain('赵大海');
    await screenshot('07-ledgers');
    expect(consoleErrors.filter((text) => !/status of 40[14]/.test(text))).toEqual([]);
    await context.close();
  });
});
