import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';

// submit.crawlAfter: wait (bounded by crawlAfterTimeoutMs) for the History Server to list the finished app,
// then crawl just that app, so the next launch learns from this one without waiting for `spot crawl`.

export interface CrawlAfterInput {
  loaded: LoadedConfig;
  store: RunStore;
  applicationId: string;
  adviceId: string;
  now?: () => number;
}

/** Returns a note for the user when the app could not be crawled now, undefined when it was. */
export async function crawlAfter(input: CrawlAfterInput): Promise<string | undefined> {
  const { config } = input.loaded;
  const url = config.historyServer.url!;
  const [{ historyClient, menasClient }, { HistoryNotFoundError, HistoryTimeoutError }, { crawlApp }, { adviceIdOf }] =
    await Promise.all([
      import('../compose.js'),
      import('../history/errors.js'),
      import('../crawl/crawl-app.js'),
      import('../documents/record.js'),
    ]);
  const now = input.now ?? Date.now;
  const deadline = now() + config.submit.crawlAfterTimeoutMs;
  // Each request is retried as in spot crawl (historyServer.retries, backoff), but none past the deadline: the loop
  // below is what waits for the History Server to list the app.
  const requestMs = Math.min(config.historyServer.timeoutMs, config.submit.crawlAfterTimeoutMs);
  const client = await historyClient(config, {
    timeoutMs: requestMs,
    concurrency: 4,
    deadline,
    now,
  });
  const menas = await menasClient(config);
  let wait = 200;
  try {
    for (;;) {
      try {
        const r = await crawlApp({ client, store: input.store, config, historyUrl: url, menas }, input.applicationId);
        if (r.outcome === 'new') {
          const runId = r.docIds[0];
          // The id read from the output may be another application's (one the job printed): a run launched with
          // another advice is not this launch's, and linking it would teach this advice another job's outcome.
          const other = (await input.store.getAgg(input.applicationId))
            .map(adviceIdOf)
            .find((id) => id !== undefined && id !== input.adviceId);
          if (other) return `${input.applicationId} ran with advice ${other}, not this launch's; not linked to it`;
          if (runId) await input.store.linkAdvice(input.adviceId, { runId });
          return undefined;
        }
        if (r.outcome === 'failed')
          return `crawling ${input.applicationId} failed (${r.error.message}); stored as a crawl error`;
      } catch (e) {
        // A request whose time limit the deadline cut short is the budget spent, not a fault of the History Server.
        if (e instanceof HistoryTimeoutError && e.timeoutMs < requestMs) {
          return `the History Server did not answer for ${input.applicationId} within submit.crawlAfterTimeoutMs (${config.submit.crawlAfterTimeoutMs} ms); the next spot crawl will pick it up`;
        }
        if (!(e instanceof HistoryNotFoundError)) throw e;
      }
      if (now() + wait > deadline) {
        return `the History Server did not list ${input.applicationId} as finished within ${config.submit.crawlAfterTimeoutMs} ms; the next spot crawl will pick it up`;
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 2000);
    }
  } finally {
    await client.close();
  }
}
