import type { Advice, Reason } from '../types.js';
import { decimalsApart, durationsApart, formatBytes, formatDuration, wholePercent } from '../format.js';
import { TUNED_KEYS } from './keys.js';

// The one place the advisor's coded reasons become words: spot-submit's summary, `spot explain`, and the
// decidedBy / notes text kept in the Advice record for readers that predate reasons. Nothing decides on
// these words; code reads `code` and `values`.

type Values = Reason['values'];
const num = (v: Values[string]) => (typeof v === 'number' ? v : Number(v));
// As explain's table and the Ran: line write durations ("1m 54s", not "114 s" beside a table of "1m 54s").
const secs = (ms: Values[string]) => formatDuration(num(ms));
const hours = (h: Values[string]) => `${num(h).toFixed(num(h) < 1 ? 3 : 2)} core-hours`;
// A 0.3% self-error is "<1%", not "0%" (no error at all), as every whole percent Spot prints.
const pct = (f: Values[string]) => wholePercent(num(f));
/** A share over a limit, with the decimals that keep it from printing as the limit ("20% (more than 20%)"). */
const pctOver = (f: Values[string], limit: Values[string]) =>
  `${(num(f) * 100).toFixed(decimalsApart(num(f) * 100, num(limit) * 100))}%`;
const runs = (n: Values[string]) => `${n} successful run${num(n) === 1 ? '' : 's'}`;
/** Settings named as the launch's Spark properties ("spark.sql.shuffle.partitions"), not Spot's fields. */
const sparkKeys = (keys: Values[string]) =>
  String(keys)
    .split(', ')
    .map((k) => TUNED_KEYS[k as keyof typeof TUNED_KEYS] ?? k)
    .join(', ');
const learnt = (n: Values[string]) => `${n} run${num(n) === 1 ? '' : 's'} learnt from`;

function limit(v: Values): string {
  return v.deadlineSeconds !== undefined
    ? `deadline ${v.deadlineSeconds} s`
    : `slowdown high end ≤ ${v.maxSlowdown} × the baseline's ${secs(v.baselineMs!)}` +
        (v.baselineAtAnchor ? " (taken as no slower than the anchor's: no run of this size had as many cores)" : '') +
        (v.baselineAtWave ? ' (taken a wave sooner: its task count lies within 1% above a full wave)' : '') +
        (v.baselineOwnRuns
          ? ` (taken as no slower than the ${v.baselineOwnRuns === 1 ? 'run' : `${v.baselineOwnRuns} runs`} on its own` +
            ' settings of a similar input size took)'
          : '') +
        (v.baselineNearRuns
          ? ` (${num(v.baselineNearRuns).toFixed(2)}× the model's point: the runs near its cores took that much longer)`
          : '') +
        ` = ${secs(v.boundMs!)}`;
}

/** Core-hours priced at a dynamic allocation ceiling, as what they are. */
const AT_MOST =
  'the most each may cost: dynamic allocation holds fewer executors while fewer tasks wait, and releases idle ones';

