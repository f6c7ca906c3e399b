import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { optionValue, type SubmitArgs } from './args.js';
import { readPropertiesFile } from './properties-file.js';

// The properties spark-submit itself starts from, before --conf and the explicit options: the
// --properties-file when given, else spark-defaults.conf in SPARK_CONF_DIR, else in $SPARK_HOME/conf
// (SparkSubmitArguments). Spark 4's --load-spark-defaults reads both, the properties file winning. Fill
// mode must see them as set, and the advisor's baseline is what would really have run.

export interface SparkProperties {
  props: Map<string, string>;
  /** The files read, first to last (later ones win). */
  files: string[];
}

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
  // spark-submit skips a missing spark-defaults.conf silently, but fails on a missing --properties-file
  if (defaults !== undefined && (await exists(defaults))) files.push(defaults);
  if (propertiesFile !== undefined) files.push(propertiesFile);
  for (const file of files) for (const [k, v] of await readPropertiesFile(file)) props.set(k, v);
  return { props, files };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
