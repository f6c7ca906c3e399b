import { MAX_PARTITION_BYTES, scanSplits, TASK_COUNT_MARGIN } from '../features.js';
import type { ModelSettings, Regressor } from '../types.js';
import type { RunObs, StageObs } from './observe.js';
import { stageShape, stageWallMs, stragglerBound } from './straggler.js';

// The one-run what-if (Sparklens' idea, on History Server data): a run's stages replayed at other settings.
// Each stage is waves of tasks over the task slots; its task count follows Spark's own rules (file splits for a
// scan, shuffle partitions with AQE's coalescing for a shuffle read); a task's time follows the bytes it gets;
// what a stage took beyond its waves (scheduling, a straggler) and the wall time outside every stage (driver-only)
// are held constant, but for the executors' start-up when their add times show it grows with their count. Its
// self-error is how far the replay at the run's own settings lands from its duration. Task counts estimated for an
// input of another size are a point; the margin replay counts a few more, for the high end of a cut
// (src/advisor/risk.ts).

const MIB = 1024 ** 2;
const ADVISORY_BYTES = 64 * MIB; // spark.sql.adaptive.advisoryPartitionSizeInBytes

export interface WhatIfOptions {
  /** spark.sql.shuffle.partitions of the observed run (the configured count, before AQE coalesced it). */
  shufflePartitions?: number;
  /** Whether AQE was on (Spark's default since 3.2). */
  adaptive?: boolean;
  /** Input size of the observed run in the unit predictions are asked in (default: its scan stages' reads). */
  inputBytes?: number;
  /**
   * Scan tasks reading at once past which the storage serves no more (src/advisor/what-if-run.ts, checkedWhatIf):
   * each scan task then takes longer in proportion to the tasks reading with it, and shorter with fewer. Unset: a
   * task's time is its own.
   */
  readKnotTasks?: number;
  /**
   * A shuffle's longest task is one key's (a hot key): whole at any configured partition count, so that fewer do not
   * grow it either. Unset, fewer configured partitions grow it in proportion (a hash partition's skew).
   */
  wholeKey?: boolean;
}

export interface WhatIf extends Regressor {
  /** |replay at the observed settings / observed duration − 1|. */
  selfError: number;
  /**
   * The replay with every task count it estimates (from an input of another size) TASK_COUNT_MARGIN higher: a count
   * that close below a full wave may be the next wave's first task.
   */
  marginMs: (settings: ModelSettings, inputBytes: number) => number;
  /**
   * The replay with every task count it estimates TASK_COUNT_MARGIN lower: a count that close above a full wave may
   * fit in it (the baseline's point the slowdown limit is measured from, src/advisor/advise.ts).
   */
  lowMarginMs: (settings: ModelSettings, inputBytes: number) => number;
  driverMs: number;
  /**
   * Shuffle stages, under AQE, whose time was their longest task and that task one configured partition over the
   * advisory size: AQE merges partitions and never splits one, so only a finer initial cut can make it smaller.
   */
  wholePartitionStragglers: number;
  /**
   * Shuffle stages whose longest task was one configured partition, which a hot key's would be at any count: under AQE
   * a task over the advisory size; without AQE (one task per partition) a longest task the stage took as long as.
   */
  wholePartitionStages: number;
}

/** Wall time covered by at least one stage (stages may overlap). */
function stageTime(stages: StageObs[]): number {
  let covered = 0;
  let end = -Infinity;
  for (const s of stages) {
    const from = Math.max(s.submissionMs, end);
    if (s.completionMs > from) covered += s.completionMs - from;
    end = Math.max(end, s.completionMs);
  }
  return covered;
}

/**
 * Bytes the stage's tasks read per byte Spark's split sizing counted. They differ: a columnar format reads only
 * the columns it needs (fewer), an input read twice or decompressed counts more. A scan of more tasks than slots
 * ran at the full split size, so its own task count tells the ratio; one that filled just the slots does not, and
 * then the scans' reads against the input size given at launch (the files' size) tell it (`launchRatio`).
 */
