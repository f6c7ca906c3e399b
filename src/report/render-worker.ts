import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

// One thread of the chart pool (render-pool.ts): Vega is imported here, beside the main thread's reading of
// the store, and each chart spec that arrives is drawn exactly as in the main thread.

export interface RenderJob {
  spec: TopLevelSpec;
}
export type RenderResult = { svg: string } | { error: string };

parentPort!.on('message', async (job: RenderJob) => {
  let result: RenderResult;
  try {
    result = { svg: await renderSvg(job.spec) };
  } catch (err) {
    result = { error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(result);
});
