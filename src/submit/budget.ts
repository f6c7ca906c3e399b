import { Worker } from 'node:worker_threads';
import { oneLine, prelaunch, type PrelaunchMessage } from './prelaunch.js';
import type { ToWorker } from './prelaunch-worker.js';

// The pre-launch time budget (submit.adviceTimeoutMs) counts from process start. Until the config is read we
// hold to its env var or the default. A worker that overruns is not waited for: the job launches unchanged.
// Nor is it terminated: a worker stopped inside a native SQLite busy-wait takes the whole process down when
// the call returns (better-sqlite3 throws into a dead isolate). It is told to stop at its next step instead,
// and the process waits for it only at the very end.

export const DEFAULT_BUDGET_MS = 3000;
type Done = Extract<PrelaunchMessage, { type: 'done' }>;

export interface BudgetedPrelaunch {
  result: Done;
  /** Resolves once the worker is gone; await it before the process ends. */
  settled: Promise<void>;
}

/** The budget before the config is read: its env var when valid (read at once, no parsing library), else the default. */
export function initialBudget(env: NodeJS.ProcessEnv): number {
  const n = Number(env.SPOT_SUBMIT_ADVICE_TIMEOUT_MS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_BUDGET_MS;
}

export async function prelaunchWithinBudget(argv: string[], env: NodeJS.ProcessEnv): Promise<BudgetedPrelaunch> {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker;
  try {
    worker = new Worker(new URL('./prelaunch-worker.js', import.meta.url), { workerData: { argv, env, stopFlag }, env, stdout: true, stderr: false });
    // The job's stdout is the job's: anything the advice phase prints goes to stderr.
    worker.stdout.pipe(process.stderr, { end: false });
  } catch {
    return { result: await prelaunchInThread(argv, env), settled: Promise.resolve() };
  }
  const settled = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const result = await new Promise<Done>((resolve) => {
    let done = false;
    let budget = initialBudget(env);
    let timer: NodeJS.Timeout | undefined;
    const finish = (d: Done) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(d);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        Atomics.store(stopFlag, 0, 1);
        finish({ type: 'done', ok: false, reason: `no advice within ${budget} ms` });
      }, Math.max(0, budget - performance.now()));
    };
    arm();
    worker.on('message', (m: PrelaunchMessage) => {
      if (m.type === 'done') finish(m);
    });
    import('../config/load.js')
      .then(({ loadConfig }) => loadConfig({ env }))
      .then(
        (loaded) => {
          budget = loaded.config.submit.adviceTimeoutMs;
          arm();
          worker.postMessage({ type: 'config', loaded } satisfies ToWorker);
        },
        (e: unknown) => {
          worker.postMessage({ type: 'stop' } satisfies ToWorker);
          finish({ type: 'done', ok: false, reason: oneLine(e) });
        },
      );
    worker.on('error', (e) => finish({ type: 'done', ok: false, reason: oneLine(e) }));
    worker.on('exit', (code) => finish({ type: 'done', ok: false, reason: `advice worker stopped (${code})` }));
  });
  return { result, settled };
}

/** Without worker threads: the same phase with a soft deadline (checked between steps). */
async function prelaunchInThread(argv: string[], env: NodeJS.ProcessEnv): Promise<Done> {
  const controller = new AbortController();
  let budget = initialBudget(env);
  let timer = setTimeout(() => controller.abort(), budget);
  const work = prelaunch(argv, {
    env,
    signal: controller.signal,
    onBudget: (ms) => {
      budget = ms;
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), Math.max(0, ms - performance.now()));
    },
  });
  const timeout = new Promise<Done>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve({ type: 'done', ok: false, reason: `no advice within ${budget} ms` })),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