const WORDS: Record<string, (v: Values) => string> = {
  'thin-history-no-input': (v) =>
    `too little history (${runs(v.runs!)}; advisor.minRuns is ${v.minRuns}) and no input size: kept the baseline`,
  'thin-history-rule': (v) =>
    `too little history (${runs(v.runs!)}; advisor.minRuns is ${v.minRuns}): rule of thumb: ${v.inputTasks} input tasks of 128 MiB at ` +
    `${v.tasksPerCore} tasks per core → ${v.coresWanted} cores wanted; ${v.cores} cores ` +
    // Advice stored before the cut had its own limit (cutFactor) says only the step limit.
    (v.cutFactor === undefined
      ? `within the ×${v.stepFactor} step limit and cluster limits`
      : `within cluster limits, a cut of ÷${v.cutFactor} at most without a model and a step of ×${v.stepFactor} up`) +
    (v.keptWaves
      ? `, and kept the scan's ${v.scanWaves} wave${num(v.scanWaves!) === 1 ? '' : 's'} of 128 MiB splits`
      : '') +
    (v.costOnly ? ' (objective cost: the rule never adds executors)' : ''),
  'thin-history-what-if': (v) =>
    `too little history (${runs(v.runs!)}; advisor.minRuns is ${v.minRuns}) to fit a model: run ${v.runId}'s stages ` +
    `replayed at other settings (one-run what-if, ${pct(v.selfError!)} self-error)`,
  'thin-history-what-if-off': (v) =>
    `run ${v.runId}'s stages replayed at its own settings land ${pctOver(v.selfError!, v.maxSelfError!)} from its duration (more than ` +
    `${pct(v.maxSelfError!)}): rules of thumb instead of the replay`,
  'duration-no-faster': (v) =>
    `objective duration: no candidate is predicted more than ${pct(v.minSaving!)} faster than the baseline (${secs(v.baselineMs!)}) with its 80% interval's high end under it`,
  'duration-fastest': (v) =>
    `objective duration: the fastest predicted (${secs(v.durationMs!)} vs ${secs(v.baselineMs!)} at the baseline), cheapest among those within 2%`,
  'deadline-unmet': (v) =>
    `no candidate meets the deadline ${v.deadlineSeconds} s with confidence; chose the lowest predicted high end (${secs(v.highMs!)})`,
  'kept-baseline': (v) =>
    `kept the baseline${v.partitions === undefined ? '' : `'s executors (shuffle partitions ${v.partitions})`}: no candidate within the limit (${limit(v)}) saves more than ${pct(v.minSaving!)} of its ${hours(v.baselineCoreHours!)}` +
    (v.dynamic ? ` at its executor ceiling (${AT_MOST})` : ''),
  'fewest-core-hours': (v) =>
    v.dynamic
      ? `fewest core-hours at the executor ceiling (${hours(v.coreHours!)} vs ${hours(v.baselineCoreHours!)} at the ` +
        `baseline's; ${AT_MOST}) subject to ${limit(v)}`
      : `fewest allocated core-hours (${hours(v.coreHours!)} vs ${hours(v.baselineCoreHours!)} at the baseline) subject to ${limit(v)}`,
  'baseline-from-history': (v) =>
    `baseline ${sparkKeys(v.keys!)} as the job ran it (not set on the command line): its last successful run's, or where Spot ` +
    'set one, what that advice planned against',
  'baseline-dynamic-bounds': (v) =>
    v.ceiling
      ? `baseline of ${v.executors} executors, not the ${v.from} a past run held: under dynamic allocation this ` +
        (v.unbounded
          ? 'launch, which sets no maxExecutors (Spark sets no limit), may scale up to the cluster limit ' +
            '(advisor.cluster.maxExecutors)'
          : 'launch may scale up to its maxExecutors')
      : `baseline of ${v.executors} executors, not ${v.from}: dynamic allocation holds this launch between its ` +
        `minExecutors and maxExecutors`,
  'fill-kept': (v) =>
    `advisor.mode fill: planned with ${v.keys} as this launch sets them, since fill never changes a set key ` +
    `(override mode would)`,
  'dynamic-allocation-floor': (v) =>
    `no fewer than ${v.minExecutors} executors, the launch's spark.dynamicAllocation.minExecutors (Spark refuses a ` +
    `maxExecutors below it)`,
  'dynamic-allocation-start-floor': (v) =>
    `no fewer than ${v.initialExecutors} executors, the launch's spark.dynamicAllocation.initialExecutors, kept as ` +
    'it is (pinned, or fill mode): Spark starts there whatever maxExecutors says',
  'task-cpus-floor': (v) =>
    `cores per executor a multiple of ${v.taskCpus}, the launch's spark.task.cpus (Spark refuses an executor that ` +
    `cannot run one task, and leaves the cores over a multiple idle)`,
  'baseline-from-defaults': (v) =>
    `baseline ${sparkKeys(v.keys!)} assumed at Spark's defaults (set neither by the launch nor in a successful run)`,
  'input-assumed-largest': (v) =>
    `input size ${v.given === 0 ? '0 B, no size to plan for' : 'unknown'}: ` +
    // Runs that record no input size leave no largest one: the models take them all to read the same amount.
    (num(v.inputBytes!) > 0
      ? `assumed the largest input of the ${learnt(v.runs!)}, ${formatBytes(num(v.inputBytes!))}`
      : `nor does any of the ${learnt(v.runs!)} record one: all are taken to read the same amount`),
  // Advice stored by earlier versions, which assumed (and recorded) the last run's input size.
  'input-assumed-last': () => "input size unknown: assumed the last run's",
  'input-unknown': () => 'input size unknown',
  // Advice stored by earlier versions, which took a deadline objective without its seconds (now a config error).
  'deadline-without-seconds': () => 'objective deadline without advisor.deadlineSeconds: minimising cost instead',
  'dynamic-allocation-ceiling': (v) =>
    `dynamic allocation stays on: the advised executor count ${v.executors} is its ceiling (spark.dynamicAllocation.maxExecutors)`,
  anchor: (v) => `steps measured from ${v.runId}, the last good run of a similar input size`,
  overrun: (v) =>
    `run ${v.runId} ${v.failed ? 'failed' : 'overran the slowdown limit beyond the noise'}: candidates keep ` +
    [
      ...(num(v.floorCores!) > 0 ? [`more than ${v.floorCores} cores`] : []),
      ...(num(v.floorPartitions ?? 0) > 0 ? [`at least ${v.floorPartitions} shuffle partitions`] : []),
    ].join(' and '),
  spill: (v) =>
    `run ${v.runId} of a similar input size spilled ${formatBytes(num(v.spilledBytes!))}: no candidate gets less execution memory per task unless a spill-aware model predicts its cost`,
  'baseline-failed': (v) =>
    `run ${v.runId} failed on the baseline's memory per core with as much input per shuffle partition or more: ` +
    `the baseline would fail again, so shuffle partitions ${v.partitions} whatever the limit says`,
  'baseline-near-failed': (v) =>
    `run ${v.runId} failed on the baseline's memory per core with a little more input per shuffle partition than ` +
    `the baseline gives here, which is more than run ${v.goodRunId}'s, the most that succeeded: the baseline ` +
    `may fail too, so shuffle partitions ${v.partitions} whatever the limit says`,
  'partitions-after-failure': (v) =>
    `run ${v.runId} failed with more input per shuffle partition than run ${v.goodRunId}, the most that succeeded ` +
    `on as little memory per core: at least ${v.partitions} shuffle partitions, to give each task no more than it`,
  'memory-after-failure': (v) =>
    `run ${v.runId} failed on ${formatBytes(num(v.runPerCoreBytes!))} of executor memory per core ` +
    (v.coarserRunId === undefined
      ? 'with as much input per shuffle partition as this launch gives or less'
      : `at an input no larger than this one, on finer shuffle partitions than run ${v.coarserRunId}, which failed too`) +
    `: more partitions do not answer it, so executor memory ` +
    `${formatBytes(num(v.executorMemoryBytes!))} (${formatBytes(num(v.perCoreBytes!))} per core, ` +
    (v.clusterLimit
      ? `advisor.cluster.maxExecutorMemoryBytes, short of a ×${v.stepFactor} step over that run's)`
      : `a ×${v.stepFactor} step over that run's)`),
  'partitions-with-baseline': (v) =>
    `shuffle partitions ${v.partitions} for the expected shuffle size with the baseline's executors`,
  'finer-partitions': (v) =>
    `under AQE ${v.stages} shuffle stage${num(v.stages!) === 1 ? '' : 's'} of ${v.runId} ran as long as ${num(v.stages!) === 1 ? 'its' : 'their'} longest task, ` +
    `one configured partition that AQE does not split: at least ${v.partitions} shuffle partitions (the job's ` +
    `${v.baselinePartitions}), for AQE to coalesce`,
  'whole-key': (v) =>
    `runs on fewer shuffle partitions ran closer to ${v.runId}'s replay with its longest task ` +
    (v.wholeKey
      ? 'whole than grown: a hot key, which more partitions do not split'
      : 'grown than whole: more partitions split it'),
  'model-fitted-at-launch': (v) =>
    `model fitted at launch (${v.why === 'stale' ? 'the kept one was fitted on other runs' : v.why === 'not-kept' ? 'this kind of model is not kept' : v.why === 'store-keeps-none' ? 'the store keeps no models' : 'none kept yet for these runs at this input size'})`,
  'no-advice': (v) => `no advice (${v.reason}): launched unchanged`,
  'what-if': (v) =>
    `one-run what-if from ${v.runId}: ${pct(v.selfError!)} off its own run` +
    (v.error !== undefined
      ? `, ${pct(v.error)} off the other runs ${v.anySize ? 'of any size (too few of this size)' : 'of this size'}` +
        ` (cross-run model: ${pct(v.crossRunError!)})`
      : ', too few other runs to check it'),
  'read-ceiling': (v) =>
    `the runs' task time per byte grows with their cores (as cores^${num(v.slope!).toFixed(2)} at least): ` +
    `the storage serves about ${v.knotTasks} scan tasks at once, and ${v.runId}'s replay counts it ` +
    `(${pct(v.error!)} off the other runs, ` +
    `${pct(v.plainError!)} without)`,
};

