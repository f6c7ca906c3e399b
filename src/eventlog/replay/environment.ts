import { obj, str, type Obj } from './fields.js';

// SparkListenerEnvironmentUpdate as the History Server's `environment` endpoint returns it: the JVM block as
// `runtime`, each property map as sorted `[key, value]` pairs.

const SECTIONS: [string, string][] = [
  ['Spark Properties', 'sparkProperties'],
  ['Hadoop Properties', 'hadoopProperties'],
  ['System Properties', 'systemProperties'],
  ['Metrics Properties', 'metricsProperties'],
  ['Classpath Entries', 'classpathEntries'],
];

function pairs(v: unknown): [string, string][] {
  return Object.entries(obj(v))
    .map(([k, val]): [string, string] => [k, str(val) ?? JSON.stringify(val)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function environmentOf(e: Obj | undefined): Obj {
  if (!e) return {};
  const jvm = obj(e['JVM Information']);
  const out: Obj = {
    runtime: {
      javaVersion: str(jvm['Java Version']) ?? '',
      javaHome: str(jvm['Java Home']) ?? '',
      scalaVersion: str(jvm['Scala Version']) ?? '',
    },
  };
  for (const [from, to] of SECTIONS) out[to] = pairs(e[from]);
  return out;
}

/** spark.task.cpus of the log, for executors' maxTasks; Spark's default is 1. */
export function taskCpus(env: Obj | undefined): number {
  const v = Number(str(obj(env?.['Spark Properties'])['spark.task.cpus']));
  return Number.isInteger(v) && v > 0 ? v : 1;
}
