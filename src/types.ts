// The core types every layer shares. Field names of stored documents follow
// the original Python Spot so that existing Kibana dashboards keep working.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

// ---- History Server shapes, as fetched (loose: Spark adds fields between releases) ----

export interface ShsAttempt {
  attemptId?: string;
  startTime: string; // "2015-02-03T16:42:38.277GMT"
  endTime: string;
  lastUpdated: string;
  duration: number;
  sparkUser: string;
  completed: boolean;
  appSparkVersion?: string;
  startTimeEpoch: number;
  endTimeEpoch: number;
  lastUpdatedEpoch: number;
  [k: string]: unknown;
}

export interface ShsApplication {
  id: string;
  name: string;
  attempts: ShsAttempt[];
  [k: string]: unknown;
}

/** One attempt of one Spark app as fetched: app info, attempt, executors (incl. driver), stages, environment. */
export interface AppAttempt {
  app: { id: string; name: string };
  attempt: ShsAttempt;
  /** `allexecutors` (or `executors` on servers that lack it); includes the entry with id "driver". */
  executors: Record<string, unknown>[];
  stages: Record<string, unknown>[];
  /** `{runtime, sparkProperties: [[k, v], ...], systemProperties, ...}` as the server returns it. */
  environment: Record<string, unknown>;
  /** Endpoints the server answered 404 for although the app exists (e.g. a History Server replaying partial data). */
  missing: string[];
  /** Jobs that ended failed (`jobs?status=failed`, or JobFailed job ends in an event log); undefined if not known. */
  failedJobs?: number;
}

// ---- Stored documents ----

interface SpotMeta {
  time_processed: string; // ISO-8601 UTC
  history_host: string;
  [k: string]: JsonValue;
}

export interface RawDoc {
  id: string; // app id
  name: string;
  history_host: string;
  spot: SpotMeta;
  app_specific_data: { classification: JsonObject; tag: string };
  /** Newest attempt first, as the History Server lists them. Dates are ISO-8601 UTC strings. */
  attempts: JsonObject[];
}

export interface AggDoc {
  /** The app id (as in the original: the app minus `attempts`). The store id is `docId`. */
  id: string;
  /** `<appId>-<attemptId|0>` */
  docId: string;
  name: string;
  history_host: string;
  spot: SpotMeta;
  app_specific_data: { classification: JsonObject; tag: string };
  isFinalAttempt: boolean;
  /** The attempt minus allexecutors and stages, with `environment`, `app_specific_data` and `aggs`. */
  attempt: JsonObject & {
    attemptId?: string;
    startTime: string;
    endTime: string;
    duration: number;
    aggs: {
      allexecutors: { driver: JsonObject; executors: JsonObject };
      stages: JsonObject;
      summary: JsonObject;
    };
  };
}

export type ErrorStage = 'listing' | 'raw' | 'aggregations' | 'store';

export interface ErrorDoc {
  /** Unique per failure event. */
  docId: string;
  spot: {
    time_processed: string;
    spark_app_id: string; // app id, or 'n/a' for listing errors
    history_host: string;
    error: { type: string; message: string; stage: ErrorStage };
    /** End time of the failing app, so retries can be counted per window. */
    app_end_time?: string;
  };
}

// ---- What the models learn from ----

/** The flat row the models learn from; one per successful-or-failed final attempt, or per imported run. */
export interface RunRecord {
  /** Agg doc id (`<appId>-<attemptId|0>`) for crawled runs; the given or derived id for imported ones. */
  id: string;
  /** Job key: Enceladus job key when known, else the app name with dates and ids normalised away. */
  app: string;
  appName?: string;
  appId?: string;
  inputBytes: number;
  executors: number;
  executorCores: number;
  executorMemoryBytes?: number;
  shufflePartitions?: number;
  dynamicAllocation?: boolean;
  adaptiveExecution?: boolean;
  durationMs: number;
  /** Allocated core time in core-ms (sum over executors of cores x lifetime). */
  coreMs?: number;
  /** Peak JVM heap of any executor, bytes, when the server reported it. */
  peakExecutorMemoryBytes?: number;
  shuffleWriteBytes?: number;
  /** Bytes spilled from execution memory, summed over stages (Spark's memoryBytesSpilled); 0 when nothing spilled. */
  memoryBytesSpilled?: number;
  /** The same spills' bytes on disk, summed over stages (Spark's diskBytesSpilled). */
  diskBytesSpilled?: number;
  /** Tasks' JVM garbage-collection time, summed over stages, ms (Spark's jvmGcTime). */
  jvmGcTimeMs?: number;
  /** Tasks' run time summed over stages, ms (Spark's executorRunTime): what the GC time is a share of. */
  executorRunTimeMs?: number;
  succeeded: boolean;
  endTime: string; // ISO-8601
  source: 'crawl' | 'import';
  /** Advice this run was launched with (spark.spot.adviceId), when any. */
  adviceId?: string;
}

