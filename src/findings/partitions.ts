import { agg } from './figures.js';
import type { FindingDef, FindingInput, SettingChange, TaskCountSource, TaskStageFigures } from './types.js';

// Partition size: bytes a task reads (input plus shuffle read). Too many small partitions cost scheduling
// overhead; too few large ones spill and straggle. Judged on the stage that reads the most data.
//
// The setting to change is the one that decided that stage's task count, and spark.sql.shuffle.partitions decides
// only a SQL shuffle's: a scan's tasks are its input splits (spark.sql.files.maxPartitionBytes for a SQL file scan,
// the Hadoop input format's split size for an RDD read such as sc.textFile), adaptive execution coalesces a SQL
// shuffle's partitions towards its advisory size, and an RDD shuffle has its partitioner's count
// (spark.default.parallelism unless the job's code passes one).

/** A stage with fewer tasks than this has too few partitions to call them "many small". */
const MANY = 100;
const MIB = 1024 ** 2;
/** Spark's defaults, for a run whose properties do not set them. */
const MAX_PARTITION_BYTES = 128 * MIB;
const ADVISORY_PARTITION_BYTES = 64 * MIB;
const SHUFFLE_PARTITIONS = 200;

function busiest(input: FindingInput, minTasks: number): TaskStageFigures | undefined {
  let best: TaskStageFigures | undefined;
  for (const s of input.tasks?.stages ?? []) {
    if (s.tasks < minTasks || s.median_bytes <= 0) continue;
    if (!best || s.median_bytes * s.tasks > best.median_bytes * best.tasks) best = s;
  }
  return best;
}

