import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { chartCode } from './chart-code.js';

// One thread of the chart pool (render-pool.ts): Vega is loaded here, beside the main thread's reading of
// the store, and each chart spec that arrives is drawn exactly as in the main thread.

export interface RenderJob {
  spec: TopLevelSpec;
}
export type RenderResult = { svg: string } | { error: string };

// Loaded at once, while the main thread reads; a chart then fails with chartCode's own error if it could not be.
chartCode().catch(() => undefined);

parentPort!.on('message', async (job: RenderJob) => {
  let result: RenderResult;
  try {
    result = { svg: await (await chartCode()).renderSvg(job.spec) };
  } catch (err) {
    result = { error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(result);
});
