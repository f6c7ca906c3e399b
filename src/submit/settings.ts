import type { Settings } from '../types.js';
import { formatSparkMemory, parseBytes } from '../common/units.js';
import { EXPLICIT_OPTIONS, SETTING_NAMES, TUNED_KEYS as SETTING_KEYS } from '../advisor/keys.js';
import { confValues, optionValue, type SubmitArgs } from './args.js';

// Where on a spark-submit command line each setting Spot tunes can be set. The table of their conf keys is the
// advisor's (advisor/keys.ts, a leaf module: reading it loads nothing else of the advisor).

export { EXPLICIT_OPTIONS, TUNED_KEYS as SETTING_KEYS, SETTING_NAMES } from '../advisor/keys.js';
export type SettingName = keyof Settings;

/**
 * The value of a conf key as Spark would resolve it: explicit option, then the last --conf, then the properties file.
 */
export function effectiveValue(
  args: SubmitArgs,
  key: string,
  props: Map<string, string>,
  conf = confValues(args),
): string | undefined {
  const option = EXPLICIT_OPTIONS[key];
  return (option ? optionValue(args, option) : undefined) ?? conf.get(key) ?? props.get(key);
}

export function settingToConf(name: SettingName, value: number | boolean): string {
  if (name === 'executorMemoryBytes') return formatSparkMemory(value as number);
  if (name === 'dynamicAllocation') return value ? 'true' : 'false';
  return String(Math.round(value as number));
}

function confToSetting(name: SettingName, raw: string): number | boolean | undefined {
  const v = raw.trim();
  if (name === 'executorMemoryBytes') return parseBytes(v, 'm'); // Spark reads a bare number as MiB
  if (name === 'dynamicAllocation')
    return /^(true|1|yes|y)$/i.test(v) ? true : /^(false|0|no|n)$/i.test(v) ? false : undefined;
  const n = Number(v);
  // A count no cluster has (`--num-executors 99999999999999999999`) is no baseline to plan against: Spark will
  // refuse or cap it, and its predicted cost would be astronomical.
  return Number.isInteger(n) && n > 0 && n <= MAX_COUNT ? n : undefined;
}

/** Executors, cores or shuffle partitions past this are a typo, not a setting. */
const MAX_COUNT = 1_000_000;

/** The settings the command line (and its properties file) asks for: the baseline Spot compares against. */
export function baselineSettings(args: SubmitArgs, props: Map<string, string>): Partial<Settings> {
  const conf = confValues(args);
  const out: Partial<Settings> = {};
  for (const name of SETTING_NAMES) {
    const raw = effectiveValue(args, SETTING_KEYS[name], props, conf);
    const v = raw === undefined ? undefined : confToSetting(name, raw);
    if (v !== undefined) (out as Record<string, number | boolean>)[name] = v;
  }
  return out;
}
