import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';

// submit.crawlAfter: wait (bounded) for the History Server to list the finished app, then crawl just that app.

export interface CrawlAfterInput {
  loaded: LoadedConfig;
  store: RunStore;
  applicationId: string;
  adviceId: string;
}

/** Returns a note for the user when the app could not be crawled now, undefined when it was. */
export async function crawlAfter(_input: CrawlAfterInput): Promise<string | undefined> {
  return 'crawl after the run is not available yet; the next spot crawl will link the run';
}