// ---- Store queries ----

export interface TimeWindow {
  from: Date;
  to: Date;
}

export interface RunFilter {
  /** App name (exact) or job key. */
  app?: string;
  /** Most recent first; default 50. */
  limit?: number;
  since?: Date;
}

// ---- Advisor ----

/** Settings Spot tunes, in Spark's own words. */
export interface Settings {
  executors: number;
  executorCores: number;
  executorMemoryBytes?: number;
  shufflePartitions?: number;
  dynamicAllocation?: boolean;
  /** With dynamic allocation on, the ceiling Spark may scale up to (the advised executor count). */
  maxExecutors?: number;
}

export interface Prediction {
  durationMs: number;
  low: number;
  high: number;
}

export interface Candidate {
  settings: Settings;
  prediction: Prediction;
  /** Allocated core-hours predicted: executors x cores x duration. */
  coreHours: number;
  /**
   * The high end the slowdown limit holds against the baseline's point: the run-to-run noise a run at the baseline
   * shares counts only in part, so it lies under `prediction.high` (absent on advice stored before it).
   */
  slowdownHigh?: number;
  /**
   * The model's own point, before the floors that keep a cut no faster than the settings it steps from: what an
   * advised run's error is measured against (absent on advice stored before it).
   */
  modelMs?: number;
  /**
   * Why a candidate was rejected, if it was: a coded reason (advisor/reason-text.ts words it), or the words of advice
   * stored before rejections were coded.
   */
  rejected?: Reason | string;
}

export interface AdviceOutcome {
  exitCode?: number;
  /** The signal spot-submit received and passed on to spark-submit (SIGINT, SIGTERM, SIGHUP): stopped from outside. */
  stoppedBy?: string;
  wallMs?: number;
  applicationId?: string;
  finishedAt?: string;
  /** Agg doc id of the finished app once crawled. */
  runId?: string;
}

/** Why the advisor did something, as a code with its numbers (words: src/advisor/reason-text.ts). */
export interface Reason {
  code: string;
  values: Record<string, number | string | boolean>;
}

export interface Advice {
  id: string;
  createdAt: string;
  app: string;
  inputBytes?: number;
  inputSource?: string;
  mode: 'shadow' | 'fill' | 'override';
  /** Settings the user's command line asked for (the baseline). */
  baseline: Partial<Settings>;
  /**
   * The baseline planned against: the command line's settings, with what it leaves unset taken from the job's own
   * runs or Spark's defaults (advisor/features.ts). Absent from records of earlier versions.
   */
  plannedBaseline?: Settings;
  chosen: Partial<Settings>;
  /** The spark conf values Spot injected (empty in shadow mode or when nothing changed). */
  injected: Record<string, string>;
  pinned: string[];
  candidates: Candidate[];
  model?: { name: string; validationError: number; description: string };
  trainingRunIds: string[];
  /** The constraint or rule that decided, in words (rendered from `reasons[0]`). */
  decidedBy: string;
  /** The other reasons, in words. */
  notes: string[];
  /** What decided first, then the notes, as coded reasons with their numbers. */
  reasons?: Reason[];
  /** Set on the record of a launch that went ahead without advice (fail-open): why there was none. */
  noAdvice?: string;
  outcome?: AdviceOutcome;
}