function splitReadRatio(s: StageObs, observedSlots: number, launchRatio: number): number {
  return Math.min(MAX_READ_RATIO, Math.max(1 / MAX_READ_RATIO, fullSplitRatio(s, observedSlots) ?? launchRatio));
}

/**
 * The ratio a scan that ran at the full split size shows by its task count; undefined for one that filled just
 * the slots. Bytes ÷ tasks alone reads low: a file's last split is partial, so 24.1 GiB runs as 193 splits, and
 * 193 full splits' worth of that ratio puts 161 splits, a third wave on 80 slots, in a 20 GiB input that Spark
 * cuts into 160. One byte per byte counted, Spark's own sizing, is kept whenever it gives the run's task count;
 * otherwise the ratio in the middle of those that give it.
 */
function fullSplitRatio(s: StageObs, observedSlots: number): number | undefined {
  if (s.numTasks <= observedSlots * SPREAD_TASKS) return undefined;
  if (scanSplits(s.inputBytes, observedSlots).tasks === s.numTasks) return 1;
  return s.inputBytes / ((s.numTasks - 0.5) * MAX_PARTITION_BYTES);
}
/** A scan with more tasks than this share over the slots ran at the full split size (files add a few pieces). */
const SPREAD_TASKS = 1.1;
const MAX_READ_RATIO = 10;

