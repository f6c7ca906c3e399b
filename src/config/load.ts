import { homedir } from 'node:os';
import { join } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import type { z } from 'zod';
import { configSchema, type SpotConfig } from './schema.js';
import { envOverrides } from './env.js';
import { ConfigError } from './errors.js';

export { ConfigError };

export interface LoadedConfig {
  config: SpotConfig;
  /** The file the config came from, if any. */
  file?: string;
  /** $SPOT_HOME: where the embedded database lives. */
  home: string;
}

export interface LoadOptions {
  /** Explicit config file (--config or SPOT_CONFIG); otherwise cosmiconfig searches from cwd. */
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; they win over env vars, which win over the file. */
  overrides?: DeepPartial<SpotConfig>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function spotHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOT_HOME && env.SPOT_HOME.length > 0 ? env.SPOT_HOME : join(homedir(), '.spot');
}

export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const explicit = options.file ?? env.SPOT_CONFIG;
  const explorer = cosmiconfig('spot', { searchStrategy: 'project' });
  let fileValue: unknown = {};
  let file: string | undefined;
  try {
    const found = explicit ? await explorer.load(explicit) : await explorer.search(options.cwd ?? process.cwd());
    if (found && !found.isEmpty) {
      fileValue = found.config;
      file = found.filepath;
    } else if (found) {
      file = found.filepath;
    }
  } catch (err) {
    const where = explicit ?? 'the config file';
    throw new ConfigError(`cannot read ${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (fileValue === null || typeof fileValue !== 'object' || Array.isArray(fileValue)) {
    throw new ConfigError(`${file}: the top level must be a mapping of config sections`);
  }
  const fromFile = validate(fileValue, file ? `in ${file}` : 'in the config file');
  void fromFile; // validated on its own first, so an error names the file rather than the merged result
  let fromEnv: Record<string, unknown>;
  try {
    fromEnv = envOverrides(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const merged = deepMerge(deepMerge(fileValue as Record<string, unknown>, fromEnv), (options.overrides ?? {}) as Record<string, unknown>);
  const config = validate(merged, file ? `(config file ${file}, SPOT_* environment variables and flags)` : '(SPOT_* environment variables and flags)');
  return { config, file, home: spotHome(env) };
}

function validate(value: unknown, where: string): SpotConfig {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(describeIssues(result.error.issues, where));
}

function describeIssues(issues: z.core.$ZodIssue[], where: string): string {
  const lines = issues.map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown config key ${keys.map((k) => `'${k}'`).join(', ')} ${where}`;
    }
    return `config key '${path}' ${where}: ${issue.message}`;
  });
  return lines.join('\n');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
