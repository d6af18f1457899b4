// Administration (/admin) in a real browser: the admin creates a user with the keyboard-usable
// dialog (the generated password, shown once, signs the user in), creates a wall token for Pudong,
// opens the wall from the token's address in a fresh browser (no password: the token in the
// fragment signs it in to Pudong, read-only), revokes the token, and the wall's next load refuses it.
// Screenshots: artifacts/e2e/admin-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';

const baseUrl = inject('baseUrl');
const artifacts = path.resolve('artifacts', 'e2e');
const timeout = 60_000;
const eventually = <T>(read: () => Promise<T>, wait = 30_000) => expect.poll(read, { timeout: wait, interval: 250 });

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
  page = await context.newPage();
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

describe('administration page', () => {
  const username = `e2e-${randomBytes(3).toString('hex')}`;
  let wallAddress = '';

  it('creates a user whose generated password signs them in', async () => {
    await page.goto(`${baseUrl}/admin`);
    await page.getByTestId('login-form').waitFor({ timeout });
    await page.fill('input[name="username"]', 'admin');
    await page.fill('input[name="password"]', 'demo-password');
    await page.click('button[type="submit"]');
    await page.getByTestId('admin-page').waitFor({ timeout });
    await expect.poll(() => page.getByTestId('nav-admin').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('user-row-pudong').waitFor({ timeout });

    // The dialog opens with the focus on its first field; Tab goes through the fields in order.
    await page.getByTestId('user-new').click();
    const dialog = page.getByTestId('user-dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('端到端测试 E2E user');
    await page.keyboard.press('Tab');
    await page.selectOption('select[name="role"]', 'street_official');
    await page.getByTestId('user-jurisdiction').fill('310115005');
    await eventually(() => page.getByTestId('user-jurisdiction-name').textContent()).toContain('陆家嘴');
    await page.getByTestId('user-save').click();
    const generated = page.getByTestId('generated-password');
    await generated.waitFor({ timeout });
    const password = (await generated.textContent())!;
    await page.screenshot({ path: path.join(artifacts, 'admin-01-user-created.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('user-search').fill(username);
    const row = page.getByTestId(`user-row-${username}`);
    await row.waitFor({ timeout });
    expect(await row.textContent()).toContain('陆家嘴');
    const signIn = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { user: { role: string } }).user.role).toBe('street_official');
  });

  it('creates a wall token whose address opens the wall for its area, then revokes it', async () => {
    await page.getByTestId('admin-tab-walls').click();
    await page.getByTestId('wall-token-new').click();
    await page.fill('input[name="label"]', '浦东大屏 E2E');
    await page.getByTestId('wall-token-area').fill('310115');
    await eventually(() => page.getByTestId('wall-token-area-name').textContent()).toContain('浦东新区');
    await page.getByTestId('wall-token-save').click();
    const url = page.getByTestId('wall-token-url');
    await url.waitFor({ timeout });
    wallAddress = (await url.textContent())!;
    expect(wallAddress).toMatch(new RegExp(`^${baseUrl}/wall#token=[A-Za-z0-9_-]{43}$`));
    await page.screenshot({ path: path.join(artifacts, 'admin-02-wall-token.png') });
    await page.getByRole('button', { name: '完成' }).click();

    // A fresh browser (no cookies) opens the address: the wall signs in with the token, no form.
    const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const wall = await wallContext.newPage();
    await wall.goto(wallAddress);
    await wall.getByTestId('wall').waitFor({ timeout: 90_000 });
    const me = await wall.evaluate(() => fetch('/api/auth/me').then((r) => r.json()));
    expect(me.user).toMatchObject({ role: 'wall', canWrite: false, jurisdiction: { code: '310115' } });
    expect(await wall.getByTestId('wall').textContent()).toContain('浦东新区');
    await wall.screenshot({ path: path.join(artifacts, 'admin-03-wall-by-token.png') });

    const row = page.locator('[data-testid^="wall-token-row-"]', { hasText: '浦东大屏 E2E' });
    await eventually(() => row.getAttribute('data-status')).toBe('active');
    await row.getByTestId('wall-token-revoke').click();
    await page.getByTestId('admin-confirm-ok').click();
    await eventually(() => row.getAttribute('data-status')).toBe('revoked');

    // The session is gone (at most 3 s in the server's session cache): the wall, reloaded, is refused.
    await eventually(() => wall.evaluate(() => fetch('/api/auth/me').then((r) => r.status)), 10_000).toBe(401);
    await wall.reload();
    await wall.getByTestId('wall-login-error').waitFor({ timeout });
    expect(await wall.getByTestId('wall-login-error').textContent()).toContain('大屏令牌无效');
    await wallContext.close();
    expect(consoleErrors).toEqual([]);
  });
});
