// Worker-thread side of solveInWorker(): solves one problem and posts the outcome back.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError, type Problem, type SolveOptions } from './problem.ts';
import { solve } from './solve.ts';
import type { WorkerReply } from './solve-in-worker.ts';

const { problem, options } = workerData as { problem: Problem; options: SolveOptions };
let reply: WorkerReply;
try {
  reply = { ok: true, solution: solve(problem, options) };
} catch (error) {
  reply = {
    ok: false,
    kind: error instanceof InputError ? 'input' : 'internal',
    message: error instanceof Error ? error.message : String(error),
    issues: error instanceof InputError ? error.issues : [],
  };
}
parentPort?.postMessage(reply);
