import type { AggDoc, JsonObject, RunRecord } from '../types.js';
import type { RunStore } from '../store/types.js';
import { adviceRows, type AdviceRow } from './advice-rows.js';
import { crawlErrors, isYarnStore, type CrawlErrorDoc, type YarnStore } from '../store/yarn.js';
import { loadYarnRows, type YarnReportData } from './yarn-rows.js';
import { isFiltered, keepDoc, keepRecord, type ReportFilter } from './filter.js';
import { jobSections, sectionRunIds, type JobSection } from './job-sections.js';
import type { Thresholds } from '../findings/index.js';
import { summaryView } from '../metrics/summary-view.js';
import type { AttemptRow, JobRow, RunRow } from './rows.js';

// The report reads what the crawl and the advisor already stored and flattens it into plain rows the
// charts can take as they are. Nothing here recomputes a metric: a field the store lacks stays undefined.

/** Most recent documents read per kind; a report over a years-old store must stay quick and small. */
export const DEFAULT_REPORT_LIMIT = 5_000;

const DAY_MS = 86_400_000;

interface ErrorRow {
  day: number;
  type: string;
  stage: string;
}

export interface StoreSummary {
  /** Run records in the whole store (from the per-app counts, not bounded by the limit). */
  runsInStore: number;
  apps: number;
  runsRead: number;
  attemptsRead: number;
  errorsRead: number;
  adviceRead: number;
  /** Earliest and latest end time among the runs read, epoch ms. */
  firstEndMs?: number;
  lastEndMs?: number;
  /** Sum of allocated core-hours over the runs read that carry core time. */
  coreHours: number;
  limit: number;
}

