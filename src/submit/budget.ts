import { Worker } from 'node:worker_threads';
import { oneLine, prelaunch, type PrelaunchMessage } from './prelaunch.js';

// The pre-launch time budget (submit.adviceTimeoutMs) counts from process start. Until the config is read we
// hold to the default; a worker that overruns is abandoned, never waited for.

export const DEFAULT_BUDGET_MS = 3000;
type Done = Extract<PrelaunchMessage, { type: 'done' }>;

export async function prelaunchWithinBudget(argv: string[], env: NodeJS.ProcessEnv): Promise<Done> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./prelaunch-worker.js', import.meta.url), { workerData: { argv, env }, env, stdout: false, stderr: false });
  } catch {
    return prelaunchInThread(argv, env);
  }
  return new Promise<Done>((resolve) => {
    let settled = false;
    let budget = DEFAULT_BUDGET_MS;
    let timer: NodeJS.Timeout | undefined;
    const finish = (d: Done, stop: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (stop) void worker.terminate();
      worker.unref();
      resolve(d);
    };
    const arm = () => {
      clearTimeout(timer);
      const left = Math.max(0, budget - performance.now());
      timer = setTimeout(() => finish({ type: 'done', ok: false, reason: `no advice within ${budget} ms` }, true), left);
    };
    arm();
    worker.on('message', (m: PrelaunchMessage) => {
      if (m.type === 'budget') {
        budget = m.adviceTimeoutMs;
        arm();
      } else finish(m, false);
    });
    worker.on('error', (e) => finish({ type: 'done', ok: false, reason: oneLine(e) }, true));
    worker.on('exit', (code) => finish({ type: 'done', ok: false, reason: `advice worker stopped (${code})` }, false));
  });
}

/** Without worker threads: the same phase with a soft deadline (checked between steps). */
async function prelaunchInThread(argv: string[], env: NodeJS.ProcessEnv): Promise<Done> {
  const controller = new AbortController();
  let budget = DEFAULT_BUDGET_MS;
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
