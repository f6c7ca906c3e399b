import { randomUUID } from 'node:crypto';
import { reasonText } from '../advisor/reason-text.js';
import type { LoadedConfig } from '../config/load.js';
import type { Advice, AdviceOutcome } from '../types.js';
import { serializeSubmitArgs, type SubmitArgs } from './args.js';
import { injectAdvice } from './inject.js';
import { jobIdentity } from './job-key.js';
import { baselineSettings } from './settings.js';

// A launch that goes ahead without advice (fail-open) still carries spark.spot.adviceId, of a "no advice" record,
// so that its run stays linked: the crawl knows it ran under spot-submit, and the advisor sees a run of the
// baseline settings at the input size it was launched with. Nothing else on the command line changes.

export interface FailOpenLaunch {
  argv: string[];
  advice: Advice;
}

export function tagFailOpen(args: SubmitArgs, reason: string, loaded?: LoadedConfig, now: Date = new Date()): FailOpenLaunch {
  const id = randomUUID();
  const why = { code: 'no-advice', values: { reason } };
  const tagged = injectAdvice({ args, chosen: {}, mode: 'shadow', pinned: [], props: new Map(), adviceId: id });
  const advice: Advice = {
    id,
    createdAt: now.toISOString(),
    app: jobIdentity(args, new Map(), loaded?.config.advisor.appKeyPattern).key,
    mode: loaded?.config.advisor.mode ?? 'fill',
    baseline: baselineSettings(args, new Map()),
    chosen: {},
    injected: {},
    pinned: [],
    candidates: [],
    trainingRunIds: [],
    decidedBy: reasonText(why),
    notes: [],
    reasons: [why],
    noAdvice: reason,
  };
  return { argv: serializeSubmitArgs(tagged.args), advice };
}

/**
 * After the job: stores the "no advice" record with its outcome, when the store can be opened. Quietly not when it
 * cannot: the store may be what failed, and the one warning line before the launch has said so already.
 */
export async function recordFailOpen(
  loaded: LoadedConfig | undefined,
  launch: FailOpenLaunch,
  outcome: AdviceOutcome,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  let store;
  try {
    // A pre-launch that ran out of time never said which config it read: read it again.
    if (!loaded) loaded = await (await import('../config/load.js')).loadConfig({ env });
    const { openStore } = await import('../store/open.js');
    store = await openStore(loaded);
    await store.putAdvice({ ...launch.advice, outcome });
    return true;
  } catch {
    return false;
  } finally {
    await store?.close().catch(() => undefined);
  }
}
