import type { SpotConfig } from '../config/schema.js';
import type { RunStore } from '../store/types.js';
import type { Advice } from '../types.js';
import { launchesNoApp, parseSubmitArgs, serializeSubmitArgs, type SubmitArgs } from './args.js';
import { loadAdvisor, type AdviseFn } from './advisor-seam.js';
import { injectAdvice } from './inject.js';
import { defaultInputSources, inputSize, type InputSizeSource } from './input-size.js';
import { addReason } from '../advisor/reason-text.js';
import { historyInputs, readJobHistory } from '../advisor/job-history.js';
import { jobIdentity } from './job-key.js';
import { cachingSelect } from './model-cache.js';
import { baselineSettings } from './settings.js';
import { pinKey, pinProblem } from '../advisor/keys.js';
import { ConfigError } from '../config/errors.js';
import { injectTotalCores, sparkMaster, standaloneBaseline, withoutExecutors } from './master.js';
import { sparkProperties } from './spark-defaults.js';
import { keptByFill } from './fill.js';
import { keepsInitialExecutors, withSparkFloors } from './spark-floors.js';

// Everything before the launch: identify the job, measure its input, ask the advisor, apply the advice.
// Used by spot-submit and by `spot explain -- <args>`. It throws on failure; failing open is the caller's job.

export interface PlanDeps {
  config: SpotConfig;
  store: RunStore;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  signal?: AbortSignal;
  /** Polled between steps, for callers that cannot deliver an abort event in time. */
  shouldStop?: () => boolean;
  /** Store the advice record (default: yes, except for --spot-dry-run). */
  record?: boolean;
  /** Seams for tests and for other input-size sources. */
  advise?: AdviseFn;
  inputSources?: InputSizeSource[];
}

export interface LaunchPlan {
  advice?: Advice;
  /** Why there is no advice, when there is none: --spot-off, a command that launches no app, a local master. */
  noAdvice?: 'spot-off' | 'no-application' | 'local-master';
  /** The command line for spark-submit (Spot's own options removed). */
  argv: string[];
  warnings: string[];
}

/** `command`: spark-submit's arguments as given, or as parsed already (spot-submit's advice process parses once). */
export async function planLaunch(command: string[] | SubmitArgs, deps: PlanDeps): Promise<LaunchPlan> {
  const args = Array.isArray(command) ? parseSubmitArgs(command) : command;
  const warnings: string[] = [];
  if (args.spot.off || launchesNoApp(args))
    return { argv: serializeSubmitArgs(args), warnings, noAdvice: args.spot.off ? 'spot-off' : 'no-application' };
  const { config } = deps;
  const env = deps.env ?? process.env;
  const { props } = await sparkProperties(args, env);
  const master = sparkMaster(args, props);
  if (master.kind === 'local')
    return {
      argv: serializeSubmitArgs(args),
      warnings: [`master ${master.url}: a local run has no executors to size; no advice`],
      noAdvice: 'local-master',
    };
  checkAborted(deps);

  const job = jobIdentity(args, props, config.advisor.appKeyPattern, env);
  // A mistyped pin in the config would leave the setting it meant free to change: no advice rather than that.
  for (const pin of config.advisor.pinned) {
    const problem = pinProblem(pin);
    if (problem) throw new ConfigError(`advisor.pinned ${problem}`);
  }
  const pinned = [...new Set([...config.advisor.pinned, ...args.spot.pins].map(pinKey))];
  const standalone = master.kind === 'standalone';
  const baseline = standalone
    ? standaloneBaseline(baselineSettings(args, props), args, props)
    : baselineSettings(args, props);
  const kept =
    config.advisor.mode === 'fill' ? keptByFill(args, props, standalone).filter((k) => !pinned.includes(k)) : [];
  const history = await readJobHistory(deps.store, job.key);
  checkAborted(deps);

  const size = await inputSize(
    { args, config, signal: deps.signal, env: deps.env },
    deps.inputSources ?? defaultInputSources(config),
  );
  warnings.push(...size.warnings);
  checkAborted(deps);

  // Outcomes of advised runs, and the run the one-run what-if replays (its raw document, when the store has it).
  const inputs = await historyInputs(deps.store, history, size.bytes, config.advisor.minRuns);
  checkAborted(deps);

  // Nothing below what the launch's other settings require: Spark would refuse to start the app.
  const floors = withSparkFloors(config.advisor, args, props, keepsInitialExecutors(config.advisor.mode, pinned));

  const advise = deps.advise ?? (await loadAdvisor());
  const models = cachingSelect(job.key, history.kept, deps.now ? () => deps.now! : undefined);
  const advice = advise({
    select: models.select,
    app: job.key,
    inputBytes: size.bytes,
    baseline,
    pinned: [...pinned, ...kept],
    ...inputs,
    config: floors.config,
    now: deps.now,
  });
  checkAborted(deps);

  const mode = config.advisor.mode;
  const applied = injectAdvice({
    args,
    chosen: standalone ? withoutExecutors(advice.chosen) : advice.chosen,
    mode,
    pinned,
    props,
    adviceId: advice.id,
  });
  if (standalone) injectTotalCores(applied, { chosen: advice.chosen, baseline, mode, pinned, props });
  const full: Advice = {
    ...advice,
    app: job.key,
    mode,
    baseline,
    pinned,
    injected: applied.injected,
    inputBytes: size.bytes,
    inputSource: size.source,
  };
  if (kept.length) addReason(full, { code: 'fill-kept', values: { keys: kept.join(', ') } });
  for (const reason of floors.reasons) addReason(full, reason);
  if (
    size.bytes === undefined &&
    !(full.reasons ?? []).some((r) => r.code === 'input-assumed-largest' || r.code === 'input-unknown')
  ) {
    addReason(full, { code: 'input-unknown', values: {} });
  }
  // A dry run (spot-submit's, spot explain's) stores nothing, not even the model it fitted.
  const recording = deps.record ?? !args.spot.dryRun;
  const source = models.state.source;
  if (source?.source === 'fitted') {
    // The launch fitted its model (nothing kept for these runs): said as data, and kept for the next launch.
    addReason(full, { code: 'model-fitted-at-launch', values: { why: source.why } });
    if (recording) for (const m of models.state.fresh) await deps.store.putModel?.(m).catch(() => undefined);
  }
  checkAborted(deps); // a launch that went ahead unchanged must not leave advice behind
  if (recording) await deps.store.putAdvice(full);
  return { advice: full, argv: serializeSubmitArgs(applied.args), warnings };
}

function checkAborted(deps: Pick<PlanDeps, 'signal' | 'shouldStop'>): void {
  deps.shouldStop?.();
  const signal = deps.signal;
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('advice time budget exceeded');
}
