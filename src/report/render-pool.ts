import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { chartCode } from './chart-code.js';
import type { RenderJob, RenderResult } from './render-worker.js';

// Importing Vega and drawing the charts is most of a report's CPU time, and none of it needs the store. A chart
// thread started before the store is read imports Vega while the main thread reads, then draws the charts. Each
// chart is drawn by the same renderSvg either way, so the SVG is the same. A thread costs CPU (its own Node and
// Vega, ~0.3 s) and memory (~10 MB); it shortens the report only when a core would otherwise sit idle.

/** Draws chart specs to SVG; close() when done (a pool's threads keep the process alive). */
export interface ChartRenderer {
  render(spec: TopLevelSpec): Promise<string>;
  close(): Promise<void>;
}

/**
 * Chart threads for `spot report`: one while a core is free (the load average leaves one), else none. Two were
 * measured (bench/report.ts): on 2 busy cores slower than one, and 40 MB over the 200 MB target at 1M runs.
 */
export function chartThreads(cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  return cores >= 2 && load <= cores - 1 ? 1 : 0;
}

/**
 * The young generation of each thread's heap. V8's default lets a thread's garbage grow by tens of MB before it
 * is collected; drawing makes short-lived garbage only, so a small one keeps a report's peak memory near the
 * single-threaded one (bench/report.ts measures both).
 */
const YOUNG_GENERATION_MB = 4;

/**
 * A chart thread. Compiled, its entry is render-worker.js beside this module. Run from source (tests, through
 * tsx), a thread does not inherit tsx's loader, so it registers tsx before importing render-worker.ts.
 */
function chartThread(): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./render-worker.js', import.meta.url), { resourceLimits });
  const entry = JSON.stringify(new URL('./render-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })`, {
    eval: true,
    resourceLimits,
  });
}

/** Draws in this thread, importing Vega at the first chart. */
export function inThreadRenderer(): ChartRenderer {
  return {
    render: async (spec) => (await chartCode()).renderSvg(spec),
    close: async () => {},
  };
}

interface Pending {
  spec: TopLevelSpec;
  resolve: (svg: string) => void;
  reject: (err: Error) => void;
}

/**
 * `threads` workers, each taking the next chart when it is free; with none, draws in this thread. A chart whose
 * thread stopped (it could not start, or died) is drawn in this thread instead: the page never loses a chart to
 * the pool. `thread` starts one (tests start threads that stop).
 */
export function startRenderPool(threads = chartThreads(), thread: () => Worker = chartThread): ChartRenderer {
  const fallback = inThreadRenderer();
  if (threads < 1) return fallback;
  const inThread = (job: Pending) => fallback.render(job.spec).then(job.resolve, job.reject);
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const dead = new Set<Worker>();
  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const job = queue.shift()!;
      busy.set(worker, job);
      worker.postMessage({ spec: job.spec } satisfies RenderJob);
    }
  };
  const lost = (worker: Worker) => {
    if (dead.has(worker)) return;
    dead.add(worker);
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
    const job = busy.get(worker);
    busy.delete(worker);
    if (job) void inThread(job);
    if (dead.size === threads) for (const queued of queue.splice(0)) void inThread(queued);
  };
  const workers = Array.from({ length: threads }, () => {
    const worker = thread();
    worker.on('message', (result: RenderResult) => {
      const job = busy.get(worker)!;
      busy.delete(worker);
      idle.push(worker);
      if ('svg' in result) job.resolve(result.svg);
      else job.reject(new Error(result.error));
      pump();
    });
    worker.on('error', () => lost(worker));
    worker.on('exit', () => lost(worker));
    idle.push(worker);
    return worker;
  });
  return {
    render: (spec) =>
      dead.size === threads
        ? fallback.render(spec)
        : new Promise((resolve, reject) => {
            queue.push({ spec, resolve, reject });
            pump();
          }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
