import { randomUUID } from 'node:crypto';
import { reasonText } from '../advisor/reason-text.js';
import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';
import type { Advice, AdviceOutcome } from '../types.js';
import { serializeSubmitArgs, type SubmitArgs } from './args.js';
import { injectAdvice } from './inject.js';
import { jobIdentity } from './job-key.js';
import { oneLine } from './prelaunch.js';
import { baselineSettings } from './settings.js';

// A launch that goes ahead without advice (fail-open) still carries spark.spot.adviceId, of a "no advice" record,
// so that its run stays linked: the crawl knows it ran under spot-submit, and the advisor sees a run of the
// baseline settings at the input size it was launched with. Nothing else on the command line changes.

export interface FailOpenLaunch {
  argv: string[];
  advice: Advice;
}

export function tagFailOpen(
  args: SubmitArgs,
  reason: string,
  loaded?: LoadedConfig,
  now: Date = new Date(),
  id: string = randomUUID(),
  env: NodeJS.ProcessEnv = process.env,
): FailOpenLaunch {
  const why = { code: 'no-advice', values: { reason } };
  const tagged = injectAdvice({ args, chosen: {}, mode: 'shadow', pinned: [], props: new Map(), adviceId: id });
  const advice: Advice = {
    id,
    createdAt: now.toISOString(),
    app: jobIdentity(args, new Map(), loaded?.config.advisor.appKeyPattern, env).key,
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
 * In the advice process, after the job: stores the "no advice" record spot-submit tagged the launch with, under the
 * job key and mode of the config (spot-submit itself reads no config), with the run's outcome. The record goes to
 * the outbox first (store/outbox.ts), so a store that fails, or a process killed at its budget, leaves it for the
 * next `spot crawl`. Returns a warning only when the record is lost: stored nowhere and not kept either (a store that
 * fails has had its one warning line already, "launching unchanged").
 */
export async function storeNoAdvice(
  loaded: LoadedConfig,
  args: SubmitArgs,
  tagged: Advice,
  outcome: AdviceOutcome,
  open: () => Promise<RunStore>,
): Promise<string | undefined> {
  const { advice } = tagFailOpen(args, tagged.noAdvice ?? '', loaded, new Date(tagged.createdAt), tagged.id);
  const record = { ...advice, outcome };
  const { dropEntry, keepEntry, outboxDir, fileRefusal } = await import('../store/outbox.js');
  const dir = outboxDir(loaded.home);
  let kept: string | undefined;
  let notKept: unknown;
  try {
    kept = keepEntry(dir, { kind: 'advice', advice: record });
  } catch (e) {
    notKept = e;
  }
  try {
    await (await open()).createAdvice(record);
    if (kept) dropEntry(kept);
    return undefined;
  } catch (e) {
    if (kept) return undefined;
    return `the "no advice" record ${tagged.id} is not stored (${oneLine(e)}), nor kept in ${dir} (${fileRefusal(notKept) ?? oneLine(notKept)})`;
  }
}