/** Why a candidate was rejected, in words: coded, or as advice stored before rejections were coded said it. */
const REJECTIONS: Record<string, (v: Values) => string> = {
  'over-bound': (v) => {
    const [high, bound] = durationsApart(num(v.highMs!), num(v.boundMs!));
    return `${v.deadline ? 'predicted' : 'slowdown'} high end ${high} exceeds ${bound}`;
  },
  'below-overrun-floor': (v) => `fewer than ${v.floorCores} cores, the floor a run that overran set`,
  'outside-flexible-range': (v) => `outside the ${v.minCores}–${v.maxCores} cores the flexible model was trained on`,
  'spill-heavier-tasks': () =>
    'less execution memory per task on a job that spills, and no spill-aware model to predict its cost',
  'memory-over-limit': (v) =>
    `needs ${(num(v.needBytes!) / 1024 ** 3).toFixed(1)} GiB per executor (observed peak + headroom), above the limit`,
};

/** A coded reason in a table's words; a code the table does not know, with its numbers as they are. */
const inWords = (table: Record<string, (v: Values) => string>, r: Reason): string =>
  table[r.code]?.(r.values) ?? `${r.code} ${JSON.stringify(r.values)}`;

export function rejectionText(r: Reason | string): string {
  return typeof r === 'string' ? r : inWords(REJECTIONS, r);
}

export function reasonText(r: Reason): string {
  return inWords(WORDS, r);
}

/**
 * The decision and notes of an advice in today's words: from its coded reasons where it has them (the words stored
 * beside them are those of the version that advised), else the stored words of advice that predates reasons.
 */
export function adviceWords(advice: Advice): { decidedBy: string; notes: string[] } {
  const [first, ...rest] = advice.reasons ?? [];
  return first
    ? { decidedBy: reasonText(first), notes: rest.map(reasonText) }
    : { decidedBy: advice.decidedBy, notes: advice.notes ?? [] };
}

/** A note added to a decided advice (by the launch, or explain): as data, and in words for readers of the record. */
export function addReason(advice: Advice, reason: Reason): void {
  advice.reasons = [...(advice.reasons ?? []), reason];
  advice.notes = [...(advice.notes ?? []), reasonText(reason)];
}
