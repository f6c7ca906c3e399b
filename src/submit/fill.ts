import { SETTING_KEYS, SETTING_NAMES, effectiveValue } from './settings.js';
import { CORES_MAX_KEY } from '../advisor/keys.js';
import type { SubmitArgs } from './args.js';

// In fill mode a setting the launch already sets (command line, properties file, spark-defaults.conf) is left as
// it is, so the advisor must plan with it fixed: a plan that cut executors the command line sets injected only
// the rest of that plan (32g memory sized for 25 executors, on a launch that ran its own 40) and claimed the
// saving of settings that never ran.

/**
 * The conf keys of tuned settings this launch sets. On a standalone master spark.cores.max fixes the total cores,
 * so with it set neither the executor count nor the cores per executor can move (master.ts).
 */
export function keptByFill(args: SubmitArgs, props: Map<string, string>, standalone: boolean): string[] {
  const coresMaxSet = standalone && effectiveValue(args, CORES_MAX_KEY, props) !== undefined;
  return SETTING_NAMES.map((name) => SETTING_KEYS[name]).filter((key) => {
    if (standalone && key === SETTING_KEYS.executors) return coresMaxSet;
    if (coresMaxSet && key === SETTING_KEYS.executorCores) return true;
    return effectiveValue(args, key, props) !== undefined;
  });
}