export interface ReportData {
  summary: StoreSummary;
  jobs: JobRow[];
  runs: RunRow[];
  attempts: AttemptRow[];
  advice: AdviceRow[];
  errors: ErrorRow[];
  /** Present when the store holds YARN applications (yarn-rows.ts). */
  yarn?: YarnReportData;
  /** A section per costliest job: recent runs and their findings (empty without thresholds). */
  sections: JobSection[];
  filter?: ReportFilter;
  /** With a filter: the clusters (`history_host`) and Spark users of the attempts read, for "did you mean". */
  known?: { clusters: string[]; users: string[] };
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function toRunRow(r: RunRecord): RunRow | undefined {
  const endMs = Date.parse(r.endTime);
  if (!Number.isFinite(endMs)) return undefined;
  const row: RunRow = {
    app: r.app,
    day: dayOf(endMs),
    endMs,
    inputBytes: r.inputBytes,
    durationMs: r.durationMs,
    succeeded: r.succeeded,
  };
  if (num(r.coreMs) !== undefined) row.coreHours = r.coreMs! / 3.6e6;
  if (r.executors > 0) row.executors = r.executors;
  if (r.executorCores > 0) row.executorCores = r.executorCores;
  for (const k of ['executorMemoryBytes', 'shufflePartitions'] as const) if (num(r[k]) !== undefined) row[k] = r[k];
  if (r.dynamicAllocation !== undefined) row.dynamicAllocation = r.dynamicAllocation;
  row.id = r.id;
  return row;
}

export function toAttemptRow(doc: AggDoc, adaptive?: Map<string, boolean>): AttemptRow | undefined {
  const endMs = Date.parse(doc.attempt.endTime);
  if (!Number.isFinite(endMs)) return undefined;
  const s = summaryView(doc.attempt.aggs?.summary);
  const props = ((doc.attempt.environment as JsonObject | undefined)?.sparkProperties ?? {}) as JsonObject;
  const row: AttemptRow = { app: doc.app_specific_data?.tag || doc.name, day: dayOf(endMs) };
  const set = <K extends keyof AttemptRow>(k: K, v: AttemptRow[K] | undefined) => {
    if (v !== undefined) row[k] = v;
  };
  set('efficiency', s.coreEfficiency);
  set('idleExecutors', s.idleExecutors);
  set('idleCoreHours', s.idleCoreHours);
  set('allocatedCoreHours', s.allocatedCoreHours);
  set('dynamicAllocation', s.dynamicAllocation);
  set('inputBytes', s.inputBytes);
  set('shufflePartitions', num(props.spark_sql_shuffle_partitions));
  set('adaptiveExecution', adaptive?.get(doc.docId));
  set('user', typeof doc.attempt.sparkUser === 'string' && doc.attempt.sparkUser ? doc.attempt.sparkUser : undefined);
  set('cluster', doc.history_host || undefined);
  set('speedup', s.speedup);
  set('seqMs', s.seqMs);
  set('parallelMs', s.parallelMs);
  return row;
}

function toErrorRow(e: CrawlErrorDoc): ErrorRow | undefined {
  const ms = Date.parse(e.spot.time_processed);
  if (!Number.isFinite(ms)) return undefined;
  return { day: dayOf(ms), type: e.spot.error.type || 'unknown', stage: e.spot.error.stage };
}

function jobRows(runs: RunRow[]): JobRow[] {
  const by = new Map<string, JobRow>();
  for (const r of runs) {
    const j = by.get(r.app) ?? { app: r.app, runs: 0, coreHours: 0, failed: 0 };
    j.runs += 1;
    j.coreHours += r.coreHours ?? 0;
    if (!r.succeeded) j.failed += 1;
    by.set(r.app, j);
  }
  return [...by.values()].sort((a, b) => b.coreHours - a.coreHours || b.runs - a.runs || (a.app < b.app ? -1 : 1));
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;

/**
 * Reads the most recent `limit` runs, attempts, errors and advice records and flattens them. `yarn`: where YARN
 * applications are kept when it is not `store` itself (Elasticsearch's YARN indexes). `runsRead` is handed the
 * run rows as soon as they are final, before the rest is read (the charts of runs alone are drawn meanwhile):
 * unfiltered, right after the run records; filtered, at the end (a filter keeps runs by their attempts).
 */
export async function loadReportData(
  store: RunStore,
  opts: {
    limit?: number;
    filter?: ReportFilter;
    thresholds?: Thresholds;
    yarn?: YarnStore;
    runsRead?: (runs: RunRow[]) => void;
  } = {},
): Promise<ReportData> {
  const limit = opts.limit ?? DEFAULT_REPORT_LIMIT;
  const f = opts.filter ?? {};
  const filtered = isFiltered(opts.filter);
  const allRecords = await store.records({ limit });
  const unfilteredRuns = filtered ? undefined : allRecords.map(toRunRow).filter(defined);
  if (unfilteredRuns) opts.runsRead?.(unfilteredRuns);
  const [allDocs, errorDocs, advice, counts] = await Promise.all([
    // Only what the charts draw: a store that keeps a per-attempt summary serves it without whole documents.
    store.attemptSummaries ? store.attemptSummaries({ limit }) : store.query({ limit }),
    crawlErrors(store, { limit, since: f.since }),
    store.listAdvice({ limit, app: f.app }),
    store.runCounts
      ? store.runCounts()
      : store.apps().then((list) => ({ runs: list.reduce((a, x) => a + x.runs, 0), apps: list.length })),
  ]);
  const keyed = f.app === undefined ? undefined : new Set(allRecords.filter((r) => r.app === f.app).map((r) => r.id));
  const docs = filtered ? allDocs.filter((d) => keepDoc(d, f, keyed)) : allDocs;
  const keptIds = new Set(docs.map((d) => d.docId));
  const docIds = new Set(allDocs.map((d) => d.docId));
  const records = filtered ? allRecords.filter((r) => keepRecord(r, f, keptIds, docIds)) : allRecords;
  const runs = unfilteredRuns ?? records.map(toRunRow).filter(defined);
  if (!unfilteredRuns) opts.runsRead?.(runs);
  const adaptive = new Map(
    records.flatMap((r) => (r.adaptiveExecution === undefined ? [] : [[r.id, r.adaptiveExecution] as const])),
  );
  const ends = runs.map((r) => r.endMs);
  const summary: StoreSummary = {
    runsInStore: counts.runs,
    apps: counts.apps,
    runsRead: runs.length,
    attemptsRead: docs.length,
    errorsRead: errorDocs.length,
    adviceRead: advice.length,
    coreHours: runs.reduce((a, r) => a + (r.coreHours ?? 0), 0),
    limit,
  };
  if (ends.length) {
    summary.firstEndMs = Math.min(...ends);
    summary.lastEndMs = Math.max(...ends);
  }
  const yarnStore = opts.yarn ?? (isYarnStore(store) ? store : undefined);
  const yarn = yarnStore ? await loadYarnRows(yarnStore, docs, limit, f) : undefined;
  const jobs = jobRows(runs);
  return {
    ...(yarn ? { yarn } : {}),
    summary,
    jobs,
    runs,
    sections: opts.thresholds
      ? jobSections(jobs, runs, await sectionDocs(store, jobs, runs, docs), opts.thresholds)
      : [],
    ...(filtered ? { filter: f, known: knownNames(allDocs) } : {}),
    attempts: docs.map((d) => toAttemptRow(d, adaptive)).filter(defined),
    advice: adviceRows(advice, records),
    errors: errorDocs.map(toErrorRow).filter(defined),
  };
}

function knownNames(docs: AggDoc[]): NonNullable<ReportData['known']> {
  const clusters = new Set<string>();
  const users = new Set<string>();
  for (const d of docs) {
    if (d.history_host) clusters.add(d.history_host);
    if (typeof d.attempt.sparkUser === 'string' && d.attempt.sparkUser) users.add(d.attempt.sparkUser);
  }
  return { clusters: [...clusters], users: [...users] };
}

/** The whole documents of the runs the job sections list (findings read stages and tasks, not the summary). */
async function sectionDocs(store: RunStore, jobs: JobRow[], runs: RunRow[], summaries: AggDoc[]): Promise<AggDoc[]> {
  const appOf = new Map(summaries.map((d) => [d.docId, d.id]));
  const wanted = new Set(sectionRunIds(jobs, runs));
  const apps = new Set([...wanted].map((id) => appOf.get(id)).filter((a): a is string => a !== undefined));
  const docs = await Promise.all([...apps].map((app) => store.getAgg(app)));
  return docs.flat().filter((d) => wanted.has(d.docId));
}
