import { outboxDir, pendingEntries, replayOutbox } from '../store/outbox.js';
import type { RunStore } from '../store/types.js';
import type { CliContext } from './context.js';
import { plural } from '../format.js';

// `spot crawl`, every form and every round, first writes what spot-submit's advice processes left in the outbox
// (store/outbox.ts): advice records, "no advice" records and launch outcomes the store did not take then. Before
// the crawl links runs to their advice, so that a run finds its advice, and a failed launch reads as failed.

/**
 * Replays the pending entries into the store (opened only when there are some); says what it did, and what is left.
 * Never fails the crawl: what the store does not take stays for the next round.
 */
export async function replayOutboxFor(ctx: CliContext, open: () => Promise<RunStore> = ctx.store): Promise<void> {
  const dir = outboxDir(ctx.loaded.home);
  if (pendingEntries(dir).length === 0) return;
  const say = (line: string) => ctx.err.write(`spot crawl: ${line}\n`);
  let store: RunStore;
  try {
    store = await open();
  } catch (e) {
    say(`the outbox ${dir} is not replayed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const r = await replayOutbox(dir, store, { warn: say });
  if (r.stored > 0) say(`stored ${pending(r.stored)} spot-submit left in ${dir}`);
  if (r.left > 0) say(`${pending(r.left)} left in ${dir}${r.error ? ` (${r.error})` : ''}; tried again next time`);
}

const pending = (n: number) => plural(n, 'pending entry', 'pending entries');
