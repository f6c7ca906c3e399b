import type { SpotConfig } from '../config/schema.js';
import type { Advice, RunRecord, Settings } from '../types.js';

// The advisor's entry point, loaded only when a launch needs advice (it pulls in the model family).

export interface AdviseRequest {
  app: string;
  inputBytes?: number;
  baseline: Partial<Settings>;
  /** Spark conf keys. */
  pinned: string[];
  records: RunRecord[];
  config: SpotConfig['advisor'];
  now?: Date;
  adviceIdFactory?: () => string;
}

export type AdviseFn = (req: AdviseRequest) => Advice;

export async function loadAdvisor(): Promise<AdviseFn> {
  const specifier = '../advisor/advise.js';
  const mod = (await import(specifier)) as { advise: AdviseFn };
  return mod.advise;
}
