import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { configSchema, type SpotConfig } from '../config/schema.js';
import type { RunStore } from '../store/types.js';
import { startHistoryServer } from '../simulator/history-server.js';
import { parseSubmitArgs } from '../submit/args.js';
import { crawlAfter } from '../submit/crawl-after.js';
import { launchSparkSubmit } from '../submit/launch.js';
import { planLaunch } from '../submit/plan.js';
import { baselineSettings } from '../submit/settings.js';
import { runJob, type JobSettings } from './job-model.js';
import { days, definedOnly, FIXED, JOB_NAME, launchArgs, SPARK_DEFAULTS } from './scenario.js';
import { ranInterval } from '../advisor/outcomes.js';

// The whole loop on a simulated cluster: each launch goes through spot-submit's own code path (plan, launch
// the stand-in spark-submit, record the outcome, crawl the finished app), so the next launch learns from it.
// It prints nothing: each launch and warning is an event, which the CLI (src/cli/demo.ts) puts into words.

export interface DemoLaunch {
  n: number;
  date: string;
  inputBytes: number;
  settings: JobSettings;
  durationMs: number;
  coreHours: number;
  /** The same day on the launch script's fixed settings. */
  fixedDurationMs: number;
  fixedCoreHours: number;
  applicationId?: string;
  adviceId?: string;
  decidedBy?: string;
  /** Code of what decided (see src/advisor/reason-text.ts). */
  decision?: string;
  model?: string;
  /** The 80% interval the advice predicted for the settings that ran (absent without a model's prediction). */
  interval?: { lowMs: number; highMs: number };
  exitCode: number;
  /** Set when the finished app could not be crawled at once. */
  crawlNote?: string;
}

type DemoEvent =
  /** One launch done (and crawled), in order. */
  | { type: 'launch'; launch: DemoLaunch }
  /** Something spot-submit's plan noted for launch `n` (shown only when debugging). */
  | { type: 'warning'; n: number; message: string };

export interface DemoOptions {
  launches: number;
  home: string;
  /** Opens the demo's store from its config: the caller picks the implementation. */
  openStore: (loaded: LoadedConfig) => Promise<RunStore>;
  onEvent?: (event: DemoEvent) => void;
  /** Stops the loop (Ctrl-C): the launch in flight is stopped by the signal itself and is not counted. */
  signal?: AbortSignal;
}

export interface DemoResult {
  launches: DemoLaunch[];
  app: string;
  /** Stopped by `signal` before the last launch. */
  stopped?: boolean;
}

function script(name: string): string {
  const path = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: build first (npm run build)`);
  return path;
}

/**
 * The environment without the user's own Spark installation: spot-submit reads spark-defaults.conf (SPARK_CONF_DIR,
 * SPARK_HOME) and MASTER, SPARK_EXECUTOR_* as the launch's settings, and the simulated cluster has none of them. A
 * cluster's spark.dynamicAllocation.enabled there would have each launch advised as a ceiling the demo never runs.
 */
function withoutSparkInstallation(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'MASTER' && !name.startsWith('SPARK_')));
}

export async function runDemoLoop(opts: DemoOptions): Promise<DemoResult> {
  const standIn = script('spark-submit');
  const du = script('hdfs-du');
  const hdfs = join(opts.home, 'demo-hdfs.json');
  const schedule = days(opts.launches);
  writeFileSync(hdfs, JSON.stringify(Object.fromEntries(schedule.map((d) => [d.inputPath, d.inputBytes]))));

  const shs = await startHistoryServer();
  const config: SpotConfig = configSchema.parse({
    historyServer: { url: shs.url, retries: 1, retryBaseMs: 50 },
    store: { path: join(opts.home, 'spot.db') },
    advisor: { mode: 'override' },
    // The probe is a local Node script that always answers; on a loaded machine starting Node alone can take
    // seconds, and the demo should not fall back to the last run's size because of that.
    submit: {
      inputProbe: `"${process.execPath}" "${du}" {path}`,
      inputProbeTimeoutMs: 120_000,
      crawlAfter: true,
      crawlAfterTimeoutMs: 120_000,
    },
  });
  const loaded = { config, home: opts.home };
  const store = await opts.openStore(loaded);
  const env = { ...withoutSparkInstallation(process.env), DEMO_SPARK_HISTORY: shs.url, DEMO_SPARK_HDFS: hdfs };
  const launches: DemoLaunch[] = [];
  try {
    for (const [i, day] of schedule.entries()) {
      if (opts.signal?.aborted) break;
      const plan = await planLaunch(launchArgs(day), { config, store, env });
      for (const message of plan.warnings) opts.onEvent?.({ type: 'warning', n: i + 1, message });
      const result = await launchSparkSubmit(process.execPath, [standIn, ...plan.argv], env, { passThrough: false });
      if (opts.signal?.aborted) break;
      const settings: JobSettings = {
        ...SPARK_DEFAULTS,
        ...definedOnly(baselineSettings(parseSubmitArgs(plan.argv), new Map())),
      };
      const ran = runJob(day.inputBytes, settings, day.date);
      const fixed = runJob(day.inputBytes, FIXED, day.date);
      const launch: DemoLaunch = {
        n: i + 1,
        date: day.date,
        inputBytes: day.inputBytes,
        settings,
        durationMs: ran.durationMs,
        coreHours: ran.coreHours,
        fixedDurationMs: fixed.durationMs,
        fixedCoreHours: fixed.coreHours,
        applicationId: result.applicationId,
        adviceId: plan.advice?.id,
        decidedBy: plan.advice?.decidedBy,
        decision: plan.advice?.reasons?.[0]?.code,
        model: plan.advice?.model?.name,
        exitCode: result.exitCode,
      };
      const interval = plan.advice && ranInterval(plan.advice);
      if (interval) launch.interval = interval;
      if (plan.advice) {
        await store.linkAdvice(plan.advice.id, {
          exitCode: result.exitCode,
          wallMs: result.wallMs,
          applicationId: result.applicationId,
          finishedAt: new Date().toISOString(),
        });
        if (result.applicationId) {
          launch.crawlNote = await crawlAfter({
            loaded,
            store,
            applicationId: result.applicationId,
            adviceId: plan.advice.id,
          });
        }
      }
      launches.push(launch);
      opts.onEvent?.({ type: 'launch', launch });
    }
  } finally {
    await store.close();
    await shs.close();
  }
  return { launches, app: JOB_NAME, ...(opts.signal?.aborted ? { stopped: true } : {}) };
}
