import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';

// The store on the launch path. Same choice as the CLI's openStore, but the default SQLite store is opened
// without importing the CLI context (which pulls in the config loader): every millisecond here is paid by
// every job launch.

export async function openRunStore(loaded: LoadedConfig): Promise<RunStore> {
  const { config, home } = loaded;
  if (config.store.type !== 'sqlite') return (await import('../cli/context.js')).openStore(loaded);
  const path = config.store.path ?? join(home, 'spot.db');
  if (!config.store.path) mkdirSync(home, { recursive: true });
  const { SqliteStore } = await import('../store/sqlite.js');
  return SqliteStore.open(path);
}
