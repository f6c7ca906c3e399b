import { createHash } from 'node:crypto';
import { configSchema } from '../../src/config/schema.js';
import { crawlOnce } from '../../src/crawl/index.js';
import { HistoryClient } from '../../src/history/client.js';
import type { Fault } from '../../src/simulator/history-server.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SINCE } from './support.js';

// Volume and fault injection: thousands of apps on a simulated History Server that misbehaves on some
// requests. Nothing may be lost: every listed app ends as aggregated documents or as an error document.
// A hung request is left out here: the client can only notice it by its timeout, and a timeout short enough
// to keep these tests quick would also cut good answers on a loaded machine. test/history/client-faults.test.ts
// covers hangs one request at a time.

export const FAULTS: Fault[] = [500, 502, 503, 'truncate', 'garbage', 'reset'];

/** A stable pseudo-random number in [0, 1) for a request target. */
export function unit(path: string): number {
  return createHash('sha1').update(path).digest().readUInt32BE(0) / 2 ** 32;
}

export function config(overrides: Record<string, unknown> = {}) {
  return configSchema.parse({
    historyServer: { timeoutMs: 30_000, retries: 4, retryBaseMs: 2 },
    crawler: { concurrency: 8, completionTimeoutSeconds: 0, maxAppRetries: 3, ...overrides },
  });
}

export async function crawl(url: string, dbPath: string, cfg = config()) {
  const store = await SqliteStore.open(dbPath);
  const client = new HistoryClient({
    baseUrl: url,
    timeoutMs: cfg.historyServer.timeoutMs,
    retries: cfg.historyServer.retries,
    retryBaseMs: cfg.historyServer.retryBaseMs,
    concurrency: cfg.crawler.concurrency * 3,
  });
  try {
    return await crawlOnce({ client, store, config: cfg, historyUrl: url, since: new Date(SINCE) });
  } finally {
    await client.close();
    await store.close();
  }
}
