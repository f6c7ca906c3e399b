import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type SpotConfig } from '../../src/config/schema.js';
import { startHistoryServer } from '../../src/simulator/history-server.js';
import { openStore } from '../../src/compose.js';
import { confValues, parseSubmitArgs } from '../../src/submit/args.js';
import { crawlAfter } from '../../src/submit/crawl-after.js';
import { ADVICE_ID_KEY } from '../../src/submit/inject.js';
import { planLaunch } from '../../src/submit/plan.js';
import { reasonText } from '../../src/advisor/reason-text.js';
import { ranInterval } from '../../src/advisor/outcomes.js';
import type { Advice } from '../../src/types.js';
import { runOnCluster, type ClusterRun, type ClusterSettings, type JobShape } from './cluster.js';
import { fixedArgs, ranSettings, settingsText, type LaunchStyle } from './command-line.js';
import { rejectionText } from '../../src/advisor/reason-text.js';

// One job's 24 launches through spot-submit's own path: plan (advice, injection in override mode), a run on the
// simulated cluster, the finished app served by the simulated History Server and crawled back into the store
// the way submit.crawlAfter does, so the next launch learns from it.

export interface LoopLaunch {
  n: number;
  inputBytes: number;
  settings: ClusterSettings;
  run: ClusterRun;
  /** The same launch on the fixed settings (same noise). */
  fixed: ClusterRun;
  tagged: boolean;
  failOpen: boolean;
  decidedBy?: string;
  /** The model and its predictions for the chosen settings and the baseline (s), for --verbose. */
  detail?: string;
  /** Every candidate weighed and every reason, one line each, for --candidates. */
  candidates?: string[];
  /** The advice's 80% interval for the settings that ran; absent without a model's prediction. */
  interval?: { lowMs: number; highMs: number };
  adviceMs: number;
}

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 0, 1, 2);

export interface LoopOptions extends LaunchStyle {
  advisor?: Partial<SpotConfig['advisor']>;
  /** Launch without --spot-input-bytes, as spot-submit put in front of a job with nothing else changed. */
  noInputSize?: boolean;
  /** Launch numbers (from 1) whose candidates and reasons to keep (LoopLaunch.candidates). */
  candidatesOf?: Set<number>;
}

/** One line per candidate (settings, predicted point and high end, core-hours, why rejected), then the reasons. */
function candidateLines(advice: Advice): string[] {
  const lines = advice.candidates.map((c) => {
    const p = c.prediction;
    const at = settingsText(c.settings);
    const secs = `${(p.durationMs / 1000).toFixed(1)}/${(p.high / 1000).toFixed(1)} s`;
    return `${at.padEnd(26)} ${secs.padStart(13)}  ${c.coreHours.toFixed(3)} core-h  ${c.rejected ? rejectionText(c.rejected) : ''}`.trimEnd();
  });
  return [...lines, ...(advice.reasons ?? []).map((r) => `${r.code}: ${reasonText(r)}`)];
}

export async function runLoop(job: JobShape, inputs: number[], opts: LoopOptions = {}): Promise<LoopLaunch[]> {
  const home = mkdtempSync(join(tmpdir(), 'spot-loop-'));
  const shs = await startHistoryServer();
  const config: SpotConfig = configSchema.parse({
    historyServer: { url: shs.url, retries: 1, retryBaseMs: 20 },
    store: { path: join(home, 'spot.db') },
    advisor: { mode: 'override', ...opts.advisor },
    submit: { crawlAfter: true, crawlAfterTimeoutMs: 5_000 },
  });
  const loaded = { config, home };
  const store = await openStore(loaded);
  const out: LoopLaunch[] = [];
  try {
    for (const [i, inputBytes] of inputs.entries()) {
      const startMs = START_MS + i * DAY_MS;
      const argv = [
        '--master',
        'yarn',
        '--name',
        `loop ${job.name}`,
        '--class',
        'com.example.Job',
        ...fixedArgs(job, opts),
        ...(opts.noInputSize ? [] : ['--spot-input-bytes', String(inputBytes)]),
        'job.jar',
        '--day',
        String(i),
      ];
      const t0 = performance.now();
      let launchArgv: string[];
      let adviceId: string | undefined;
      let decidedBy: string | undefined;
      let detail: string | undefined;
      let candidates: string[] | undefined;
      let interval: LoopLaunch['interval'];
      let failOpen = false;
      try {
        const plan = await planLaunch(argv, { config, store, now: new Date(startMs) });
        launchArgv = plan.argv;
        adviceId = plan.advice?.id;
        decidedBy = plan.advice?.decidedBy;
        const c = plan.advice?.candidates ?? [];
        const p = (i: number) =>
          c[i]
            ? `${(c[i]!.prediction.durationMs / 1000).toFixed(1)}/${(c[i]!.prediction.high / 1000).toFixed(1)} s`
            : '-';
        if (plan.advice && opts.candidatesOf?.has(i + 1)) candidates = candidateLines(plan.advice);
        if (plan.advice?.model) detail = `${plan.advice.model.name}: base ${p(0)}, chosen ${p(1)}`;
        interval = plan.advice && ranInterval(plan.advice);
      } catch {
        failOpen = true;
        launchArgv = argv.filter((a, j) => a !== '--spot-input-bytes' && argv[j - 1] !== '--spot-input-bytes');
      }
      const adviceMs = performance.now() - t0;
      const args = parseSubmitArgs(launchArgv);
      const settings = ranSettings(job, args, opts);
      const seed = `${job.seed ?? job.name}/${i}`;
      const run = runOnCluster(job, inputBytes, settings, seed);
      const fixed = runOnCluster(job, inputBytes, job.fixed, seed);
      const conf = confValues(args);
      const appId = `application_1767000000000_${String(i + 1).padStart(4, '0')}`;
      // A failed app is in the History Server too (completed, its job failed), and spot-submit crawls it after the
      // run whatever its exit code (src/submit/feedback.ts): the advisor learns of the failure from its record.
      shs.addSpec({
        ...(run.failed ? { failedJob: true } : {}),
        id: appId,
        name: `loop ${job.name}`,
        startMs,
        durationMs: run.durationMs,
        executors: settings.executors,
        executorCores: settings.executorCores,
        executorMemoryBytes: settings.executorMemoryBytes,
        inputBytes: Math.round(inputBytes * job.stageReads),
        shuffleBytes: Math.round(run.shuffleBytes),
        sparkProperties: Object.fromEntries(conf),
        stageLayout: run.layout,
      });
      if (adviceId) {
        await store.linkAdvice(adviceId, {
          exitCode: run.failed ? 1 : 0,
          wallMs: run.durationMs,
          applicationId: appId,
        });
        await crawlAfter({ loaded, store, applicationId: appId, adviceId });
      }
      out.push({
        n: i + 1,
        inputBytes,
        settings,
        run,
        fixed,
        tagged: conf.has(ADVICE_ID_KEY),
        failOpen,
        decidedBy,
        detail,
        ...(candidates ? { candidates } : {}),
        ...(interval ? { interval } : {}),
        adviceMs,
      });
    }
  } finally {
    await store.close();
    await shs.close();
    rmSync(home, { recursive: true, force: true });
  }
  return out;
}
