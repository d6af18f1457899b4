import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientBuildStaleReason, clientPaths, ensureClientBuilt } from './client-build.ts';

let root: string;
const hourAgo = new Date(Date.now() - 3600_000);
const minuteAgo = new Date(Date.now() - 60_000);

async function file(relative: string, content: string, time: Date): Promise<void> {
  const absolute = path.join(root, relative);
  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, content);
  await utimes(absolute, time, time);
}

/** Sources an hour old, a build a minute old: up to date. */
async function builtProject(): Promise<void> {
  await file('client/index.html', '<html></html>', hourAgo);
  await file('client/src/main.ts', 'export {}', hourAgo);
  await file('vite.config.ts', 'export default {}', hourAgo);
  for (const dir of ['client/src', 'client']) await utimes(path.join(root, dir), hourAgo, hourAgo);
  await file('dist/client/index.html', '<html>built</html>', minuteAgo);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ecc-client-build-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('clientBuildStaleReason', () => {
  it('asks for a build when there is no output', async () => {
    await file('client/index.html', '<html></html>', hourAgo);
    expect(await clientBuildStaleReason(clientPaths(root))).toMatch(/index\.html is missing/);
  });

  it('accepts output newer than every source', async () => {
    await builtProject();
    expect(await clientBuildStaleReason(clientPaths(root))).toBeUndefined();
  });

  it('names the source file edited after the build', async () => {
    await builtProject();
    await file('client/src/main.ts', 'export const x = 1', new Date());
    expect(await clientBuildStaleReason(clientPaths(root))).toMatch(/client\/src\/main\.ts changed$/);
  });

  it('notices a file added to a folder and an edited vite.config.ts', async () => {
    await builtProject();
    await writeFile(path.join(root, 'client/src/new-panel.tsx'), 'export {}');
    expect(await clientBuildStaleReason(clientPaths(root))).toMatch(/client\/src changed$/);

    await rm(path.join(root, 'client/src/new-panel.tsx'));
    await builtProject();
    await file('vite.config.ts', 'export default { base: "/" }', new Date());
    expect(await clientBuildStaleReason(clientPaths(root))).toMatch(/vite\.config\.ts changed$/);
  });

  it('ignores test files, which are not part of the bundle', async () => {
    await builtProject();
    await file('client/src/main.test.ts', 'test', new Date());
    await utimes(path.join(root, 'client/src'), hourAgo, hourAgo);
    expect(await clientBuildStaleReason(clientPaths(root))).toBeUndefined();
  });
});

describe('ensureClientBuilt', () => {
  it('builds a real Vite project once, then finds it up to date', { timeout: 60_000 }, async () => {
    await file('package.json', '{ "type": "module" }', hourAgo);
    await file('vite.config.ts', "export default { root: 'client', logLevel: 'silent' };\n", hourAgo);
    await file('client/index.html', '<!doctype html><title>t</title><script type="module" src="/main.js"></script>', hourAgo);
    await file('client/main.js', "document.title = 'built';\n", hourAgo);
    const lines: string[] = [];

    const first = await ensureClientBuilt({ root, log: (line) => lines.push(line) });
    expect(first.built).toBe(true);
    expect(await readFile(path.join(root, 'dist/client/index.html'), 'utf8')).toMatch(/<script type="module"[^>]*src="\/assets\/index-[\w-]+\.js"/);

    const second = await ensureClientBuilt({ root, log: (line) => lines.push(line) });
    expect(second.built).toBe(false);
    expect(lines.filter((line) => line.includes('building'))).toHaveLength(1);
  });
});
