import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFileChoice } from '../config/discover.js';
import { makeDirs, spotHome } from '../config/home.js';
import { readConfigText } from '../config/read-file.js';
import { holdsUrlPassword } from '../common/url-credentials.js';
import type { LoadedConfig } from '../config/load.js';

// Spot's config, validated once per distinct input, for the advice process and the CLI's commands
// (cli/context.ts). The schema library and the YAML parser cost a launch more than anything else it loads
// (bench/submit.ts), yet the same file text under the same SPOT_* variables and the same build of Spot always
// validates to the same config. So the last few validated configs are kept in $SPOT_HOME, keyed by a hash of
// exactly those inputs, and only an input not seen before is parsed and validated. A config that fails
// validation is never kept: it fails, with its one message, every time.

declare const __SPOT_BUILD__: string | undefined;
/**
 * Set by the build (scripts/bundle.mjs), new on every build: defined in the bundled advice process, read from
 * dist/build-id.txt by the compiled CLI. Code run from source has none, and keeps nothing: its schema may change
 * without a build.
 */
const BUILD_ID: string | undefined = typeof __SPOT_BUILD__ === 'string' ? __SPOT_BUILD__ : compiledBuildId();

/** The compiled CLI's build id (dist/build-id.txt, written by the same build); none when run from source. */
function compiledBuildId(): string | undefined {
  try {
    const id = readFileSync(new URL('../../build-id.txt', import.meta.url), 'utf8').trim();
    return id || undefined;
  } catch {
    return undefined;
  }
}

export const CONFIG_CACHE_FILE = 'config-cache.json';
/** SPOT_* variables that carry credentials (passwords, tokens, API keys, headers). */
const CREDENTIAL_VARIABLE = /PASSWORD|TOKEN|SECRET|HEADERS|CREDENTIAL|API_KEY/;
/** Configs kept: a user launching from a few project folders keeps each one's. */
const MAX_ENTRIES = 8;

export interface ConfigInput {
  /** The config file in use, if any, and whether it was found by searching (rather than named). */
  file?: string;
  found: boolean;
  /** Its text, read once (undefined without a file). */
  text?: string;
  home: string;
  /** What the validated config is kept under; undefined when nothing may be kept. */
  key?: string;
}

interface Entry {
  key: string;
  config: LoadedConfig['config'];
  /** Its warnings, which depend on the SPOT_* variables the key holds: said again on every run that uses it. */
  warnings?: string[];
}

/** Reads the config file's text under read-file.ts's checks (throws ConfigError for a refused file). */
export function configInput(env: NodeJS.ProcessEnv, opts: { cwd?: string; buildId?: string } = {}): ConfigInput {
  const chosen = configFileChoice({ env, cwd: opts.cwd });
  const text = chosen ? readConfigText(chosen.file, { found: chosen.found }) : undefined;
  const spot = Object.entries(env)
    .filter(([k, v]) => k.startsWith('SPOT_') && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const buildId = 'buildId' in opts ? opts.buildId : BUILD_ID;
  // A credential given in a variable is meant to stay out of files: a config holding one is not kept, nor one with a
  // password written into a URL (`SPOT_HISTORY_SERVER_URL=http://user:password@shs`).
  const keep = buildId !== undefined && !spot.some(([k, v]) => CREDENTIAL_VARIABLE.test(k) || holdsUrlPassword(v!));
  const key = keep
    ? createHash('sha256')
        .update(JSON.stringify([buildId, chosen?.file ?? null, text ?? null, spot]))
        .digest('hex')
    : undefined;
  return {
    ...(chosen ? { file: chosen.file } : {}),
    found: chosen?.found ?? false,
    ...(text !== undefined ? { text } : {}),
    home: spotHome(env),
    ...(key ? { key } : {}),
  };
}

/** The config validated earlier for exactly this input, if it was kept. The cache file is read as a found config file
 * is (regular, the user's own, not writable by others): it names the program spot-submit runs. */
export function cachedConfig(input: ConfigInput): LoadedConfig | undefined {
  if (!input.key) return undefined;
  try {
    const path = join(input.home, CONFIG_CACHE_FILE);
    if (!existsSync(path)) return undefined;
    const entries = JSON.parse(readConfigText(path, { found: true })) as Entry[];
    const hit = Array.isArray(entries) ? entries.find((e) => e?.key === input.key) : undefined;
    if (!hit) return undefined;
    const warnings = Array.isArray(hit.warnings) ? { warnings: hit.warnings } : {};
    return { config: hit.config, ...(input.file ? { file: input.file } : {}), home: input.home, ...warnings };
  } catch {
    return undefined; // unreadable or garbled: validate again, and write it afresh
  }
}

/** Keeps a config that validated, for the next launch with the same input. Best effort: a failure only costs time. */
export function keepConfig(input: ConfigInput, loaded: LoadedConfig, opts: { makeHome?: boolean } = {}): void {
  if (!input.key) return;
  try {
    const { store } = loaded.config;
    // The home is made for the default store anyway (compose.ts); elsewhere, or where nothing will create the store
    // (`makeHome: false`, a dry run), it is used only if it exists.
    if (store.type === 'sqlite' && !store.path && opts.makeHome !== false) makeDirs(input.home, 0o700);
    else if (!existsSync(input.home)) return;
    const path = join(input.home, CONFIG_CACHE_FILE);
    let entries: Entry[] = [];
    try {
      if (existsSync(path))
        entries = (JSON.parse(readConfigText(path, { found: true })) as Entry[]).filter((e) => e?.key !== input.key);
    } catch {
      entries = [];
    }
    const kept: Entry = {
      key: input.key,
      config: loaded.config,
      ...(loaded.warnings ? { warnings: loaded.warnings } : {}),
    };
    const next = [kept, ...entries].slice(0, MAX_ENTRIES);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
      renameSync(tmp, path); // whole or not at all: a launch reading it meanwhile sees the old file or the new one
    } catch (e) {
      rmSync(tmp, { force: true }); // a full disk leaves it empty, and every launch after it would add one
      throw e;
    }
  } catch {
    // e.g. a read-only home: the next launch validates again.
  }
}
