import { parentPort, workerData } from 'node:worker_threads';
import { prelaunch, type PrelaunchMessage } from './prelaunch.js';

// Runs the pre-launch phase off the main thread, so that its time budget holds even when the work blocks
// (a busy SQLite lock wait, a model fit): the main thread stops waiting and launches unchanged. When it
// does, it raises stopFlag, and the plan gives up at its next step (before writing any advice).

const { argv, env, stopFlag } = workerData as { argv: string[]; env: NodeJS.ProcessEnv; stopFlag: Int32Array };
const stop = new AbortController();
const stopped = (): boolean => {
  if (!stop.signal.aborted && Atomics.load(stopFlag, 0) === 1) stop.abort(new Error('advice time budget exceeded'));
  return stop.signal.aborted;
};
setInterval(stopped, 25).unref(); // lets an awaited step (an input probe) hear the stop while waiting
const post = (m: PrelaunchMessage) => parentPort?.postMessage(m);
post(await prelaunch(argv, { env, signal: stop.signal, shouldStop: stopped, onBudget: (adviceTimeoutMs) => post({ type: 'budget', adviceTimeoutMs }) }));
