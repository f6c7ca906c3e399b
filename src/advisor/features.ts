import { MEMORY_HEADROOM } from './guard-rails.js';
import { isUsableRun } from '../../models/family.js';
import type { TrainingRow } from '../../models/types.js';
import type { Advice, RunRecord, Settings } from '../types.js';
import { CORES_MAX_KEY, TUNED_KEYS } from './keys.js';

// What the advisor reads from a job's history: the rows the models learn from, and the few facts the
// rules and guard rails need (the last run's settings, peak memory per core, shuffle bytes per input byte).

/**
 * Spark's defaults on YARN for the counts a prediction needs. Memory has none here: a guess injected into a
 * launch could undercut the cluster's own spark-defaults.conf. Shuffle partitions have Spark's 200: a run's
 * environment lists what spark-defaults.conf and the launch set, so a run that shows no count ran 200, and under AQE
 * the advice never starts below what the job runs (rules.ts; an outside closed loop had a job that sets none cut to
 * 64–120).
 */
const SPARK_DEFAULTS: Settings = { executors: 2, executorCores: 1, shufflePartitions: 200 };

/** Most recent first. The store already returns them so; checking is cheaper than sorting 10,000 again. */
export function byRecency(records: RunRecord[]): RunRecord[] {
  let sorted = true;
  for (let i = 1; i < records.length && sorted; i++) if (records[i - 1]!.endTime < records[i]!.endTime) sorted = false;
  if (sorted) return records;
  return [...records].sort((a, b) => (a.endTime < b.endTime ? 1 : a.endTime > b.endTime ? -1 : 0));
}

/** The first `n` records that pass `keep`, without scanning the rest. */
export function firstN(records: RunRecord[], keep: (r: RunRecord) => boolean, n: number): RunRecord[] {
  const out: RunRecord[] = [];
  for (const r of records) {
    if (out.length >= n) break;
    if (keep(r)) out.push(r);
  }
  return out;
}

/** Successful runs as training rows, most recent first. Failed runs say nothing about duration. */
export function trainingRows(recent: RunRecord[], limit = Infinity): TrainingRow[] {
  return firstN(recent, isUsableRun, limit).map((r) => ({
    id: r.id,
    inputBytes: Math.max(0, r.inputBytes),
    executors: r.executors,
    executorCores: r.executorCores,
    executorMemoryBytes: r.executorMemoryBytes,
    shufflePartitions: r.shufflePartitions,
    durationMs: r.durationMs,
  }));
}

export function runSettings(r: RunRecord): Settings {
  const s: Settings = { executors: r.executors, executorCores: r.executorCores };
  if (r.executorMemoryBytes !== undefined) s.executorMemoryBytes = r.executorMemoryBytes;
  if (r.shufflePartitions !== undefined) s.shufflePartitions = r.shufflePartitions;
  if (r.dynamicAllocation !== undefined) s.dynamicAllocation = r.dynamicAllocation;
  return s;
}

/** What the advisor reads of a launched advice record for the baseline: what it injected, and the baseline it used. */
export type LaunchedAdvice = Pick<Advice, 'id' | 'injected' | 'candidates' | 'plannedBaseline'>;

/**
 * The conf keys by which Spot sets each setting: the executor count also as dynamic allocation's ceiling and, on a
 * standalone master, as spark.cores.max (src/submit/inject.ts, master.ts).
 */
const SET_AS: Partial<Record<keyof Settings, string[]>> = {
  executors: [TUNED_KEYS.executors, TUNED_KEYS.maxExecutors, CORES_MAX_KEY],
};
const setAs = (key: keyof Settings) => SET_AS[key] ?? [TUNED_KEYS[key]];

const BASELINE_KEYS = [
  'executors',
  'executorCores',
  'executorMemoryBytes',
  'shufflePartitions',
  'dynamicAllocation',
] as const;

/**
 * The settings the job itself ran with, newest first, for the keys in `keys`: a run's own value, or where Spot
 * injected it, the baseline that advice planned against (its plannedBaseline). Without that, an advised run's
 * injected value became the next baseline, and a step from it the next injection: a job that leaves
 * spark.sql.shuffle.partitions unset had it doubled launch after launch, from 200 to over a million in 24 launches.
 * A key no run settles keeps the newest run's value.
 */
