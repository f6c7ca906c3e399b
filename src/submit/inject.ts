import type { Advice, Settings } from '../types.js';
import { INITIAL_EXECUTORS_KEY } from '../advisor/keys.js';
import { isConfOption, splitConf, type SubmitArgs, type SubmitOption } from './args.js';
import { keepsInitialExecutors } from './spark-floors.js';
import {
  baselineSettings,
  EXPLICIT_OPTIONS,
  effectiveValue,
  SETTING_KEYS,
  SETTING_NAMES,
  settingToConf,
} from './settings.js';

// Applying advice to a command line. New values go in as `--conf k=v` just before the primary resource; in
// override mode a value the command line already sets is rewritten where it stands, because Spark lets an
// explicit option (--num-executors) beat a --conf of the same key, so an added --conf would silently lose.

export const ADVICE_ID_KEY = 'spark.spot.adviceId';

export interface InjectRequest {
  args: SubmitArgs;
  chosen: Partial<Settings>;
  mode: Advice['mode'];
  /** Spark conf keys Spot must not touch (already normalised). */
  pinned: string[];
  /** The --properties-file contents (empty when there is none). */
  props: Map<string, string>;
  adviceId?: string;
}

export interface Injected {
  args: SubmitArgs;
  /** conf key -> value Spot set (empty in shadow mode or when nothing changed). */
  injected: Record<string, string>;
}

/**
 * Under dynamic allocation the advised count is Spark's ceiling (maxExecutors), and spark.executor.instances only
 * where allocation starts (SPARK-13723): set as well, it started every run at the ceiling, a small input's on 57
 * executors where the launch as written started on 2 (an outside closed loop: 1.35× the core-hours over 12 launches
 * that each printed a saving). The count is set only to bring a launch's own higher start down to the ceiling, and
 * so is the launch's spark.dynamicAllocation.initialExecutors: Spark starts at the largest of the two and
 * minExecutors whatever the ceiling says (Utils.getDynamicAllocationInitialExecutors), so a launch starting on 80
 * under an advised ceiling of 20 held its 80 until they idled out, at the cost the advice said it saved.
 */
function startingCounts(
  chosen: Partial<Settings>,
  current: Partial<Settings>,
): { toSet: Partial<Settings>; ceiling?: number } {
  // On either the launch's word or the advisor's: a cluster's spark-defaults.conf may turn allocation on, which the
  // advisor reads from the job's runs and answers with a ceiling.
  const dynamic = chosen.maxExecutors !== undefined || current.dynamicAllocation === true;
  if (!dynamic || chosen.dynamicAllocation === false || chosen.executors === undefined) return { toSet: chosen };
  const { executors, ...rest } = chosen;
  const ceiling = chosen.maxExecutors ?? current.maxExecutors ?? executors;
  const toSet = current.executors !== undefined && current.executors > ceiling ? { ...rest, executors: ceiling } : rest;
  return { toSet, ceiling };
}

export function injectAdvice(req: InjectRequest): Injected {
  const options: SubmitOption[] = req.args.options.map((o) => ({ ...o }));
  const args: SubmitArgs = { ...req.args, options };
  const injected: Record<string, string> = {};
  if (req.mode !== 'shadow') {
    const set = (key: string, value: string) => {
      if (!rewriteInPlace(options, key, value)) addConf(options, key, value);
      injected[key] = value;
    };
    const current = baselineSettings(req.args, req.props);
    const { toSet, ceiling } = startingCounts(req.chosen, current);
    for (const name of SETTING_NAMES) {
      const chosen = toSet[name];
      const key = SETTING_KEYS[name];
      if (chosen === undefined || req.pinned.includes(key)) continue;
      const isSet = effectiveValue(req.args, key, req.props) !== undefined;
      if (req.mode === 'fill' && isSet) continue;
      if (isSet && current[name] === chosen) continue; // nothing to change
      set(key, settingToConf(name, chosen));
    }
    // A start the launch keeps bounded the ceiling from below when the advisor planned it (spark-floors.ts).
    const initial = Number(effectiveValue(req.args, INITIAL_EXECUTORS_KEY, req.props));
    if (ceiling !== undefined && initial > ceiling && !keepsInitialExecutors(req.mode, req.pinned))
      set(INITIAL_EXECUTORS_KEY, String(ceiling));
  }
  if (req.adviceId !== undefined && !rewriteInPlace(options, ADVICE_ID_KEY, req.adviceId, false)) {
    addConf(options, ADVICE_ID_KEY, req.adviceId);
  }
  return { args, injected };
}

/** Rewrites every place the command line sets `key`; false when it sets it nowhere. */
export function rewriteInPlace(options: SubmitOption[], key: string, value: string, explicit = true): boolean {
  const option = explicit ? EXPLICIT_OPTIONS[key] : undefined;
  let found = false;
  for (const o of options) {
    if (option !== undefined && o.name === option && o.value !== undefined) {
      o.value = value;
      found = true;
    } else if (isConfOption(o) && splitConf(o.value!)?.[0] === key) {
      o.value = `${key}=${value}`;
      found = true;
    }
  }
  return found;
}

export function addConf(options: SubmitOption[], key: string, value: string): void {
  options.push({ name: '--conf', value: `${key}=${value}`, form: 'separate' });
}
