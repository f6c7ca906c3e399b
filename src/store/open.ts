import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from './types.js';

/**
 * The one place that picks a concrete store. Each implementation is imported only when chosen: the launch
 * path (spot-submit) pays for every module it loads, and Elasticsearch's client is large.
 */
export async function openStore(loaded: LoadedConfig): Promise<RunStore> {
  const { config, home } = loaded;
  if (config.store.type === 'elasticsearch' || config.store.type === 'opensearch') {
    if (!config.elasticsearch.url) {
      throw new ConfigError(`store.type is '${config.store.type}' but elasticsearch.url is not set (SPOT_ELASTICSEARCH_URL)`);
    }
    const { ElasticsearchStore } = await import('./elasticsearch.js');
    return ElasticsearchStore.open(config.elasticsearch, config.store.type === 'opensearch' ? { expect: 'opensearch' } : {});
  }
  const path = config.store.path ?? join(home, 'spot.db');
  if (!config.store.path) mkdirSync(home, { recursive: true, mode: 0o700 }); // only its owner reads the history
  const { SqliteStore } = await import('./sqlite.js');
  return SqliteStore.open(path);
}
