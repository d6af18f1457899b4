// Runs solve() in a worker thread so that a request handler stays responsive while the search runs.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, InternalError, type Problem, type Solution, type SolveOptions } from './problem.ts';

export type WorkerReply =
  | { ok: true; solution: Solution }
  | { ok: false; kind: 'input' | 'internal'; message: string; issues: string[] };

/**
 * A built .js worker starts directly. A source .ts worker (tsx, vitest) starts from a small bootstrap
 * that registers tsx's loader inside the worker first: loader flags in execArgv are not honoured there.
 */
function startWorker(workerUrl: URL, workerData: unknown): Worker {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, { workerData });
  // tsx's ESM API (the package's `import` condition): tsImport loads a .ts module tree.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const target = JSON.stringify(workerUrl.href);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${target}, ${target}));`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function solveInWorker(problem: Problem, options: SolveOptions = {}): Promise<Solution> {
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  return new Promise<Solution>((resolve, reject) => {
    const worker = startWorker(workerUrl, { problem, options });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.solution);
      else if (reply.kind === 'input') reject(new InputError(reply.message, reply.issues));
      else reject(new InternalError(reply.message));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(new InternalError(`optimiser worker failed: ${error.message}`, { cause: error }));
    });
    worker.once('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new InternalError(`optimiser worker exited with code ${code}`));
      }
    });
  });
}
