import { existsSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config/errors.js';
import type { LoadedConfig } from './config/load.js';
import { isClusterStore, type SpotConfig } from './config/schema.js';
import type { MenasClient } from './enceladus/menas-client.js';
import type { HistoryClient } from './history/client.js';
import { StoreError, StoreMissingError } from './store/errors.js';
import type { RunStore } from './store/types.js';
import { makeDirs } from './config/home.js';
import { fileProblem } from './format.js';

// The composition root: the one module that turns the config into implementations (the store, the History
// Server client, the Menas client), used by the CLI, spot-submit's advice process and the demo. Each is imported
// only when chosen: the launch path pays for every module it loads, and Elasticsearch's client is large.

/**
 * The configured store: Elasticsearch/OpenSearch when chosen, else SQLite at store.path or $SPOT_HOME/spot.db.
 * `mustExist`: a store that is not there is a StoreMissingError, and nothing is created. `createOnWrite`: opening
 * writes nothing to a cluster (credentials that may only read open it too), and the first write to an index that is
 * not there creates it; for a process that reads before it writes, and may never write (SQLite creates its file at
 * open all the same). `warn` takes what a store says that fails nothing (a cluster's refresh at close), else stderr.
 */
export async function openStore(
  loaded: LoadedConfig,
  opts: { mustExist?: boolean; createOnWrite?: boolean; warn?: (line: string) => void } = {},
): Promise<RunStore> {
  const { config, home } = loaded;
  if (isClusterStore(config.store)) {
    if (!config.elasticsearch.url) {
      throw new ConfigError(
        `store.type is '${config.store.type}' but elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL)`,
      );
    }
    const { ElasticsearchStore } = await import('./store/elasticsearch.js');
    return ElasticsearchStore.open(config.elasticsearch, {
      ...(config.store.type === 'opensearch' ? { expect: 'opensearch' } : {}),
      ...(opts.mustExist ? { mustExist: true } : {}),
      create: !opts.mustExist && !opts.createOnWrite,
      ...(opts.warn ? { warn: opts.warn } : {}),
    });
  }
  const path = sqlitePath(loaded);
  // Before the file is looked for: under a SPOT_HOME that is a file, it could only be "not a directory".
  if (!config.store.path && existsSync(home) && !statSync(home).isDirectory()) {
    throw new StoreError(
      `SPOT_HOME ${home} is not a folder: point SPOT_HOME at a folder, or store.path at the database`,
    );
  }
  // An empty file (`touch spot.db`) is no store either: opening it would build one there.
  // A FIFO or other special file is there, and not empty: opening it says what it is (sqlite/open.ts).
  const stat = opts.mustExist ? statOrMissing(path) : undefined;
  if (opts.mustExist && (!stat || (stat.isFile() && stat.size === 0))) throw new StoreMissingError(path);
  if (!config.store.path) {
    try {
      makeDirs(home, 0o700); // only its owner reads the history
    } catch (err) {
      throw new StoreError(
        `cannot make SPOT_HOME ${home}: ${fileProblem(err)}: point SPOT_HOME at a folder you may write, or store.path at the database`,
        { cause: err },
      );
    }
  }
  const { SqliteStore } = await import('./store/sqlite.js');
  return SqliteStore.open(path);
}

/** The file's stat, or undefined where it is not: also where a folder on its path is a file (ENOTDIR). */
function statOrMissing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** An empty store in memory: what a command that only reads shows when no store exists yet, creating none. */
export async function emptyStore(): Promise<RunStore> {
  const { SqliteStore } = await import('./store/sqlite.js');
  return SqliteStore.open(':memory:');
}

/** The SQLite store's file: store.path, or spot.db in SPOT_HOME. */
export function sqlitePath({ config, home }: LoadedConfig): string {
  return config.store.path ?? join(home, 'spot.db');
}

/** Starts loading the default (SQLite) store's modules, for a caller that reads its config meanwhile. */
export function preloadDefaultStore(): Promise<unknown> {
  return import('./store/sqlite.js');
}

/** What a caller may set apart from the config: a crawl's wide pool, spot-submit's short wait after a run. */
export interface HistoryClientOptions {
  concurrency: number;
  timeoutMs?: number;
  retries?: number;
  /** No try outlasts it and no retry waits past it (by `now`, else Date.now). */
  deadline?: number;
  now?: () => number;
}

/** A client of the configured History Server (historyServer.url, which the caller has checked is set). */
export async function historyClient(config: SpotConfig, opts: HistoryClientOptions): Promise<HistoryClient> {
  const { HistoryClient } = await import('./history/client.js');
  const hs = config.historyServer;
  return new HistoryClient({
    baseUrl: hs.url!,
    timeoutMs: opts.timeoutMs ?? hs.timeoutMs,
    retries: opts.retries ?? hs.retries,
    retryBaseMs: hs.retryBaseMs,
    concurrency: opts.concurrency,
    caFile: hs.caFile,
    auth: hs,
    maxResponseBytes: hs.maxResponseMB * 2 ** 20,
    deadline: opts.deadline,
    now: opts.now,
  });
}

/** The Menas client, when menas.url is set. */
export async function menasClient(config: SpotConfig): Promise<MenasClient | undefined> {
  if (!config.menas.url) return undefined;
  return (await import('./enceladus/menas-client.js')).menasFromConfig(config.menas);
}
