import { configSchema } from './schema.js';
import { ConfigError } from './errors.js';
import { nearest } from '../common/nearest.js';

// SPOT_ + the key path in upper snake case: historyServer.url -> SPOT_HISTORY_SERVER_URL,
// advisor.cluster.maxExecutors -> SPOT_ADVISOR_CLUSTER_MAX_EXECUTORS (the README lists every variable).

type LeafKind = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]';

export interface ConfigKey {
  path: string[];
  env: string;
  kind: LeafKind;
}

export function envName(path: string[]): string {
  return `SPOT_${path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; shape?: Record<string, ZodLike>; element?: ZodLike } };
}

function unwrap(s: ZodLike): ZodLike {
  let cur = s;
  while (['default', 'optional', 'nullable', 'prefault'].includes(cur._zod.def.type) && cur._zod.def.innerType) {
    cur = cur._zod.def.innerType;
  }
  return cur;
}

function leafKind(s: ZodLike): LeafKind {
  const def = unwrap(s)._zod.def;
  if (def.type === 'number') return 'number';
  if (def.type === 'boolean') return 'boolean';
  if (def.type === 'array')
    return def.element && unwrap(def.element)._zod.def.type === 'number' ? 'number[]' : 'string[]';
  return 'string';
}

/** Every leaf key of the config schema, with its env var name. */
export function configKeys(): ConfigKey[] {
  const out: ConfigKey[] = [];
  const walk = (s: ZodLike, path: string[]): void => {
    const inner = unwrap(s);
    if (inner._zod.def.type === 'object' && inner._zod.def.shape) {
      for (const [k, child] of Object.entries(inner._zod.def.shape)) walk(child, [...path, k]);
      return;
    }
    out.push({ path, env: envName(path), kind: leafKind(s) });
  };
  walk(configSchema as unknown as ZodLike, []);
  return out;
}

function parseValue(raw: string, kind: LeafKind): unknown {
  switch (kind) {
    case 'number': {
      const n = Number(raw.trim());
      return raw.trim() === '' || Number.isNaN(n) ? raw : n; // left as a string so validation names the key
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      return raw;
    }
    case 'string[]':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0);
    case 'number[]':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0)
        .map((x) => (Number.isNaN(Number(x)) ? x : Number(x)));
    default:
      return raw;
  }
}

/** Config values set through SPOT_* environment variables, as a nested partial config. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const keys = configKeys();
  const byEnv = new Map(keys.map((k) => [k.env, k]));
  const sections = new Set(keys.map((k) => `${envName([k.path[0]!])}_`));
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('SPOT_') || raw === undefined) continue;
    const key = byEnv.get(name);
    if (!key) {
      // A misspelt variable of a known section is a mistake worth stopping for; SPOT_HOME and friends are not keys.
      const section = [...sections].find((s) => name.startsWith(s));
      if (section) {
        const near = keys.filter((k) => name.startsWith(envName([k.path[0]!]))).map((k) => k.env);
        out.__unknownEnv = [...((out.__unknownEnv as string[]) ?? []), `${name} (known: ${near.join(', ')})`];
      }
      continue;
    }
    let node = out;
    for (const p of key.path.slice(0, -1)) {
      node[p] ??= {};
      node = node[p] as Record<string, unknown>;
    }
    node[key.path[key.path.length - 1]!] = parseValue(raw, key.kind);
  }
  if (out.__unknownEnv) {
    throw new ConfigError(`unknown environment variable ${(out.__unknownEnv as string[]).join('; ')}`);
  }
  return out;
}

/** Spot's variables that are no config key (README); SPOT_TEST_* configure the tests against real servers. */
const OWN_VARIABLES = ['SPOT_HOME', 'SPOT_CONFIG', 'SPOT_DEBUG'];
const TEST_VARIABLE = /^SPOT_TEST_/;

/**
 * SPOT_* variables of no known section, which Spot ignores, in words: one each, for a warning (not an error, as a
 * known section's misspelt key is, since other tools may use the prefix). `SPOT_STROE_TYPE` is most likely a typo.
 */
export function ignoredVariables(env: NodeJS.ProcessEnv): string[] {
  const keys = configKeys();
  const sections = new Set(keys.map((k) => `${envName([k.path[0]!])}_`));
  const known = [...keys.map((k) => k.env), ...OWN_VARIABLES];
  const out: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('SPOT_') || raw === undefined || known.includes(name) || TEST_VARIABLE.test(name)) continue;
    if ([...sections].some((s) => name.startsWith(s))) continue; // envOverrides refuses it
    const near = nearest(name, known);
    const hint = near
      ? `did you mean ${near}?`
      : 'a config key is SPOT_ + its path in upper snake case, e.g. SPOT_STORE_TYPE';
    out.push(`${name} is not a Spot setting and is ignored (${hint})`);
  }
  return out.sort();
}
