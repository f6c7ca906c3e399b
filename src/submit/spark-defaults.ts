import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { optionValue, type SubmitArgs } from './args.js';
import { readPropertiesFile } from './properties-file.js';

// The properties spark-submit itself starts from, before --conf and the explicit options: the
// --properties-file when given, else spark-defaults.conf in SPARK_CONF_DIR, else in $SPARK_HOME/conf
// (SparkSubmitArguments). Spark 4's --load-spark-defaults reads both, the properties file winning. Below them, the
// few environment variables spark-submit falls back to (MASTER, SPARK_EXECUTOR_MEMORY, SPARK_EXECUTOR_CORES). Fill
// mode must see them as set, and the advisor's baseline is what would really have run.

export interface SparkProperties {
  props: Map<string, string>;
  /** The files read, first to last (later ones win). */
  files: string[];
}

/**
 * Environment variables spark-submit reads as settings when neither an option, a --conf nor a properties file sets
 * the key (SparkSubmitArguments.loadEnvironmentArguments): below every file. A --conf Spot adds beats them, so they
 * count as the launch's own as the files' keys do: fill mode keeps them, override replaces them.
 */
const ENV_SETTINGS: Readonly<Record<string, string>> = {
  MASTER: 'spark.master',
  SPARK_EXECUTOR_MEMORY: 'spark.executor.memory',
  SPARK_EXECUTOR_CORES: 'spark.executor.cores',
};

function sparkDefaultsPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SPARK_CONF_DIR) return join(env.SPARK_CONF_DIR, 'spark-defaults.conf');
  if (env.SPARK_HOME) return join(env.SPARK_HOME, 'conf', 'spark-defaults.conf');
  return undefined;
}

export async function sparkProperties(args: SubmitArgs, env: NodeJS.ProcessEnv): Promise<SparkProperties> {
  const propertiesFile = optionValue(args, '--properties-file');
  const loadDefaults = propertiesFile === undefined || args.options.some((o) => o.name === '--load-spark-defaults');
  const defaults = loadDefaults ? sparkDefaultsPath(env) : undefined;
  const files: string[] = [];
  const props = new Map<string, string>();
  for (const [name, key] of Object.entries(ENV_SETTINGS)) {
    const value = env[name]?.trim();
    if (value) props.set(key, value);
  }
  // spark-submit skips a spark-defaults.conf that is missing or no regular file silently, but fails on such a
  // --properties-file
  if (defaults !== undefined && (await isRegularFile(defaults))) files.push(defaults);
  if (propertiesFile !== undefined) files.push(propertiesFile);
  for (const file of files) for (const [k, v] of await readPropertiesFile(file)) props.set(k, v);
  return { props, files };
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
