import type { SpotConfig } from '../config/schema.js';
import type { MenasClient } from '../enceladus/menas-client.js';
import type { HistoryClient } from '../history/client.js';
import type { RunStore } from '../store/types.js';
import type { ErrorStage, TimeWindow } from '../types.js';

export interface CrawlDeps {
  client: HistoryClient;
  store: RunStore;
  config: SpotConfig;
  /** The History Server's REST URL; its host name goes into every document (history_host). */
  historyUrl: string;
  /** Lower end of the end-time window instead of now − crawler.lookbackHours. */
  since?: Date;
  now?: Date;
  /** Enceladus enrichment, only when menas.url is set. */
  menas?: MenasClient;
  onEvent?: (event: CrawlEvent) => void;
  /** Stops taking new apps; apps in flight are finished and stored. */
  signal?: AbortSignal;
  /** How long a claimed app is left to this crawler by others sharing the store (default DEFAULT_LEASE_MS). */
  leaseMs?: number;
}

type AppOutcome = 'new' | 'skipped' | 'failed' | 'gaveUp';

export interface CrawlError {
  appId: string;
  stage: ErrorStage;
  type: string;
  message: string;
}

export type CrawlEvent =
  | { type: 'start'; window: TimeWindow }
  /** One listing request answered (windows adapt to how busy the History Server was). */
  | { type: 'window'; window: TimeWindow; apps: number }
  /** Another app came out of the listings (after dropping repeats); `total` counts them so far. */
  | { type: 'listed'; appId: string; total: number }
  | { type: 'app'; appId: string; outcome: AppOutcome; error?: CrawlError }
  | { type: 'warning'; appId?: string; message: string }
  /** Folders below an --event-logs path that could not be listed (their logs unread), once per crawl. */
  | { type: 'unlisted'; under: string; folders: number; first: string; code: string }
  /** The last event, also when the crawl ends by throwing: what it got done. */
  | { type: 'done'; summary: CrawlSummary; error?: unknown };

export interface CrawlSummary {
  listed: number;
  new: number;
  /** Already stored. */
  skipped: number;
  failed: number;
  /** Failed crawler.maxAppRetries times before; not tried again. */
  gaveUp: number;
  /** Apps stored earlier without their Menas enrichment, enriched by this crawl. */
  enriched: number;
  elapsedMs: number;
  /** Listing requests made. */
  windows: number;
  /** The first failures (at most MAX_REPORTED_ERRORS); all of them are in the store as error documents. */
  errors: CrawlError[];
  /** True when a stop signal ended the crawl before the listing was done. */
  stopped: boolean;
}

export const MAX_REPORTED_ERRORS = 50;
