import type { LoadedConfig } from '../config/load.js';
import type { SpotConfig } from '../config/schema.js';
import type { ElasticsearchYarnStore } from '../store/elasticsearch-yarn.js';
import type { RunStore } from '../store/types.js';

// Imported by main.ts for its error classes, so it loads nothing heavy itself: the config (zod) and the store
// are imported when a command runs, never for --help.

/**
 * Wrong command-line usage: the CLI prints the message, then where the command's help is (as commander's own usage
 * errors end, usage-line.ts), and exits 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  /** "(run 'spot demo --help' for usage)", set by main.ts for the command that was run. */
  helpHint?: string;
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

/** What a command that only reads says of a store that does not exist yet (`missingStore`). */
function noStoreError(where: string, config: SpotConfig): UserFacingError {
  const which =
    config.store.type === 'sqlite'
      ? 'store.path or SPOT_HOME say where'
      : 'elasticsearch.indexPrefix and elasticsearch.cluster say which indexes';
  return new UserFacingError(`no Spot store at ${where} yet: \`spot crawl\` or \`spot import\` creates it (${which})`);
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
  /** Why writes were lost, other than a reader that stopped reading (a full disk: ENOSPC); undefined if none. */
  lost?(): string | undefined;
  /** Resolves once what was written has gone to the reader (or it stopped reading), for output of any length. */
  drained?(): Promise<void>;
}

export interface CliContext {
  loaded: LoadedConfig;
  config: SpotConfig;
  /** Opens the configured store once; later calls return the same one. Opening an SQLite store creates its file. */
  store(): Promise<RunStore>;
  /**
   * The configured SQLite store's file when it does not exist yet (a fresh SPOT_HOME, or a mistyped store.path or
   * SPOT_HOME): a command that only reads says so instead of opening it, which would create an empty store there.
   */
  missingStore(): Promise<string | undefined>;
  /** The store for a command that only reads: opened when it exists, else `noStoreError` naming where it is not. */
  existingStore(): Promise<RunStore>;
  /**
   * The store for a command that only reads and has something to show without one (the report's empty page): opened
   * when it exists, else an empty one in memory, so that nothing is created at a missing or mistyped path.
   */
  readStore(): Promise<RunStore>;
  /**
   * Elasticsearch's YARN indexes, opened as the store is (`create`, the default: make them where missing), with the
   * same warnings. The caller closes it.
   */
  esYarnStore(create?: boolean): Promise<ElasticsearchYarnStore>;
  /** A store's warnings (a cluster's failed refresh at close) as `spot: warning:` lines on the command's stderr. */
  warn(line: string): void;
  out: Output;
  err: Output;
  close(): Promise<void>;
}

/** A command-line flag that sets a config key; `value` is undefined when the flag was not given. */
export interface ConfigFlag {
  flag: string;
  /** The config key's dotted path, as the config file would nest it. */
  key: string;
  value: unknown;
}

export interface ContextOptions {
  configFile?: string;
  /** The command's flags that set config keys: they win over the file and SPOT_* variables. */
  flags?: ConfigFlag[];
  env?: NodeJS.ProcessEnv;
  out?: Output;
  err?: Output;
  /**
   * Keep a config validated now in $SPOT_HOME for the next run (submit/config-cache.ts). Only for a command that
   * writes there anyway: one that only reads, and the demo, must leave the user's SPOT_HOME as they found it.
   */
  keepConfig?: boolean;
  /** The demo builds a config of its own: the user's file and SPOT_* variables, even broken ones, play no part. */
  ownConfig?: boolean;
}

/**
 * A process stream as an Output. A reader that stops reading (`spot runs --json | head -1`) closes the pipe:
 * that is a normal end, so later writes are dropped instead of failing with EPIPE, and the command finishes
 * what it was doing (a crawl still stores what it fetched) with its own exit code.
 */
