import type { Advice, Settings } from '../types.js';
import { confValues, optionValue, type SubmitArgs } from './args.js';
import { addConf, rewriteInPlace, type Injected } from './inject.js';
import { effectiveValue, SETTING_KEYS, settingToConf } from './settings.js';
import { CORES_MAX_KEY } from '../advisor/keys.js';

// Where the job runs decides which settings mean anything. `--num-executors` (spark.executor.instances) is
// for YARN and Kubernetes; a standalone cluster gives an app `spark.cores.max` cores (`--total-executor-cores`)
// in executors of `spark.executor.cores` each, so there Spot reads and writes the executor count through
// that product. A local run has no executors to size: Spot advises nothing.

type MasterKind = 'yarn' | 'kubernetes' | 'standalone' | 'local' | 'other' | 'unset';

export interface Master {
  url?: string;
  kind: MasterKind;
}

const CORES_MAX = CORES_MAX_KEY;
const EXECUTORS = SETTING_KEYS.executors;

/**
 * As spark-submit resolves it: --master, then spark.master from --conf or the properties. Where none says,
 * spark-submit would run local[*], but a launch script that goes through Spot targets a cluster whose
 * defaults Spot could not read (another SPARK_CONF_DIR, a wrapper), so `unset` is advised like a cluster.
 */
export function sparkMaster(args: SubmitArgs, props: Map<string, string>): Master {
  const url = (
    optionValue(args, '--master') ??
    confValues(args).get('spark.master') ??
    props.get('spark.master')
  )?.trim();
  return url === undefined ? { kind: 'unset' } : { url, kind: masterKind(url) };
}

function masterKind(url: string): MasterKind {
  if (url === 'yarn' || url.startsWith('yarn-')) return 'yarn';
  if (url.startsWith('k8s://')) return 'kubernetes';
  if (url.startsWith('spark://')) return 'standalone';
  if (url === 'local' || url.startsWith('local[') || url.startsWith('local-cluster[')) return 'local';
  return 'other';
}

/** On standalone the executor count is spark.cores.max ÷ spark.executor.cores; spark.executor.instances is ignored. */
export function standaloneBaseline(
  baseline: Partial<Settings>,
  args: SubmitArgs,
  props: Map<string, string>,
): Partial<Settings> {
  const out = { ...baseline };
  delete out.executors;
  const coresMax = Number(effectiveValue(args, CORES_MAX, props));
  if (Number.isInteger(coresMax) && coresMax > 0 && out.executorCores)
    out.executors = Math.max(1, Math.floor(coresMax / out.executorCores));
  return out;
}

/** The advice as a standalone cluster takes it: the executor count becomes total cores. */
export function withoutExecutors(chosen: Partial<Settings>): Partial<Settings> {
  const rest = { ...chosen };
  delete rest.executors;
  return rest;
}

/**
 * Sets spark.cores.max to executors × cores per executor, following the mode as other settings do: fill
 * leaves a value the user set (in the command line, properties or spark-defaults.conf), override rewrites it.
 */
export function injectTotalCores(
  applied: Injected,
  req: {
    chosen: Partial<Settings>;
    baseline: Partial<Settings>;
    mode: Advice['mode'];
    pinned: string[];
    props: Map<string, string>;
  },
): void {
  const executors = req.chosen.executors;
  const cores = req.chosen.executorCores ?? req.baseline.executorCores;
  if (req.mode === 'shadow' || executors === undefined || cores === undefined) return;
  if (req.pinned.includes(CORES_MAX) || req.pinned.includes(EXECUTORS)) return;
  const isSet = effectiveValue(applied.args, CORES_MAX, req.props) !== undefined;
  if (req.mode === 'fill' && isSet) return;
  const value = settingToConf('executors', executors * cores);
  if (isSet && Number(effectiveValue(applied.args, CORES_MAX, req.props)) === executors * cores) return;
  if (!rewriteInPlace(applied.args.options, CORES_MAX, value)) addConf(applied.args.options, CORES_MAX, value);
  applied.injected[CORES_MAX] = value;
}
