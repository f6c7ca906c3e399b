import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedConfig } from '../config/load.js';
import { prelaunch, type PrelaunchMessage } from './prelaunch.js';

// Runs the pre-launch phase off the main thread, so that its time budget holds even when the work blocks
// (a busy SQLite lock wait, a model fit): the main thread stops waiting and launches unchanged. When it
// does, it raises stopFlag, and the plan gives up at its next step (before writing any advice).
// The main thread reads the config meanwhile (the two cost about the same), and sends it over.

export type ToWorker = { type: 'config'; loaded: LoadedConfig } | { type: 'stop' };

const { argv, env, stopFlag } = workerData as { argv: string[]; env: NodeJS.ProcessEnv; stopFlag: Int32Array };
const stop = new AbortController();
const stopped = (): boolean => {
  if (!stop.signal.aborted && Atomics.load(stopFlag, 0) === 1) stop.abort(new Error('advice time budget exceeded'));
  return stop.signal.aborted;
};
const poll = setInterval(stopped, 25); // lets an awaited step (an input probe) hear the stop while waiting
const post = (m: PrelaunchMessage) => parentPort?.postMessage(m);

const message = new Promise<ToWorker>((resolve) => parentPort?.once('message', resolve));
// Load what the plan needs while the config is being read.
await Promise.all([import('./plan.js'), import('../store/open.js'), import('../store/sqlite.js'), import('../advisor/advise.js')]).catch(() => undefined);
const m = await message;
if (m.type === 'config') post(await prelaunch(argv, { env, loaded: m.loaded, signal: stop.signal, shouldStop: stopped }));
clearInterval(poll);
