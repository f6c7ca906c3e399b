import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Which spark-submit to run. When Spot steps aside because the config is broken, the user's choice of
// spark-submit must still hold, so we read submit.sparkSubmit leniently as a last resort.

/** submit.sparkSubmit, else $SPARK_HOME/bin/spark-submit, else spark-submit on PATH. */
export function resolveSparkSubmit(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return configured;
  if (env.SPARK_HOME) {
    const candidate = join(env.SPARK_HOME, 'bin', 'spark-submit');
    if (existsSync(candidate)) return candidate;
  }
  return 'spark-submit';
}

/** submit.sparkSubmit from wherever it can be read, even when the rest of the config is invalid. */
export async function configuredSparkSubmit(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.SPOT_SUBMIT_SPARK_SUBMIT) return env.SPOT_SUBMIT_SPARK_SUBMIT;
  try {
    const { loadConfig } = await import('../config/load.js');
    return (await loadConfig({ env })).config.submit.sparkSubmit;
  } catch {
    try {
      const { cosmiconfig } = await import('cosmiconfig');
      const explorer = cosmiconfig('spot', { searchStrategy: 'project' });
      const found = env.SPOT_CONFIG ? await explorer.load(env.SPOT_CONFIG) : await explorer.search();
      const value = (found?.config as { submit?: { sparkSubmit?: unknown } } | undefined)?.submit?.sparkSubmit;
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
}