export function stdio(stream: NodeJS.WriteStream): Output {
  let closed = false;
  let lost: string | undefined;
  // Any other write error (a full disk under `> file`) loses the output too: main.ts says so in one line, exit 1.
  stream.on('error', (e: NodeJS.ErrnoException) => {
    closed = true;
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') lost ??= e.code ?? e.message;
  });
  return {
    write: (t) => {
      if (!closed && !stream.destroyed) stream.write(t);
    },
    // A pipe takes writes without blocking: output a reader has not taken yet waits in memory, here, until then.
    drained: () =>
      closed || stream.destroyed || !stream.writableNeedDrain
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              for (const e of ['drain', 'close', 'error'] as const) stream.off(e, done);
              resolve();
            };
            for (const e of ['drain', 'close', 'error'] as const) stream.once(e, done);
          }),
    isTTY: Boolean(stream.isTTY),
    lost: () => lost,
  };
}

export async function createContext(options: ContextOptions = {}): Promise<CliContext> {
  const loaded = await loadContextConfig(options);
  const err = options.err ?? stdio(process.stderr);
  for (const warning of loaded.warnings ?? []) err.write(`spot: warning: ${warning}\n`);
  const warn = (line: string): void => void err.write(`spot: warning: ${line}\n`);
  let opened: Promise<RunStore> | undefined;
  const store = () => (opened ??= import('../compose.js').then(({ openStore }) => openStore(loaded, { warn })));
  // Opens the store only if it is there (a SQLite file, a cluster's agg index), so a command that reads creates
  // nothing where a mistyped path or index prefix points; the store opened is the one `store` returns after.
  const missingStore = async () => {
    if (opened) return undefined;
    const [{ openStore }, { StoreMissingError }] = await Promise.all([
      import('../compose.js'),
      import('../store/errors.js'),
    ]);
    opened = openStore(loaded, { mustExist: true, warn });
    try {
      await opened;
      return undefined;
    } catch (err) {
      opened = undefined;
      if (err instanceof StoreMissingError) return err.where;
      throw err;
    }
  };
  return {
    loaded,
    config: loaded.config,
    out: options.out ?? stdio(process.stdout),
    err,
    store,
    esYarnStore: async (create = true) =>
      (await import('../store/elasticsearch-yarn.js')).ElasticsearchYarnStore.open(loaded.config.elasticsearch, {
        create,
        warn,
      }),
    warn,
    missingStore,
    existingStore: async () => {
      const missing = await missingStore();
      if (missing) throw noStoreError(missing, loaded.config);
      return store();
    },
    readStore: async () => {
      if (await missingStore()) opened ??= import('../compose.js').then((m) => m.emptyStore());
      return store();
    },
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

/**
 * The config, read once. Without --config and command-line overrides it is the one an earlier run of this build
 * validated for the same file text and SPOT_* variables (submit/config-cache.ts), so that a command loads no schema
 * and no YAML parser; one validated now is kept for the next run when `keepConfig` says so. With either, it is
 * validated every time.
 */
async function loadContextConfig(options: ContextOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  // Only flags that were given override anything.
  const given = (options.flags ?? []).filter((f) => f.value !== undefined);
  if (options.ownConfig) return (await import('../config/load.js')).loadConfig({ env: {}, source: { value: {} } });
  if (options.configFile !== undefined || given.length > 0) {
    const { loadConfig } = await import('../config/load.js');
    const overrides: Record<string, unknown> = {};
    for (const { key, value } of given) setAt(overrides, key.split('.'), value);
    const flags = Object.fromEntries(given.map((f) => [f.key, f.flag]));
    return loadConfig({ file: options.configFile, env, overrides, flags });
  }
  const cache = await import('../submit/config-cache.js');
  const input = cache.configInput(env);
  const kept = cache.cachedConfig(input);
  if (kept) return kept;
  const [{ loadConfig }, { parseConfigText }] = await Promise.all([
    import('../config/load.js'),
    import('../config/read-file.js'),
  ]);
  const value =
    input.file !== undefined && input.text !== undefined ? parseConfigText(input.file, input.text) : undefined;
  const loaded = await loadConfig({ env, source: { ...(input.file ? { file: input.file } : {}), value } });
  if (options.keepConfig) cache.keepConfig(input, loaded);
  return loaded;
}

/** Sets `value` at `path` inside `tree`, making the sections on the way. */
function setAt(tree: Record<string, unknown>, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
