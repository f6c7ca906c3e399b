import type { z } from 'zod';
import { configSchema, type SpotConfig } from './schema.js';
import { envName, envOverrides, ignoredVariables } from './env.js';
import { configFileChoice } from './discover.js';
import { ConfigError } from './errors.js';
import { firstPerPath, issueText, valueAt } from '../common/zod-issue.js';
import { spotHome } from './home.js';
import { readConfigFile } from './read-file.js';
import { suggestKey } from './suggest.js';

export { ConfigError };

export interface LoadedConfig {
  config: SpotConfig;
  /** The file the config came from, if any. */
  file?: string;
  /** $SPOT_HOME: where the embedded database lives. */
  home: string;
  /** What the user should hear of but may go on without (SPOT_* variables Spot ignores), one line each. */
  warnings?: string[];
}

export interface LoadOptions {
  /** Explicit config file (--config or SPOT_CONFIG); otherwise the search order of discover.ts, from cwd. */
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The file already read (readConfigSource), so that it is read once. */
  source?: { file?: string; value: unknown };
  /** Values from command-line flags; they win over env vars, which win over the file. */
  overrides?: DeepPartial<SpotConfig>;
  /**
   * The flag that set each of `overrides`' keys, by its dotted path ('historyServer.url': '--history-server'): a bad
   * value is told as the flag's, the words the user typed, not as a config key they never wrote.
   */
  flags?: Record<string, string>;
}

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

/** The config file in use (explicit, else found by the search order in discover.ts) and its parsed content. */
function readConfigSource(options: Pick<LoadOptions, 'file' | 'cwd' | 'env'> = {}): { file?: string; value: unknown } {
  const chosen = configFileChoice(options);
  return chosen ? readConfigFile(chosen.file, { found: chosen.found }) : { value: undefined };
}

export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const { file, value } = options.source ?? readConfigSource(options);
  const fileValue = value ?? {};
  if (fileValue === null || typeof fileValue !== 'object' || Array.isArray(fileValue)) {
    throw new ConfigError(`${file}: the top level must be a mapping of config sections`);
  }
  let fromEnv: Record<string, unknown>;
  try {
    fromEnv = envOverrides(env);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const overrides = (options.overrides ?? {}) as Record<string, unknown>;
  const merged = deepMerge(deepMerge(fileValue as Record<string, unknown>, fromEnv), overrides);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    // Name where the bad value came from: a flag, an environment variable, or the file.
    // A list's item came from where its list came from (SPOT_ADVISOR_CLUSTER_EXECUTOR_CORES, not ..._0).
    const keysOf = (path: PropertyKey[]) => path.filter((k) => typeof k !== 'number').map(String);
    // Keys of a section that is no mapping, set by a flag or variable, do not make the section theirs.
    const sets = (from: Record<string, unknown>, keys: string[]) =>
      has(from, keys) && !isPlainObject(valueAt(from, keys));
    const flagOf = (path: PropertyKey[]): string | undefined => {
      const keys = keysOf(path);
      return sets(overrides, keys) ? options.flags?.[keys.join('.')] : undefined;
    };
    const sourceOf = (path: PropertyKey[]): string => {
      const keys = keysOf(path);
      if (sets(overrides, keys)) return 'on the command line';
      if (sets(fromEnv, keys)) return `from ${envName(keys)}`;
      return file ? `in ${file}` : 'in the configuration';
    };
    // A variable's value was typed as text, as a flag's is, and is quoted as one; a file's has its JSON type.
    const typed = (path: PropertyKey[]) => sets(fromEnv, keysOf(path)) && !sets(overrides, keysOf(path));
    const issues = firstPerPath(result.error.issues);
    const error = new ConfigError(describeIssues(issues, merged, { flagOf, sourceOf, typed }));
    error.fromFlags = issues.every((issue) => flagOf(issue.path) !== undefined);
    throw error;
  }
  const config = result.data;
  const warnings = ignoredVariables(env);
  return { config, file, home: spotHome(env), ...(warnings.length ? { warnings } : {}) };
}

function has(obj: Record<string, unknown>, path: string[]): boolean {
  let node: unknown = obj;
  for (const k of path) {
    if (!isPlainObject(node) || !(k in node) || node[k] === undefined) return false;
    node = node[k];
  }
  return true;
}

interface Origins {
  /** The flag that set the value at a path, if one did. */
  flagOf: (path: PropertyKey[]) => string | undefined;
  /** Where the value at a path came from, in words: "from SPOT_…", "in FILE". */
  sourceOf: (path: PropertyKey[]) => string;
  /** Whether the value at a path was typed as text (a SPOT_* variable's). */
  typed: (path: PropertyKey[]) => boolean;
}

function describeIssues(issues: z.core.$ZodIssue[], merged: unknown, { flagOf, sourceOf, typed }: Origins): string {
  const lines = issues.map((issue) => {
    // A list's item by its index in brackets, as in advisor.cluster.executorCores[1].
    const path = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
    if (issue.code === 'unrecognized_keys') {
      const full = (k: string) => (path ? `${path}.${k}` : k);
      const keys = issue.keys.map(full);
      const hints = issue.keys.flatMap((k) => {
        const known = suggestKey(issue.path, k);
        return known ? [`'${full(known)}'`] : [];
      });
      const hint = hints.length ? ` (did you mean ${hints.join(', ')}?)` : '';
      return `unknown config key ${keys.map((k) => `'${k}'`).join(', ')} ${sourceOf([...issue.path, issue.keys[0] ?? ''])}${hint}`;
    }
    const flag = flagOf(issue.path);
    // Worded as the flag's own checks word theirs (main.ts): "--concurrency: must be 64 or less, got '100'".
    if (flag) return `${flag}: ${issueText(issue, merged, { quotes: 'typed' })}`;
    const quotes = typed(issue.path) ? { quotes: 'typed' as const } : {};
    return `config key '${path}' ${sourceOf(issue.path)}: ${issueText(issue, merged, quotes)}`;
  });
  // One line, as every user error is: a second line would lose the `spot:` prefix the caller puts on the first.
  return lines.join('; ');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `over`'s values over `base`'s. A section `base` sets to no mapping (`store: 5`) stays as it is, whatever keys of it
 * `over` sets (SPOT_STORE_TYPE): validation then refuses it, as it would without them, rather than the variable
 * quietly replacing the section.
 */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    if (isPlainObject(v) && k in out && out[k] !== undefined && !isPlainObject(out[k])) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
