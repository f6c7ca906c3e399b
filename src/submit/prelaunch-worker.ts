import { parentPort, workerData } from 'node:worker_threads';
import { prelaunch, type PrelaunchMessage } from './prelaunch.js';

// Runs the pre-launch phase off the main thread, so that its time budget holds even when the work blocks
// (a busy SQLite lock wait, a model fit): the main thread stops waiting and launches unchanged.

const { argv, env } = workerData as { argv: string[]; env: NodeJS.ProcessEnv };
const post = (m: PrelaunchMessage) => parentPort?.postMessage(m);
post(await prelaunch(argv, { env, onBudget: (adviceTimeoutMs) => post({ type: 'budget', adviceTimeoutMs }) }));
