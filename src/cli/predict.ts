import { parseBytes, formatSparkMemory } from '../common/units.js';
import { byRecency, trainingRows } from '../advisor/features.js';
import { selectModel, MAX_TRAINING_ROWS } from '../../models/select.js';
import { extrapolationDistance, INTERVAL_COVERAGE } from '../../models/interval.js';
import { totalCores } from '../../models/features.js';
import type { AnsweredBy, ModelSettings, Range } from '../../models/types.js';
import { readJobHistory } from '../advisor/job-history.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';
import { formatBytes, formatDuration, formatPercent, plural, printable, thousands } from '../format.js';
import { storedJobNear } from './job-near.js';
import { jobKey } from '../documents/record.js';

// `spot predict`: the duration of one job at given settings, from its own history.

export interface PredictOptions {
  app: string;
  executors: number;
  executorCores: number;
  executorMemory?: string;
  inputBytes: number;
  json?: boolean;
}

export function parseExecutorMemory(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const bytes = parseBytes(v, 'm'); // spark-submit reads a bare number as MiB
  if (bytes === undefined || bytes <= 0)
    throw new UsageError(`--executor-memory must be a size like 4g or 4096m, got '${v}'`);
  return bytes;
}

/** Why another part than the model named answered (models/region.ts tells the parts apart). */
function answeredWhy(a: AnsweredBy, r: Range, s: ModelSettings, inputBytes: number): string {
  const cores = totalCores(s);
  return a.region === 'above'
    ? `${plural(cores, 'core')}, above the most the runs had (${r.maxCores})`
    : a.region === 'below'
      ? `${plural(cores, 'core')}, below the fewest the runs had (${r.minCores})`
      : a.region === 'grid'
        ? 'inside the grid of input sizes and core counts run, fitted over every run'
        : `${formatBytes(inputBytes)}, outside the input sizes run (${formatBytes(r.minBytes)} – ${formatBytes(r.maxBytes)})`;
}

/**
 * How far the question lies outside the runs learnt from, named by the farthest of its core count and input size
 * ("40 cores, 2.4× fewer than the fewest those runs had (96)"): a bare "2.4× beyond" does not say which way.
 */
function beyond(distance: number, r: Range, s: ModelSettings, inputBytes: number): string {
  const factor = `${distance < 100 ? distance.toFixed(1) : thousands(Math.round(distance))}×`;
  const cores = totalCores(s);
  const runs = 'the runs it learnt from';
  if (distance === cores / r.maxCores)
    return `${plural(cores, 'core')}, ${factor} the most ${runs} had (${r.maxCores})`;
  if (distance === r.minCores / cores)
    return `${plural(cores, 'core')}, ${factor} fewer than the fewest ${runs} had (${r.minCores})`;
  const input = `${formatBytes(inputBytes)} input`;
  if (distance === inputBytes / r.maxBytes)
    return `${input}, ${factor} the largest ${runs} read (${formatBytes(r.maxBytes)})`;
  return `${input}, ${factor} smaller than the smallest ${runs} read (${formatBytes(r.minBytes)})`;
}

export async function runPredict(opts: PredictOptions, ctx: CliContext): Promise<number> {
  const memory = parseExecutorMemory(opts.executorMemory);
  const inputBytes = opts.inputBytes;
  const store = await ctx.existingStore();
  // A run's name (`daily_sales_2026-01-24`) finds its job, whose key stands for every date (`daily_sales_{date}`).
  const key = jobKey(opts.app, undefined, ctx.config.advisor.appKeyPattern);
  // The runs as spot-submit's advice learns from them: in the launch's input unit, a failed launch failed.
  let { records } = await readJobHistory(store, opts.app);
  if (records.length === 0 && key !== opts.app) ({ records } = await readJobHistory(store, key));
  if (records.length === 0) {
    const near = await storedJobNear(store, key);
    throw new UserFacingError(
      near
        ? `no runs of '${printable(opts.app)}' in the store (did you mean '${near}'?)`
        : `no runs of '${printable(opts.app)}' in the store: crawl or import its history first`,
    );
  }
  const rows = trainingRows(byRecency(records), MAX_TRAINING_ROWS);
  const minRuns = ctx.config.advisor.minRuns;
  if (rows.length < Math.max(2, minRuns)) {
    throw new UserFacingError(
      `only ${plural(rows.length, 'successful run')} of '${printable(opts.app)}' among the ` +
        `${records.length} stored (advisor.minRuns is ${minRuns}): too little history to predict a duration`,
    );
  }
  const sel = selectModel(rows, { queryBytes: inputBytes });
  if (!sel) throw new UserFacingError(`no model could be fitted to the runs of '${printable(opts.app)}'`);
  const settings: ModelSettings = { executors: opts.executors, executorCores: opts.executorCores };
  if (memory !== undefined) settings.executorMemoryBytes = memory;
  const p = sel.model.predict(settings, inputBytes);
  const distance = extrapolationDistance(sel.spread.range, settings, inputBytes);
  const by = sel.model.answeredBy?.(settings, inputBytes);
  if (opts.json) {
    ctx.out.write(
      `${JSON.stringify({
        app: opts.app,
        settings,
        inputBytes,
        durationMs: Math.round(p.durationMs),
        low: Math.round(p.low),
        high: Math.round(p.high),
        coverage: INTERVAL_COVERAGE,
        model: sel.model.name,
        ...(by ? { answeredBy: by.model } : {}),
        validationError: sel.model.validationError,
        trainingRuns: sel.model.trainingRuns,
        extrapolation: distance,
        description: sel.model.describe(),
        reason: sel.reason,
      })}\n`,
    );
    return 0;
  }
  const mem = memory !== undefined ? `, ${formatSparkMemory(memory)} per executor` : '';
  const lines = [
    `${printable(opts.app)} at ${plural(opts.executors, 'executor')} × ${plural(opts.executorCores, 'core')}${mem}, ${formatBytes(inputBytes)} input:`,
    `  predicted ${formatDuration(p.durationMs)} (${INTERVAL_COVERAGE * 100}% interval ${formatDuration(p.low)} – ${formatDuration(p.high)})`,
    `  model ${sel.model.name}, validation error ${formatPercent(sel.model.validationError)}, trained on ${plural(sel.model.trainingRuns, 'run')}`,
    ...(by ? [`  answered by ${by.model}: ${answeredWhy(by, sel.spread.range, settings, inputBytes)}`] : []),
    `  ${sel.model.describe()}`,
    `  chosen because ${sel.reason}`,
  ];
  if (distance > 1.01)
    lines.push(`  note: ${beyond(distance, sel.spread.range, settings, inputBytes)}; the interval is widened for that`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return 0;
}
