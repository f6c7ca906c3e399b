import type { RunStore } from './types.js';

// Store capabilities the crawl uses when a store has them, kept apart from RunStore so that a store without
// them (Elasticsearch, for now) still works: crawlers then may repeat each other's work, never lose it.

/** Short leases on app ids, so that crawlers sharing one store split the apps between them. */
export interface CrawlLeases {
  /**
   * Takes a lease of `leaseMs` on each id that has no live lease of another owner; returns the ids taken.
   * `ownerGone` may say that another owner is known to be dead (a crawler killed on this host), so its
   * leases need not be waited out.
   */
  claimApps(
    appIds: string[],
    owner: string,
    leaseMs: number,
    now?: Date,
    ownerGone?: (owner: string) => boolean,
  ): Promise<string[]>;
  /** Gives the owner's leases back (the app is stored, or failed and was recorded). */
  releaseApps(appIds: string[], owner: string): Promise<void>;
}

/** Apps stored without an optional enrichment (Menas was down), to be enriched by a later crawl. */
export interface EnrichmentQueue {
  markUnenriched(appId: string, note: string, now?: Date): Promise<void>;
  clearUnenriched(appId: string): Promise<void>;
  /** The oldest noted first. */
  unenriched(limit: number): Promise<string[]>;
}

/** Which run record ids are stored already (an import says how many of its runs are new). */
export interface RecordIds {
  knownRecordIds(ids: string[]): Promise<Set<string>>;
}

export function hasCrawlLeases(store: RunStore): store is RunStore & CrawlLeases {
  return typeof (store as Partial<CrawlLeases>).claimApps === 'function';
}

export function hasEnrichmentQueue(store: RunStore): store is RunStore & EnrichmentQueue {
  return typeof (store as Partial<EnrichmentQueue>).unenriched === 'function';
}

export function hasRecordIds(store: RunStore): store is RunStore & RecordIds {
  return typeof (store as Partial<RecordIds>).knownRecordIds === 'function';
}