export function oneRunWhatIf(run: RunObs, opts: WhatIfOptions = {}): WhatIf {
  const adaptive = opts.adaptive ?? true;
  const scanBytes = run.stages.reduce((a, s) => a + (s.shuffleReadBytes === 0 ? s.inputBytes : 0), 0);
  const observedInput = opts.inputBytes ?? scanBytes;
  const covered = stageTime(run.stages);
  const driverMs = Math.max(0, run.durationMs - covered);
  const summed = run.stages.reduce((a, s) => a + (s.completionMs - s.submissionMs), 0);
  // Stages that overlapped save the same share of the summed stage time at other settings.
  const overlap = summed > 0 ? covered / summed : 1;
  const observedSlots = run.slots;
  const launchRatio = opts.inputBytes && opts.inputBytes > 0 && scanBytes > 0 ? scanBytes / opts.inputBytes : 1;
  const readsPerSplitByte = (s: StageObs) => splitReadRatio(s, observedSlots, launchRatio);
  // A scan task's time against the tasks reading at once: its own below the knot, shared beyond it.
  const knot = opts.readKnotTasks;
  const readWait = (reading: number) => (knot && knot > 0 ? Math.max(1, reading / knot) : 1);

  // What each stage's own run shows (its typical task, straggler and the rest) depends on the run alone: read once,
  // not on every replay the candidates ask for.
  const shapes = new Map(run.stages.map((s) => [s, stageShape(s, observedSlots)]));
  // A scan Spark cut into fewer splits than its sizing gives at half the run's slots was held by its files (gzip and
  // other unsplittable files are one task each, whatever the slots): its count grows with the input alone. Spark's
  // sizing there put a replay of the run itself a third off when 3 tasks ran on 8 slots. Half, because Spark sized
  // the splits for the cores registered when it planned the scan: YARN starts the app at 80% of its executors.
  const fileBound = new Set(
    run.stages.filter(
      (s) =>
        s.shuffleReadBytes === 0 &&
        s.inputBytes > 0 &&
        s.numTasks <= observedSlots * SPREAD_TASKS &&
        scanSplits(s.inputBytes / readsPerSplitByte(s), observedSlots / 2).tasks > s.numTasks * SPREAD_TASKS,
    ),
  );
  // A shuffle stage that ran another task count than the configured shuffle partitions (more than it, under AQE,
  // which only merges) had its count set by the job's own code: an RDD's partitioner, coalesce(1) before a write.
  // Neither the setting nor AQE's merging reaches it: replayed at the configured 1,000, a one-task write ran in a
  // thousandth of its time, the replay missed its own run by 19.5%, called the baseline that much faster, and a
  // 1 GiB run on 16 cores at 0.84–0.91× the fixed time was taken for an overrun that sent the next launch back to
  // all 200 cores (an outside closed loop, bimodal ETL without AQE; the replay now misses by 11.6%).
  const observedConfigured = opts.shufflePartitions;
  const ownCount = new Set(
    run.stages.filter(
      (s) =>
        s.shuffleReadBytes > 0 &&
        observedConfigured !== undefined &&
        (adaptive ? s.numTasks > observedConfigured : s.numTasks !== observedConfigured),
    ),
  );
  const stageMs = (
    s: StageObs,
    slots: number,
    scale: number,
    partitions: number | undefined,
    margin: number,
  ): number => {
    const shape = shapes.get(s)!;
    const { taskMs } = shape;
    let tasks = s.numTasks;
    let perTask = taskMs;
    let waveTasks = 0;
    let stragglerGrown: number | undefined;
    const margined = (count: (bytes: number) => number, bytes: number) =>
      margin !== 0 ? count(bytes * (1 + margin)) : 0;
    if (s.shuffleReadBytes > 0) {
      const bytes = s.shuffleReadBytes * scale;
      const own = ownCount.has(s);
      const configured = own ? s.numTasks : (partitions ?? opts.shufflePartitions ?? s.numTasks);
      const merged = adaptive && !own;
      // Under AQE a shuffle read runs as many tasks as advisory-size pieces, never more than configured.
      const coalesced = (b: number) => Math.max(1, Math.min(configured, Math.ceil(b / ADVISORY_BYTES)));
      tasks = merged ? coalesced(bytes) : configured;
      perTask = (taskMs * (bytes / tasks)) / (s.shuffleReadBytes / s.numTasks);
      if (merged) waveTasks = margined(coalesced, bytes);
      // A longest task over the advisory size was one configured partition: it grows with the input and with fewer
      // configured partitions, however AQE merged the others. More do not shrink it for sure: a hot key's partition
      // stays whole (bench/loop --cluster hot-key --shapes held-out --seed s110, wide-range ETL: 922 partitions for
      // 200, counted on to split it, ran 1.34× the fixed time).
      if (adaptive && observedConfigured && shape.stragglerBytes > ADVISORY_BYTES)
        stragglerGrown = opts.wholeKey ? scale : scale * Math.max(1, observedConfigured / configured);
      // Without AQE every task is one configured partition: a hot key's stays whole with more of them (bench/loop
      // --shapes random:40 --cluster parallel --seed s31, random 13, second launch: 660 partitions for 400, counted on
      // to shrink the longest task, priced a cut from 8 to 6 executors 5% slower; it ran 1.32× the fixed time).
      if (!adaptive) stragglerGrown = opts.wholeKey ? scale : scale * Math.max(1, s.numTasks / configured);
    } else if (s.inputBytes > 0) {
      const bytes = s.inputBytes * scale;
      const splits = (b: number) =>
        fileBound.has(s)
          ? Math.max(1, Math.round((s.numTasks * b) / s.inputBytes))
          : scanSplits(b / readsPerSplitByte(s), slots).tasks;
      tasks = splits(bytes);
      perTask = (taskMs * (bytes / tasks)) / (s.inputBytes / s.numTasks);
      waveTasks = margined(splits, bytes);
      perTask *= readWait(Math.min(slots, tasks)) / readWait(Math.min(observedSlots, s.numTasks));
    } else {
      perTask = taskMs * scale;
    }
    // Time beyond the waves and the longest task is held as it ran (straggler.ts): a fixed cost per stage (result
    // fan-in over the executors) does not grow with bigger tasks. Without the longest task one run cannot tell a
    // straggler (a skewed partition, which would grow with them) from such a cost, and holds both. Scaled with the
    // tasks, a 3.4 GiB run's few seconds became a 43 GiB baseline 1.5× too slow, and a cut within that error ran
    // 1.27× the fixed time (bench/loop memory-hungry shuffle, --cluster overheads --seed s70). Fewer partitions of
    // bytes-bound tasks are kept from the candidates instead (src/advisor/candidates.ts).
    const counted = waveTasks === 0 ? tasks : margin > 0 ? Math.max(tasks, waveTasks) : Math.min(tasks, waveTasks);
    const wavesMs = Math.ceil(counted / slots) * perTask;
    return stageWallMs(shape, wavesMs, taskMs > 0 ? perTask / taskMs : 1, stragglerGrown);
  };

  // The first stage waited for the executors to register: with fewer (more) it begins sooner (later) by their
  // spacing. Executors that registered together, as on most clusters, make that nothing.
  const { executors: started, msPerExecutor } = run.startup;
  const startupMs = (executors: number) =>
    started > 0 ? msPerExecutor * (Math.max(1, Math.round(executors)) - started) : 0;

  const replay = (st: ModelSettings, inputBytes: number, margin: number): number => {
    const slots = Math.max(1, st.executors * st.executorCores);
    const scale = observedInput > 0 && inputBytes > 0 ? inputBytes / observedInput : 1;
    // At the observed input the bytes are the run's own, not scaled from another size: no margin.
    const counted = scale !== 1 ? margin : 0;
    const stages = run.stages.reduce((a, s) => a + stageMs(s, slots, scale, st.shufflePartitions, counted), 0);
    return Math.max(0, driverMs + startupMs(st.executors)) + stages * overlap;
  };
  const predictMs = (st: ModelSettings, inputBytes: number) => replay(st, inputBytes, 0);

  // Its own settings: the executors that started, else one slot per executor (the count then changes nothing).
  const ownExecutors = started || observedSlots;
  const self = predictMs(
    {
      executors: ownExecutors,
      executorCores: observedSlots / ownExecutors,
      shufflePartitions: opts.shufflePartitions,
    },
    observedInput,
  );
  const selfError = Math.abs(self / run.durationMs - 1);
  const stragglers = [...shapes.values()].filter(stragglerBound).length;
  const whole = [...shapes].filter(
    ([s, shape]) =>
      s.shuffleReadBytes > 0 && (adaptive ? shape.stragglerBytes > ADVISORY_BYTES : stragglerBound(shape)),
  );
  // Only AQE's coalescing leaves the configured count free to raise for nothing but the skewed partition's sake.
  const wholePartitionStragglers = adaptive ? whole.filter(([, shape]) => stragglerBound(shape)).length : 0;
  return {
    name: 'what-if/one-run',
    family: 'what-if',
    loss: 'relative',
    params: {
      driverMs,
      stages: run.stages.length,
      slots: observedSlots,
      startupMsPerExecutor: msPerExecutor,
      stragglerStages: stragglers,
      wholePartitionStragglers,
      selfError,
    },
    predictMs,
    marginMs: (st, inputBytes) => replay(st, inputBytes, TASK_COUNT_MARGIN),
    lowMarginMs: (st, inputBytes) => replay(st, inputBytes, -TASK_COUNT_MARGIN),
    selfError,
    driverMs,
    wholePartitionStragglers,
    wholePartitionStages: whole.length,
    describe: () =>
      `one-run what-if: ${run.stages.length} stages replayed as waves of tasks over the task slots, ` +
      `${(driverMs / 1000).toFixed(1)} s of driver-only time held constant` +
      (msPerExecutor > 0 ? ` but for ${(msPerExecutor / 1000).toFixed(2)} s of start-up per executor` : '') +
      (stragglers > 0
        ? `; ${stragglers} stage${stragglers === 1 ? '' : 's'} as long as ${stragglers === 1 ? 'its' : 'their'} longest task`
        : '') +
      `; ${(selfError * 100).toFixed(1)}% off its own run`,
  };
}
