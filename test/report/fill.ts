import { buildDocuments } from '../../src/documents/build.js';
import { syntheticApp, type SimApp, type SyntheticAppSpec } from '../../src/simulator/apps.js';
import type { RunStore } from '../../src/store/types.js';
import type { Advice, AppAttempt, ErrorDoc, RunRecord } from '../../src/types.js';

// Fills a store the way a crawl would: synthetic History Server apps through the real document builder.

export const T0 = Date.UTC(2024, 2, 1, 6);
const DAY = 86_400_000;
export const XSS_APP = '<script>alert(1)</script>';

/** The History Server's view of a synthetic app, as the crawl's fetch returns it. */
export function toAttempts(sim: SimApp): AppAttempt[] {
  return sim.listing.attempts.map((attempt) => {
    const data = sim.attempts[attempt.attemptId ?? '']!;
    const plain = JSON.parse(JSON.stringify(data)) as {
      executors: Record<string, unknown>[];
      stages: Record<string, unknown>[];
      environment: Record<string, unknown>;
    };
    // What the crawl counts from `jobs?status=failed`.
    const failedJobs = (data.jobs ?? []).filter((j) => (j as { status?: unknown }).status === 'FAILED').length;
    return { app: { id: sim.listing.id, name: sim.listing.name }, attempt, ...plain, missing: [], failedJobs };
  });
}

export async function putApp(store: RunStore, spec: SyntheticAppSpec): Promise<RunRecord[]> {
  const { raw, aggs, records } = await buildDocuments(toAttempts(syntheticApp(spec)), {
    historyHost: 'shs.test',
    now: new Date(spec.startMs + spec.durationMs + 3_600_000),
  });
  await store.putRaw(raw);
  await store.putAgg(aggs);
  await store.putRecords(records);
  return records;
}

const JOBS: {
  name: string;
  executors: number;
  cores: number;
  dynamic: boolean;
  idle: number;
  perGB: number;
  props: Record<string, string>;
}[] = [
  {
    name: 'daily_sales',
    executors: 10,
    cores: 4,
    dynamic: false,
    idle: 0,
    perGB: 40_000,
    props: { 'spark.sql.shuffle.partitions': '64' },
  },
  { name: 'hourly_clicks', executors: 6, cores: 2, dynamic: true, idle: 2, perGB: 90_000, props: {} },
  {
    name: XSS_APP,
    executors: 4,
    cores: 2,
    dynamic: false,
    idle: 1,
    perGB: 60_000,
    props: { 'spark.sql.adaptive.enabled': 'false' },
  },
];

/** `runsPerJob` runs of each of three jobs over `days` days; returns every run record stored. */
export async function fillRuns(store: RunStore, runsPerJob: number, days = 10): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  let n = 0;
  for (const [j, job] of JOBS.entries()) {
    for (let i = 0; i < runsPerJob; i++) {
      n += 1;
      const inputBytes = Math.round(2e9 * (1 + ((i * 7 + j * 3) % 10)));
      const startMs = T0 + Math.floor((i * days) / runsPerJob) * DAY + j * 3_600_000 + i * 60_000;
      out.push(
        ...(await putApp(store, {
          id: `application_1709251200000_${String(n).padStart(4, '0')}`,
          name: job.name,
          startMs,
          durationMs: Math.round(60_000 + (inputBytes / 1e9) * job.perGB * (0.9 + ((i * 13) % 5) / 20)),
          executors: job.executors,
          executorCores: job.cores,
          inputBytes,
          idleExecutors: i % 2 ? job.idle : 0,
          dynamicAllocation: job.dynamic,
          sparkProperties: job.props,
        })),
      );
    }
  }
  return out;
}

export async function putErrors(store: RunStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const doc: ErrorDoc = {
      docId: `err-${i}`,
      spot: {
        time_processed: new Date(T0 + (i % 5) * DAY).toISOString(),
        spark_app_id: `application_1709251200000_9${String(i).padStart(3, '0')}`,
        history_host: 'shs.test',
        error: { type: i % 3 ? 'HistoryBadResponseError' : '<b>Weird</b>', message: 'bad json', stage: 'raw' },
      },
    };
    await store.putError(doc);
  }
}

/** An applied advice linked to `run`: baseline candidate first, chosen second (as the advisor stores them). */
export function adviceFor(run: RunRecord, i: number, mode: Advice['mode'] = 'fill'): Advice {
  const base = { executors: 10, executorCores: 4 };
  const chosen = { executors: 6, executorCores: 4 };
  const predicted = run.durationMs * 0.9;
  return {
    id: `adv-${i}`,
    createdAt: new Date(Date.parse(run.endTime) - run.durationMs - 60_000).toISOString(),
    app: run.app,
    inputBytes: run.inputBytes,
    mode,
    baseline: base,
    chosen,
    injected: mode === 'shadow' ? {} : { 'spark.executor.instances': '6' },
    pinned: [],
    candidates: [
      {
        settings: base,
        prediction: { durationMs: predicted * 0.8, low: predicted * 0.6, high: predicted },
        coreHours: (40 * predicted * 0.8) / 3.6e6,
      },
      {
        settings: chosen,
        prediction: { durationMs: predicted, low: predicted * 0.8, high: predicted * 1.2 },
        coreHours: (24 * predicted) / 3.6e6,
      },
    ],
    trainingRunIds: [],
    decidedBy: 'fewest core-hours within advisor.maxSlowdown',
    notes: [],
    outcome: { runId: run.id, wallMs: run.durationMs + 5_000, exitCode: 0 },
  };
}
