import type { DeepPartial, LoadedConfig } from '../config/load.js';
import type { SpotConfig } from '../config/schema.js';
import type { RunStore } from '../store/types.js';

// Imported by main.ts for its error classes, so it loads nothing heavy itself: the config (zod) and the store
// are imported when a command runs, never for --help.

/** Wrong command-line usage: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on (server unreachable, unknown app): one line, exit 1, no stack trace. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

export interface CliContext {
  loaded: LoadedConfig;
  config: SpotConfig;
  /** Opens the configured store once; later calls return the same one. */
  store(): Promise<RunStore>;
  out: Output;
  err: Output;
  close(): Promise<void>;
}

export interface ContextOptions {
  configFile?: string;
  overrides?: DeepPartial<SpotConfig>;
  env?: NodeJS.ProcessEnv;
  out?: Output;
  err?: Output;
}

/**
 * A process stream as an Output. A reader that stops reading (`spot runs --json | head -1`) closes the pipe:
 * that is a normal end, so later writes are dropped instead of failing with EPIPE, and the command finishes
 * what it was doing (a crawl still stores what it fetched) with its own exit code.
 */
export function stdio(stream: NodeJS.WriteStream): Output {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw e;
  });
  return {
    write: (t) => {
      if (!closed && !stream.destroyed) stream.write(t);
    },
    isTTY: Boolean(stream.isTTY),
  };
}

export async function createContext(options: ContextOptions = {}): Promise<CliContext> {
  const loaded = (await keptConfig(options)) ?? (await validatedConfig(options));
  let opened: Promise<RunStore> | undefined;
  return {
    loaded,
    config: loaded.config,
    out: options.out ?? stdio(process.stdout),
    err: options.err ?? stdio(process.stderr),
    store: () => (opened ??= import('../compose.js').then(({ openStore }) => openStore(loaded))),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

/**
 * The config an earlier run of this build validated for the same file text and SPOT_* variables
 * (submit/config-cache.ts), so that a command loads no schema and no YAML parser. Only without --config and
 * command-line overrides: those are validated every time.
 */
async function keptConfig(options: ContextOptions): Promise<LoadedConfig | undefined> {
  if (options.configFile !== undefined || Object.keys(options.overrides ?? {}).length > 0) return undefined;
  const { cachedConfig, configInput } = await import('../submit/config-cache.js');
  try {
    return cachedConfig(configInput(options.env ?? process.env));
  } catch {
    return undefined; // e.g. a refused config file: validation below says why
  }
}

/** Reads and validates the config; kept for the next run when there is nothing run-specific in it. */
async function validatedConfig(options: ContextOptions): Promise<LoadedConfig> {
  const { loadConfig } = await import('../config/load.js');
  const loaded = await loadConfig({ file: options.configFile, env: options.env, overrides: options.overrides });
  if (options.configFile === undefined && Object.keys(options.overrides ?? {}).length === 0) {
    const { configInput, keepConfig } = await import('../submit/config-cache.js');
    try {
      keepConfig(configInput(options.env ?? process.env), loaded);
    } catch {
      // best effort: the next run validates again
    }
  }
  return loaded;
}