function ownSettings(recent: RunRecord[], launched: LaunchedAdvice[], keys: (keyof Settings)[]): Partial<Settings> {
  const usable = recent.filter(isUsableRun);
  const byId = new Map(launched.map((a) => [a.id, a]));
  const own: Partial<Settings> = {};
  const open = new Set(keys);
  for (const r of usable) {
    if (open.size === 0) break;
    const a = r.adviceId === undefined ? undefined : byId.get(r.adviceId);
    const ran = runSettings(r);
    // The baseline the advice planned against; records of earlier versions list it as their first candidate.
    const planned = a?.plannedBaseline ?? a?.candidates[0]?.settings;
    for (const key of [...open]) {
      const injected = a !== undefined && setAs(key).some((k) => a.injected[k] !== undefined);
      if (injected && !planned) continue; // this advice kept no baseline: an older run tells
      const v = injected ? planned![key] : ran[key];
      if (v !== undefined) (own as Record<string, unknown>)[key] = v;
      open.delete(key);
    }
  }
  const newest: Partial<Settings> = usable[0] ? runSettings(usable[0]) : {};
  for (const key of open) if (newest[key] !== undefined) (own as Record<string, unknown>)[key] = newest[key];
  return own;
}

/**
 * The baseline the advisor predicts and compares against: what the command line asks for; for what it
 * leaves unset, what the job's last successful run used of its own (ownSettings); else Spark's defaults. `sources`
 * says which is which.
 */
export function effectiveBaseline(
  baseline: Partial<Settings>,
  recent: RunRecord[],
  launched: LaunchedAdvice[] = [],
): { settings: Settings; fromHistory: (keyof Settings)[]; fromDefaults: (keyof Settings)[] } {
  const fromRun = ownSettings(
    recent,
    launched,
    BASELINE_KEYS.filter((k) => baseline[k] === undefined),
  );
  const settings = { ...SPARK_DEFAULTS } as Settings;
  const fromHistory: (keyof Settings)[] = [];
  const fromDefaults: (keyof Settings)[] = [];
  for (const key of BASELINE_KEYS) {
    const v = baseline[key] ?? fromRun[key];
    // Dynamic allocation off is how Spark runs a job that never asked for it: no news to say on every advice.
    const news = fromRun[key] !== undefined && !(key === 'dynamicAllocation' && fromRun[key] === false);
    if (baseline[key] === undefined && news) fromHistory.push(key);
    if (v !== undefined) (settings as unknown as Record<string, unknown>)[key] = v;
    else if (SPARK_DEFAULTS[key] !== undefined) fromDefaults.push(key);
  }
  return { settings, fromHistory, fromDefaults };
}

/**
 * Executor memory per core that recent successful runs needed (bytes): the observed peak heap plus headroom,
 * but never more than the run had. A JVM's peak heap grows with the heap it is given, so a floor taken from the
 * peak alone would ratchet memory up run after run; a run that succeeded proves its own allocation was enough.
 */
export function memoryNeedPerCore(recent: RunRecord[], window = 20): (cores: number) => number | undefined {
  const runs = firstN(recent, (r) => r.succeeded && !!r.peakExecutorMemoryBytes && r.executorCores > 0, window);
  const need = (r: RunRecord) => {
    const peak = r.peakExecutorMemoryBytes! * MEMORY_HEADROOM;
    return Math.min(peak, r.executorMemoryBytes ?? peak) / r.executorCores;
  };
  const all = runs.length ? Math.max(...runs.map(need)) : undefined;
  // Executors of the asked cores speak for themselves when the job ran some: a heap shared by fewer tasks looks
  // like more need per task (the JVM grows into what it is given), so 2-core runs would double 4-core executors.
  return (cores) => {
    const same = runs.filter((r) => r.executorCores === cores);
    return same.length ? Math.max(...same.map(need)) : all;
  };
}

/** Expected shuffle bytes of the next run: recent shuffle bytes per input byte times its input, or the last run's. */
export function expectedShuffleBytes(recent: RunRecord[], inputBytes: number | undefined): number | undefined {
  const withShuffle = firstN(recent, (r) => r.succeeded && r.shuffleWriteBytes !== undefined, 20);
  if (withShuffle.length === 0) return undefined;
  const ratios = withShuffle
    .filter((r) => r.inputBytes > 0)
    .map((r) => r.shuffleWriteBytes! / r.inputBytes)
    .sort((a, b) => a - b);
  if (inputBytes && inputBytes > 0 && ratios.length) return ratios[ratios.length >> 1]! * inputBytes;
  return withShuffle[0]!.shuffleWriteBytes;
}

/** Whether adaptive query execution was on in the most recent run that said (it is on by default since Spark 3.2). */
export function adaptiveExecution(recent: RunRecord[]): boolean | undefined {
  return recent.find((r) => r.adaptiveExecution !== undefined)?.adaptiveExecution;
}
