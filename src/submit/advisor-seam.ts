import type { Advice } from '../types.js';
import type { AdviseRequest } from '../advisor/advise.js';
// The advisor's entry point, loaded only when a launch needs advice (it pulls in the model family).

export type AdviseFn = (req: AdviseRequest) => Advice;

export async function loadAdvisor(): Promise<AdviseFn> {
  return (await import('../advisor/advise.js')).advise;
}
