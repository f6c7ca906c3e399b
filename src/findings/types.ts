import type { SummaryView } from '../metrics/summary-view.js';
import type { AdaptiveSettings } from '../documents/adaptive.js';
import type { JsonObject } from '../types.js';

// A finding measures one thing that is wrong with a run and grades it; it returns numbers, and the CLI and
// report turn them into words. Each says which level of data it used: 'task' (an event log's tasks) or
// 'stage' (the History Server's stage and executor summaries).

export const LEVELS = ['low', 'moderate', 'severe', 'critical'] as const;
export type Level = (typeof LEVELS)[number];
type DataLevel = 'task' | 'stage';

/** What a finding reads: the parts of an aggregated document, and its event-log task figures when it has them. */
export interface FindingInput {
  durationMs: number;
  summary: SummaryView;
  stageAggs: JsonObject;
  executorAggs: JsonObject;
  sparkProperties: JsonObject;
  /** Adaptive query execution as the run had it, so that no finding asks for a setting the run already had. */
  adaptive: AdaptiveSettings;
  /** attempt.x_tasks, written by the event-log reader. */
  tasks?: TaskFigures;
}

export interface TaskStageFigures {
  stage: string;
  tasks: number;
  median_ms: number;
  max_ms: number;
  median_bytes: number;
  max_bytes: number;
  output_bytes: number;
  output_tasks: number;
  /** What the stage's successful tasks read; absent from runs crawled before they were kept. */
  input_bytes?: number;
  shuffle_read_bytes?: number;
  /** Whether a SQL query's execution ran the stage, and what sized its input splits (none: the input, if any, was
   * a cached RDD's blocks or another source's); both absent from runs crawled before they were kept. */
  sql?: boolean;
  input_splits?: 'sqlFiles' | 'hadoop' | 'none';
}

export interface TaskFigures {
  tasks: number;
  failed_tasks: number;
  run_ms: number;
  gc_ms: number;
  spill_bytes: number;
  executors: number;
  executor_max_ms: number;
  executor_median_ms: number;
  stages: TaskStageFigures[];
}

interface Measure {
  value: number;
  data: DataLevel;
  /** Figures behind the value (a stage id, counts), for the words. */
  detail?: Record<string, number | string>;
}

/**
 * What decided the task count of the stage a partitions finding judged: the splits of a Spark SQL file scan
 * (spark.sql.files.maxPartitionBytes), of an RDD's Hadoop input format, the partitions of a SQL shuffle as configured
 * (spark.sql.shuffle.partitions), as adaptive execution coalesced them (its advisory size), or left them whole, each
 * over that size, or an RDD shuffle's partitioner (spark.default.parallelism). Input that was neither files nor a
 * Hadoop input format (a cached RDD's blocks, another source) has the partitions it was made with: no setting.
 */
export type TaskCountSource =
  | 'sqlFileScan'
  | 'hadoopInput'
  | 'otherInput'
  | 'sqlShuffle'
  | 'coalescedShuffle'
  | 'uncoalescedShuffle'
  | 'rddShuffle';

/** The one setting change that addresses a finding, in Spark's words. */
export interface SettingChange {
  key: string;
  change: 'increase' | 'decrease' | 'set';
  value?: string;
  /** The setting as the run had it (its property, else Spark's default), in bytes or partitions. */
  current?: number;
  /** The kind of stage whose task count the setting decides (partitions findings). */
  decides?: TaskCountSource;
  /** The changes for the other kinds the run's figures cannot rule out, where they cannot tell the stage's kind. */
  or?: SettingChange[];
}

export interface FindingDef {
  id: FindingId;
  /** true: larger values are worse (GC share); false: smaller are worse (efficiency). */
  higherIsWorse: boolean;
  /** The change, or what decides it from the run's own settings (none: nothing to change that it did not have). */
  setting?: SettingChange | ((input: FindingInput) => SettingChange | undefined);
  /** undefined when the run has nothing to say about it (no tasks, no stages). */
  measure(input: FindingInput): Measure | undefined;
}

export interface Finding extends Measure {
  id: FindingId;
  level: Level;
  /** The thresholds it was graded against: low, moderate, severe, critical. */
  thresholds: readonly number[];
  setting?: SettingChange;
}

export type FindingId =
  | 'overAllocation'
  | 'idleExecutors'
  | 'gcShare'
  | 'taskSkew'
  | 'executorImbalance'
  | 'smallPartitions'
  | 'largePartitions'
  | 'smallOutputFiles'
  | 'spill'
  | 'failedTasks'
  | 'failedStages';
