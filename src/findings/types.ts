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

/** The one setting change that addresses a finding, in Spark's words. */
export interface SettingChange {
  key: string;
  change: 'increase' | 'decrease' | 'set';
  value?: string;
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
