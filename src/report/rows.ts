// The rows the report reads from the store and its charts and sections draw (data.ts loads them).

/** One run record (crawled or imported): what the duration and cost charts plot. */
export interface RunRow {
  app: string;
  /** Start of the run's end day, UTC epoch ms. */
  day: number;
  endMs: number;
  inputBytes: number;
  durationMs: number;
  /** Allocated core-hours; undefined for imported runs that carried no core time. */
  coreHours?: number;
  succeeded: boolean;
  /** Settings the run had (configuration usage across runs). */
  executors?: number;
  executorCores?: number;
  executorMemoryBytes?: number;
  shufflePartitions?: number;
  dynamicAllocation?: boolean;
  /** Its stored run id (`<appId>-<attemptId|0>` for crawled runs). */
  id?: string;
}

/** One aggregated document: the summary metrics the crawl computed for an attempt. */
export interface AttemptRow {
  app: string;
  day: number;
  efficiency?: number;
  idleExecutors?: number;
  idleCoreHours?: number;
  allocatedCoreHours?: number;
  dynamicAllocation?: boolean;
  inputBytes?: number;
  shufflePartitions?: number;
  /** From the attempt's run record (spark.sql.adaptive.enabled, or Spark's default for its version). */
  adaptiveExecution?: boolean;
  /**
   * The Spark user (attempt sparkUser) and where it was crawled from (history_host: a History Server or event-log
   * folder).
   */
  user?: string;
  cluster?: string;
  /** Summary: estimated speedup over one core, sequential (driver) and parallel (stage) time. */
  speedup?: number;
  seqMs?: number;
  parallelMs?: number;
}

/** Per job key over the runs read: the page's table of the jobs that cost the most. */
export interface JobRow {
  app: string;
  runs: number;
  coreHours: number;
  /** Runs that did not succeed. */
  failed: number;
}
