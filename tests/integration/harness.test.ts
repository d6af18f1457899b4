// The test harness's own pure parts: template naming, leftover detection, the summary line.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeftover, runDatabaseName, templateFingerprint, templateNote } from '../helpers/test-databases.ts';
import { summarise, summaryLine } from '../helpers/test-summary.ts';

describe('templateFingerprint', () => {
  let root: string;
  const inputs = ['db/migrations', 'data', 'server/auth/demo-users.ts'];
  const write = async (relative: string, content: string) => {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  };
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ecc-fingerprint-'));
    await write('db/migrations/001-a.sql', 'CREATE TABLE a ();');
    await write('data/load-demo.ts', 'export {}');
    await write('data/shanghai/districts.geojson', '{}');
    await write('server/auth/demo-users.ts', 'export const demoUsers = [];');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('changes with any migration, data file or the demo users, and not with tests', async () => {
    const base = await templateFingerprint(root, inputs);
    expect(await templateFingerprint(root, inputs)).toBe(base);

    await write('data/load-demo.test.ts', 'it()');
    expect(await templateFingerprint(root, inputs)).toBe(base);

    const seen = new Set([base]);
    for (const [file, content] of [
      ['db/migrations/002-b.sql', 'CREATE TABLE b ();'],
      ['data/shanghai/districts.geojson', '{"type":"FeatureCollection"}'],
      ['server/auth/demo-users.ts', 'export const demoUsers = [1];'],
    ] as const) {
      await write(file, content);
      const next = await templateFingerprint(root, inputs);
      expect(seen.has(next), file).toBe(false);
      seen.add(next);
    }
  });

  it('depends on file names, not only contents', async () => {
    const base = await templateFingerprint(root, inputs);
    await rm(path.join(root, 'db/migrations/001-a.sql'));
    await write('db/migrations/002-a.sql', 'CREATE TABLE a ();');
    expect(await templateFingerprint(root, inputs)).not.toBe(base);
  });
});

describe('isLeftover', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  const alive = (pid: number) => pid === 100;
  it('keeps the databases of live runs and drops those of dead or day-old runs', () => {
    expect(isLeftover(runDatabaseName('integration', now - 60_000, 100), now, alive)).toBe(false);
    expect(isLeftover(runDatabaseName('integration', now - 60_000, 200), now, alive)).toBe(true);
    expect(isLeftover(runDatabaseName('', now - 25 * 3600_000, 100), now, alive)).toBe(true);
    expect(isLeftover(`ecc_tplbuild_100_${now}`, now, alive)).toBe(false);
    expect(isLeftover(`ecc_tplbuild_200_${now}`, now, alive)).toBe(true);
    expect(isLeftover('ecc', now, alive)).toBe(false);
    expect(isLeftover('ecc_testing', now, alive)).toBe(false);
  });

  it('keeps templates of other fingerprints while they were copied in the last six hours', () => {
    expect(isLeftover('ecc_tpl_0123456789abcdef', now, alive, templateNote(now - 3600_000))).toBe(false);
    expect(isLeftover('ecc_tpl_0123456789abcdef', now, alive, templateNote(now - 7 * 3600_000))).toBe(true);
    expect(isLeftover('ecc_tpl_0123456789abcdef', now, alive, null)).toBe(true);
  });
});

describe('summary line', () => {
  const file = (status: string, tests: string[]) => ({ name: 'f.test.ts', status, message: '', assertionResults: tests.map((s) => ({ status: s })) });
  it('counts passed, failed and skipped tests, and a broken file as a failure', () => {
    const results = {
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 1,
      testResults: [file('passed', ['passed', 'passed', 'skipped']), file('failed', ['passed', 'failed', 'todo']), file('failed', [])],
    };
    expect(summaryLine(summarise(results))).toBe('tests: 3 passed, 2 failed, 2 skipped');
    expect(summaryLine({ passed: 7, failed: 0, skipped: 0 })).toBe('tests: 7 passed, 0 failed');
  });
});