/** A property as the run set it, cast or not ("134217728"); undefined when unset or not a plain number. */
function numberProp(input: FindingInput, key: string): number | undefined {
  const v = input.sparkProperties[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/**
 * A SQL shuffle's source by the run's adaptive execution. Coalescing merges partitions up to its advisory size, so a
 * partition over it was one configured partition that it left whole: their count is what to raise.
 */
function sqlShuffle(input: FindingInput, perTaskBytes: number): TaskCountSource[] {
  const { enabled, coalescePartitions } = input.adaptive;
  if (enabled === false || coalescePartitions === false) return ['sqlShuffle'];
  if (enabled === true && coalescePartitions === true) {
    const advisory = numberProp(input, 'spark_sql_adaptive_advisoryPartitionSizeInBytes') ?? ADVISORY_PARTITION_BYTES;
    return [perTaskBytes > advisory ? 'uncoalescedShuffle' : 'coalescedShuffle'];
  }
  return ['sqlShuffle', 'coalescedShuffle'];
}

/**
 * What may have decided the task count of the stage measured, likeliest first: one where the figures tell. Runs
 * crawled before each stage's reads were kept say only what the whole run read; the stage figures of a History
 * Server are input bytes, and do not say whether SQL or the job's RDDs read them.
 */
function sources(input: FindingInput, stage: TaskStageFigures | undefined): TaskCountSource[] {
  let reads: 'input' | 'shuffle' | undefined;
  if (!stage) reads = 'input';
  else if (stage.input_bytes !== undefined && stage.shuffle_read_bytes !== undefined)
    // A stage that reads a shuffle has the shuffle's partitions, as the advisor's what-if reads it.
    reads = stage.shuffle_read_bytes > 0 ? 'shuffle' : 'input';
  else if ((agg(input.stageAggs, 'shuffleReadBytes', 'sum') ?? -1) === 0) reads = 'input';
  else if ((agg(input.stageAggs, 'inputBytes', 'sum') ?? -1) === 0) reads = 'shuffle';
  const splits = stage?.input_splits;
  const scan: TaskCountSource[] =
    splits === 'sqlFiles'
      ? ['sqlFileScan']
      : splits === 'hadoop'
        ? ['hadoopInput']
        : splits === 'none'
          ? ['otherInput']
          : ['sqlFileScan', 'hadoopInput'];
  const sql = stage?.sql;
  const perTask = stage?.median_bytes ?? 0;
  const shuffle: TaskCountSource[] =
    sql === false ? ['rddShuffle'] : [...sqlShuffle(input, perTask), ...(sql === true ? [] : ['rddShuffle' as const])];
  return reads === 'input' ? scan : reads === 'shuffle' ? shuffle : [...shuffle, ...scan];
}

/** The change to `source`'s setting that gives more tasks (smaller partitions) or fewer; none for other input. */
function change(input: FindingInput, source: TaskCountSource, more: boolean): SettingChange | undefined {
  const up = more ? 'increase' : 'decrease';
  const down = more ? 'decrease' : 'increase';
  const of = (key: string, dir: SettingChange['change'], current: number | undefined): SettingChange => ({
    key,
    change: dir,
    ...(current === undefined ? {} : { current }),
    decides: source,
  });
  const shufflePartitions = () =>
    of('spark.sql.shuffle.partitions', up, numberProp(input, 'spark_sql_shuffle_partitions') ?? SHUFFLE_PARTITIONS);
  switch (source) {
    case 'sqlFileScan':
      return of(
        'spark.sql.files.maxPartitionBytes',
        down,
        numberProp(input, 'spark_sql_files_maxPartitionBytes') ?? MAX_PARTITION_BYTES,
      );
    case 'hadoopInput': {
      // A split is at least the minimum size and, in the newer Hadoop API, at most the maximum.
      const key = `spark.hadoop.mapreduce.input.fileinputformat.split.${more ? 'maxsize' : 'minsize'}`;
      return of(key, down, numberProp(input, key.replaceAll('.', '_')));
    }
    case 'otherInput':
      return undefined;
    case 'coalescedShuffle':
      return of(
        'spark.sql.adaptive.advisoryPartitionSizeInBytes',
        down,
        numberProp(input, 'spark_sql_adaptive_advisoryPartitionSizeInBytes') ?? ADVISORY_PARTITION_BYTES,
      );
    case 'rddShuffle':
      return of('spark.default.parallelism', up, numberProp(input, 'spark_default_parallelism'));
    case 'uncoalescedShuffle': {
      // Adaptive execution coalesces from this count instead of the shuffle partitions where it is set.
      const initial = numberProp(input, 'spark_sql_adaptive_coalescePartitions_initialPartitionNum');
      return initial === undefined
        ? shufflePartitions()
        : of('spark.sql.adaptive.coalescePartitions.initialPartitionNum', up, initial);
    }
    case 'sqlShuffle':
      return shufflePartitions();
  }
}

function partitionSetting(input: FindingInput, minTasks: number, more: boolean): SettingChange | undefined {
  const stage = input.tasks ? busiest(input, minTasks) : undefined;
  const changes = sources(input, stage).flatMap((s) => change(input, s, more) ?? []);
  const [first, ...others] = changes;
  return first && (others.length > 0 ? { ...first, or: others } : first);
}

/** The stage's figures for the words; `source` where no setting decided its task count. */
function detailOf(input: FindingInput, s: TaskStageFigures): Record<string, number | string> {
  const [only, ...others] = sources(input, s);
  return { stage: s.stage, tasks: s.tasks, ...(only === 'otherInput' && others.length === 0 ? { source: only } : {}) };
}

export const smallPartitions: FindingDef = {
  id: 'smallPartitions',
  higherIsWorse: false,
  setting: (input) => partitionSetting(input, MANY, false),
  measure(input) {
    if (input.tasks) {
      const s = busiest(input, MANY);
      return s && { value: s.median_bytes / MIB, data: 'task', detail: detailOf(input, s) };
    }
    const tasks = agg(input.stageAggs, 'numTasks', 'max') ?? 0;
    const perTask = agg(input.stageAggs, 'x_average_task_input_bytes', 'mean');
    return tasks >= MANY && perTask ? { value: perTask / MIB, data: 'stage' } : undefined;
  },
};

export const largePartitions: FindingDef = {
  id: 'largePartitions',
  higherIsWorse: true,
  setting: (input) => partitionSetting(input, 1, true),
  measure(input) {
    if (input.tasks) {
      const s = busiest(input, 1);
      return s && { value: s.median_bytes / MIB, data: 'task', detail: detailOf(input, s) };
    }
    const perTask = agg(input.stageAggs, 'x_average_task_input_bytes', 'max');
    return perTask ? { value: perTask / MIB, data: 'stage' } : undefined;
  },
};
