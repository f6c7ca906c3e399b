import { dirname } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { dropEntry, linkOutcome } from '../store/outbox.js';
import type { RunStore } from '../store/types.js';
import type { AdviceOutcome } from '../types.js';
import { oneLine } from './prelaunch.js';

// After spark-submit exits: store what happened with the advice it ran under. Fail-soft: the job's own exit
// code is what the caller gets, whatever happens here.

export interface FeedbackInput {
  loaded: LoadedConfig;
  adviceId: string;
  outcome: AdviceOutcome;
  warn: (line: string) => void;
  /** The store, when the caller keeps one open (it stays open); else opened and closed here. */
  store?: RunStore;
  /** The outbox file that holds the outcome until the store has it (store/outbox.ts): removed then. */
  kept?: string;
}

export async function recordOutcome(input: FeedbackInput): Promise<void> {
  const { loaded, adviceId, outcome, warn } = input;
  let store: RunStore | undefined;
  const close = async () => {
    if (!input.store) await store?.close().catch(() => undefined);
  };
  try {
    store = input.store ?? (await (await import('../compose.js')).openStore(loaded));
    if (!(await linkOutcome(store, adviceId, outcome))) throw new Error('the advice itself is not stored yet');
    if (input.kept) dropEntry(input.kept);
  } catch (e) {
    const kept = input.kept ? `; kept in ${dirname(input.kept)} for the next spot crawl` : '';
    warn(`spot-submit: could not record the outcome of advice ${adviceId}: ${oneLine(e)}${kept}`);
    await close();
    return;
  }
  try {
    if (loaded.config.submit.crawlAfter) {
      if (!outcome.applicationId)
        warn('spot-submit: no application id in the output; the next spot crawl will link the run');
      else if (!loaded.config.historyServer.url)
        warn('spot-submit: submit.crawlAfter needs historyServer.url; skipped');
      else {
        const { crawlAfter } = await import('./crawl-after.js');
        const note = await crawlAfter({ loaded, store, applicationId: outcome.applicationId, adviceId });
        if (note) warn(`spot-submit: ${note}`);
        else {
          // The run is stored: the job's next launch finds its model fitted on it (within the feedback budget, if at
          // all).
          const app = (await store.getAdvice(adviceId))?.app;
          if (app) await (await import('./prefit.js')).prefitJob(store, loaded.config, app).catch(() => undefined);
        }
      }
    }
  } catch (e) {
    warn(`spot-submit: crawl after the run failed: ${oneLine(e)}; the next spot crawl will pick it up`);
  } finally {
    await close();
  }
}
