import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { chartCode } from './chart-code.js';
import { WARM_UP } from './warm-up.js';

// One thread of the chart pool (render-pool.ts): Vega is loaded here, beside the main thread's reading of
// the store, and each chart spec that arrives is drawn exactly as in the main thread. Until the first chart
// arrives, it draws the warm-up charts (warm-up.ts), so that V8 has compiled what the report's charts run.

export interface RenderJob {
  spec: TopLevelSpec;
}
export type RenderResult = { svg: string } | { error: string };

let waiting = true;
const warm = chartCode()
  .then(async ({ renderSvg }) => {
    // Vega keeps nothing of one chart that changes the next (render-pool.test.ts draws the same page either way).
    for (const spec of WARM_UP) if (waiting) await renderSvg(spec).catch(() => undefined);
  })
  .catch(() => undefined); // a chart then fails with chartCode's own error

parentPort!.on('message', async (job: RenderJob) => {
  waiting = false;
  let result: RenderResult;
  try {
    await warm;
    result = { svg: await (await chartCode()).renderSvg(job.spec) };
  } catch (err) {
    result = { error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(result);
});
