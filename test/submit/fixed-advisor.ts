import type { planLaunch } from '../../src/submit/plan.js';
import type { Advice } from '../../src/types.js';

/** What planLaunch asks its advisor. */
export type AdviceRequest = Parameters<NonNullable<Parameters<typeof planLaunch>[1]['advise']>>[0];

const GIB = 1024 ** 3;

/**
 * An advisor stand-in for planLaunch: always recommends 6 executors of 2 cores and 3 GiB (advice `adv-fixed`) and
 * records each request it was asked.
 */
export function fixedAdvisor(seen: AdviceRequest[]) {
  return (req: AdviceRequest): Advice => {
    seen.push(req);
    return {
      id: 'adv-fixed',
      createdAt: '2024-01-31T00:00:00Z',
      app: req.app,
      mode: req.config.mode,
      baseline: req.baseline,
      chosen: { executors: 6, executorCores: 2, executorMemoryBytes: 3 * GIB },
      injected: {},
      pinned: req.pinned,
      candidates: [],
      trainingRunIds: [],
      decidedBy: 'test',
      notes: [],
    };
  };
}
