// Adaptive query execution as a run had it: its own spark.sql.adaptive.* properties, else Spark's defaults for its
// version. Spark 3.0 brought the coalescing of shuffle partitions and the splitting of skewed joins, both on by
// default but only acting while spark.sql.adaptive.enabled is; that is on by default from Spark 3.2.

/** Each flag true or false as the run had it; undefined where neither its properties nor its version say. */
export interface AdaptiveSettings {
  enabled?: boolean;
  coalescePartitions?: boolean;
  skewJoin?: boolean;
}

/** Whether a Spark version string ("3.5.1") is at least major.minor; undefined when it does not parse. */
function sparkVersionAtLeast(version: unknown, major: number, minor: number): boolean | undefined {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** A flag as the run's (cast, underscored) properties set it, else its default for the run's version. */
function flag(props: Record<string, unknown>, key: string, byDefault: boolean | undefined): boolean | undefined {
  const own = props[key];
  return typeof own === 'boolean' ? own : byDefault;
}

export function adaptiveSettings(props: Record<string, unknown>, sparkVersion: unknown): AdaptiveSettings {
  // Before 3.0 the first flag switched an older adaptive execution, off by default, and the others did not exist.
  const v3 = sparkVersionAtLeast(sparkVersion, 3, 0);
  const since3 = v3 === true ? true : undefined;
  const out: AdaptiveSettings = {};
  const set = (k: keyof AdaptiveSettings, v: boolean | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('enabled', flag(props, 'spark_sql_adaptive_enabled', sparkVersionAtLeast(sparkVersion, 3, 2)));
  set('coalescePartitions', flag(props, 'spark_sql_adaptive_coalescePartitions_enabled', since3));
  set('skewJoin', flag(props, 'spark_sql_adaptive_skewJoin_enabled', since3));
  return out;
}
