import { once } from 'node:events';
import { startHistoryServer, type SimHistoryServer } from '../simulator/history-server.js';
import type { SyntheticAppSpec } from '../simulator/apps.js';
import { runJob, type JobSettings } from '../demo/job-model.js';
import { days, FIXED, JOB_NAME } from '../demo/scenario.js';
import { plural } from '../format.js';
import { UserFacingError, type CliContext } from './context.js';

// `spot demo --serve [--port N]`: the demo's simulated History Server on its own, holding six days of finished
// runs of the demo job, so `spot crawl`, `spot runs`, `spot predict` and `spot report` can be tried without a
// cluster. It serves until interrupted.

/** Spark's own History Server port. */
export const DEFAULT_PORT = 18080;
/** Runs a day, each at other settings, so `spot predict` has a spread to learn from. */
const SETTINGS: JobSettings[] = [FIXED, { ...FIXED, executors: 20 }, { ...FIXED, executors: 10, executorCores: 2 }];
/** Days of history: inside the crawler's default look-back of 168 hours. */
const DAYS = 6;

/** The apps served: runs of the demo job over the `DAYS` days before `now`, ended well before it. */
export function demoHistory(now: Date): SyntheticAppSpec[] {
  return days(DAYS, now).flatMap((day, d) =>
    SETTINGS.map((s, i) => {
      const startMs = Date.parse(`${day.date}T00:00:00Z`) + (2 + 8 * i) * 3_600_000;
      const inputBytes = Math.round(day.inputBytes * (0.8 + 0.2 * i));
      const n = d * SETTINGS.length + i + 1;
      const run = runJob(inputBytes, s, `${day.date}-${i}`);
      return {
        id: `application_${Date.parse(`${day.date}T00:00:00Z`)}_${String(n).padStart(4, '0')}`,
        name: JOB_NAME,
        startMs,
        durationMs: run.durationMs,
        executors: s.executors,
        executorCores: s.executorCores,
        executorMemoryBytes: s.executorMemoryBytes,
        inputBytes,
        shuffleBytes: run.shuffleBytes,
        stageLayout: run.layout,
        sparkProperties: { 'spark.sql.shuffle.partitions': String(s.shufflePartitions) },
      };
    }),
  );
}

export interface ServeOptions {
  port?: number;
  /** Resolves when the server should stop; by default on SIGINT or SIGTERM. */
  stop?: Promise<unknown>;
  now?: Date;
}

export async function serveDemo(opts: ServeOptions, ctx: CliContext): Promise<number> {
  const port = opts.port ?? DEFAULT_PORT;
  let shs: SimHistoryServer;
  try {
    shs = await startHistoryServer({ port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserFacingError(`port ${port} on 127.0.0.1 is in use: pick another with --port N (0 picks a free one)`);
    throw e;
  }
  // Listening for the stop signal before saying how to stop: whoever reads the output may signal at once.
  const stop = opts.stop ?? Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  const apps = demoHistory(opts.now ?? new Date());
  for (const spec of apps) shs.addSpec(spec);
  const out = (s: string) => ctx.out.write(`${s}\n`);
  out(`Simulated Spark History Server at ${shs.url}`);
  out(
    `serving ${plural(apps.length, 'finished run')} of '${JOB_NAME}' from the last ${DAYS} days. In another terminal:`,
  );
  out(`  spot crawl --once --history-server ${shs.url}`);
  out(`  spot runs --app '${JOB_NAME}'`);
  out(`  spot predict --app '${JOB_NAME}' --executors 16 --executor-cores 4 --input-bytes 50g`);
  out('  spot report --out spot-demo.html');
  out('Stop it with Ctrl-C.');
  try {
    await stop;
  } finally {
    await shs.close();
  }
  out('History Server stopped.');
  return 0;
}
