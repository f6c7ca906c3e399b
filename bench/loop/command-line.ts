import type { SubmitArgs } from '../../src/submit/args.js';
import { baselineSettings, effectiveValue } from '../../src/submit/settings.js';
import { parseBytes } from '../../src/common/units.js';
import type { ClusterSettings, JobShape } from './cluster.js';

// The loop's side of a launch's command line: the launch script's fixed settings as spark-submit arguments, and the
// settings the cluster runs once Spot has rewritten them (read back the way Spot reads a baseline).

export interface LaunchStyle {
  /**
   * Launch without spark.sql.shuffle.partitions: the cluster runs the job's fixed count, which its History Server does
   * not list, as for a count the job's code sets at run time (`spark.conf.set`).
   */
  unsetPartitions?: boolean;
  /**
   * Launch under dynamic allocation with the fixed count as its only bound (spark.dynamicAllocation.maxExecutors, no
   * --num-executors), so Spot advises a ceiling; the cluster runs at the ceiling, as a job with a backlog of tasks
   * from its first stage to its last would.
   */
  dynamicAllocation?: boolean;
}

export function fixedArgs(job: JobShape, style: LaunchStyle = {}): string[] {
  const f = job.fixed;
  return [
    ...(style.dynamicAllocation
      ? [
          '--conf',
          'spark.dynamicAllocation.enabled=true',
          '--conf',
          `spark.dynamicAllocation.maxExecutors=${f.executors}`,
        ]
      : ['--num-executors', String(f.executors)]),
    '--executor-cores',
    String(f.executorCores),
    '--executor-memory',
    `${Math.round(f.executorMemoryBytes / 1024 ** 2)}m`,
    ...(style.unsetPartitions ? [] : ['--conf', `spark.sql.shuffle.partitions=${f.shufflePartitions}`]),
    '--conf',
    `spark.sql.adaptive.enabled=${job.adaptive}`,
  ];
}

/** The settings a launch's final command line runs on the cluster; what it leaves unset, the job's fixed settings. */
export function ranSettings(job: JobShape, args: SubmitArgs, style: LaunchStyle = {}): ClusterSettings {
  const asked = baselineSettings(args, new Map());
  const settings: ClusterSettings = { ...job.fixed, ...(asked as Partial<ClusterSettings>) };
  if (style.dynamicAllocation) settings.executors = asked.maxExecutors ?? job.fixed.executors;
  // Spark still reads the key's name before 2.3 when the new one is unset; a bare number is MiB.
  const none = new Map<string, string>();
  const overhead =
    effectiveValue(args, 'spark.executor.memoryOverhead', none) ??
    effectiveValue(args, 'spark.yarn.executor.memoryOverhead', none);
  const overheadBytes = overhead === undefined ? undefined : parseBytes(overhead.trim(), 'm');
  if (overheadBytes !== undefined) settings.executorMemoryOverheadBytes = overheadBytes;
  return settings;
}

/** Settings as the loop prints them: executors × cores, memory per executor, shuffle partitions. */
export function settingsText(s: Partial<ClusterSettings> & Pick<ClusterSettings, 'executors' | 'executorCores'>) {
  const memory = s.executorMemoryBytes === undefined ? '-' : `${(s.executorMemoryBytes / 1024 ** 3).toFixed(1)}g`;
  return `${s.executors} × ${s.executorCores}, ${memory}, ${s.shufflePartitions ?? '-'} p`;
}
