// `npm test`: checks (and on a root Debian machine installs) what the tests need, builds the client
// if stale, runs every vitest project (unit + integration, then e2e) and ends with one plain line:
//   tests: N passed, N failed[, N skipped]
// Extra arguments go to vitest, e.g. `npm test -- --project unit` or `npm test -- tests/integration/start.test.ts`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureClientBuilt, projectRoot } from '../server/infra/client-build.ts';
import { aptInstall, isDebian, isRoot, resolveLocalServer } from '../server/infra/local-postgres.ts';
import { summarise, summaryLine, type JsonResults, type Summary } from './helpers/test-summary.ts';

const log = (line: string): void => console.log(`[test] ${line}`);
const resultsDir = path.join(projectRoot, 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const cjkFont = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

async function prerequisites(): Promise<void> {
  if (!process.env.TEST_DATABASE_ADMIN_URL) await resolveLocalServer({ log });
  const missing = [existsSync(chromiumPath) ? undefined : 'chromium', existsSync(cjkFont) ? undefined : 'fonts-noto-cjk'].filter(
    (name): name is string => name !== undefined,
  );
  if (missing.length === 0) return;
  if (isRoot() && isDebian() && !process.env.CHROMIUM_PATH) {
    log(`installing ${missing.join(' ')} for the browser tests...`);
    await aptInstall(missing, log);
  } else if (missing.includes('chromium')) {
    throw new Error(`Chromium is needed for the e2e tests (${chromiumPath}). Install it with:\n  sudo apt-get install -y chromium fonts-noto-cjk`);
  } else {
    log('warning: fonts-noto-cjk is missing, Chinese text in screenshots will show as boxes (sudo apt-get install -y fonts-noto-cjk)');
  }
}

function runVitest(args: string[], resultsFile: string): Promise<number> {
  const vitest = path.join(projectRoot, 'node_modules', '.bin', 'vitest');
  const argv = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(vitest, argv, { cwd: projectRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function readSummary(file: string): Promise<Summary> {
  try {
    return summarise(JSON.parse(await readFile(file, 'utf8')) as JsonResults);
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
}

/**
 * Without arguments: unit and integration first, then e2e on its own, so that the browser tests
 * neither share two cores with the start test's demo load nor see dist/client rebuilt under them.
 */
function plan(args: string[]): Array<{ label: string; args: string[] }> {
  if (args.length > 0) return [{ label: 'tests', args }];
  return [
    { label: 'unit-integration', args: ['--project', 'unit', '--project', 'integration', '--passWithNoTests'] },
    { label: 'e2e', args: ['--project', 'e2e', '--passWithNoTests'] },
  ];
}

async function main(): Promise<number> {
  const started = performance.now();
  try {
    await prerequisites();
  } catch (error) {
    console.error(`\n[test] cannot run the tests: ${error instanceof Error ? error.message : String(error)}`);
    console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }
  // Built once here, so the e2e setup and the start test do not both build it at the same time.
  // A broken client fails those tests with the build's message; the others still run.
  await ensureClientBuilt({ log }).catch((error: unknown) =>
    log(`client build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
  );
  const total: Summary = { passed: 0, failed: 0, skipped: 0 };
  let failedRuns = 0;
  for (const run of plan(process.argv.slice(2))) {
    const file = path.join(resultsDir, `test-results-${run.label}.json`);
    await mkdir(resultsDir, { recursive: true });
    await rm(file, { force: true });
    const code = await runVitest(run.args, file);
    const summary = await readSummary(file);
    if (code !== 0 && summary.failed === 0) {
      // A global setup or an unhandled error fails the run without failing a test: still a failure.
      log(`vitest (${run.label}) exited with code ${code}: see the errors above`);
      summary.failed = 1;
    }
    if (code !== 0) failedRuns += 1;
    total.passed += summary.passed;
    total.failed += summary.failed;
    total.skipped += summary.skipped;
  }
  log(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s; JSON results in ${path.relative(projectRoot, resultsDir)}/`);
  console.log(summaryLine(total));
  return total.failed > 0 || failedRuns > 0 ? 1 : 0;
}

process.exitCode = await main();
