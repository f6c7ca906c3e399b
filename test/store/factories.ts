import type { Advice, AggDoc, ErrorDoc, RawDoc, RunRecord } from '../../src/types.js';

// Small hand-made documents shaped like src/types.ts, so the store tests do not depend on the
// documents builder. Only the fields the store indexes matter; the rest is filler of the right shape.

export const iso = (ms: number): string => new Date(ms).toISOString();
export const T0 = Date.parse('2024-03-01T00:00:00.000Z');
export const HOUR = 3_600_000;

export function rawDoc(appId: string, over: Partial<RawDoc> = {}): RawDoc {
  return {
    id: appId,
    name: 'Job',
    history_host: 'shs-a',
    spot: { time_processed: iso(T0), history_host: 'shs-a' },
    app_specific_data: { classification: { app: 'Job' }, tag: 'Job' },
    attempts: [{ attemptId: '1', endTime: iso(T0), allexecutors: [{ id: 'driver' }], stages: [] }],
    ...over,
  };
}

export interface AggOptions {
  attemptId?: string;
  name?: string;
  tag?: string;
  endMs?: number;
  durationMs?: number;
  host?: string;
}

export function aggDoc(appId: string, o: AggOptions = {}): AggDoc {
  const endMs = o.endMs ?? T0;
  const duration = o.durationMs ?? 60_000;
  const name = o.name ?? 'Job';
  return {
    id: appId,
    docId: `${appId}-${o.attemptId ?? '0'}`,
    name,
    history_host: o.host ?? 'shs-a',
    spot: { time_processed: iso(endMs + 1000), history_host: o.host ?? 'shs-a' },
    app_specific_data: { classification: { app: name }, tag: o.tag ?? name },
    isFinalAttempt: true,
    attempt: {
      ...(o.attemptId ? { attemptId: o.attemptId } : {}),
      startTime: iso(endMs - duration),
      endTime: iso(endMs),
      duration,
      sparkUser: 'spark',
      completed: true,
      environment: { sparkProperties: { spark_executor_cores: 2, spark_app_name: name } },
      aggs: {
        allexecutors: {
          driver: { id: 'driver', totalCores: 0 },
          executors: { elements_count: 3, totalCores: { sum: 6, max: 2 } },
        },
        stages: { elements_count: 4, inputBytes: { max: 1024, sum: 4096 } },
        summary: {
          core_cost: 6 * duration,
          allocated_core_hours: (6 * duration) / 3.6e6,
          estimated_core_efficiency: 0.5,
        },
      },
    },
  };
}

export function errorDoc(
  docId: string,
  appId: string,
  atMs = T0,
  stage: ErrorDoc['spot']['error']['stage'] = 'raw',
): ErrorDoc {
  return {
    docId,
    spot: {
      time_processed: iso(atMs),
      spark_app_id: appId,
      history_host: 'shs-a',
      error: { type: 'HttpError', message: `GET ${appId}/stages: 500`, stage },
      app_end_time: iso(atMs - HOUR),
    },
  };
}

export function runRecord(id: string, app: string, endMs: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    app,
    appName: `${app} 2024-03-01`,
    appId: `application_${id}`,
    inputBytes: 10 * 1024 ** 3,
    executors: 4,
    executorCores: 2,
    executorMemoryBytes: 4 * 1024 ** 3,
    shufflePartitions: 200,
    dynamicAllocation: false,
    durationMs: 120_000,
    coreMs: 8 * 120_000,
    succeeded: true,
    endTime: iso(endMs),
    source: 'crawl',
    ...over,
  };
}

export function advice(id: string, app: string, createdMs: number, over: Partial<Advice> = {}): Advice {
  return {
    id,
    createdAt: iso(createdMs),
    app,
    inputBytes: 1e9,
    mode: 'fill',
    baseline: { executors: 10 },
    chosen: { executors: 6, executorCores: 2 },
    injected: { 'spark.executor.instances': '6' },
    pinned: [],
    candidates: [
      {
        settings: { executors: 6, executorCores: 2 },
        prediction: { durationMs: 1000, low: 900, high: 1100 },
        coreHours: 0.1,
      },
    ],
    model: { name: 'linear', validationError: 0.12, description: 'duration ~ input / executors' },
    trainingRunIds: ['r1', 'r2'],
    decidedBy: 'cheapest within 1.1x of the baseline duration',
    notes: [],
    ...over,
  };
}
