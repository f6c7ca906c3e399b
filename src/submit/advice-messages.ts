import type { Advice, AdviceOutcome } from '../types.js';
import { launchesNoApp, type SubmitArgs } from './args.js';
import type { LaunchPlan } from './plan.js';

// What spot-submit and its advice process say to each other (over Node's IPC channel, as JSON).

/**
 * The advice process's one argument (as JSON): spark-submit's command line as spot-submit parsed it, and whether it
 * launches an app at all, so that neither the parsing nor the check is done twice.
 */
export interface AdviceCommand {
  args: SubmitArgs;
  launchesApp: boolean;
}

export function adviceCommand(args: SubmitArgs): AdviceCommand {
  return { args, launchesApp: !launchesNoApp(args) };
}

/**
 * What the launch needs from the config, sent as soon as the file is read, before anything can go wrong with the rest.
 */
export interface ConfigFacts {
  /**
   * submit.sparkSubmit as written in the file (even when the rest of the config is invalid); SPOT_SUBMIT_SPARK_SUBMIT
   * is spot-submit's to read.
   */
  sparkSubmit?: string;
  /** The file it came from. */
  file?: string;
  /** Only from a valid config. */
  adviceTimeoutMs?: number;
  /** Time allowed for the outcome after the run (feedbackTimeoutMs, plus crawlAfterTimeoutMs with crawlAfter). */
  feedbackBudgetMs?: number;
}

export type FromAdvice =
  | { type: 'config'; facts: ConfigFacts }
  | { type: 'done'; ok: true; plan: LaunchPlan }
  /** `unrecorded`: no "no advice" record can be stored (the config cannot be read), so the launch is not tagged. */
  | { type: 'done'; ok: false; reason: string; unrecorded?: boolean };

export type ToAdvice =
  /** spark-submit started with the advised command line: store the advice. */
  | { type: 'record' }
  /** spark-submit finished: link its outcome to the advice, then exit. */
  | { type: 'outcome'; outcome: AdviceOutcome }
  /** spark-submit finished a launch that went ahead without advice: store its "no advice" record, then exit. */
  | { type: 'no-advice'; advice: Advice; outcome: AdviceOutcome };
