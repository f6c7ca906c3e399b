import { setTimeout as delay } from 'node:timers/promises';
import type { RunStore } from '../store/types.js';
import { isYarnStore, type YarnStore } from '../store/yarn.js';
import { yarnClient, yarnHost } from '../yarn/client.js';
import { pollYarn, type YarnPollSummary } from '../yarn/crawl.js';
import { yarnErrorMessage } from '../yarn/errors.js';
import { ConfigError } from '../config/errors.js';
import { plural } from '../format.js';
import { UsageError, UserFacingError, type CliContext } from './context.js';
import { replayOutboxFor } from './outbox-replay.js';
import { isClusterStore } from '../config/schema.js';

// `spot crawl --yarn [URL] [--once]`: polls a YARN ResourceManager every yarn.sleepSeconds (or once) and
// stores cluster, application and scheduler documents. Timeouts and retries are the History Server's settings;
// credentials are the ResourceManager's own (yarn.username, yarn.kerberos, ...).

/** What to check when no request reached the ResourceManager, as the History Server crawl says for its server. */
const RM_ADDRESS_HINT =
  "check the host and port (the ResourceManager's web services listen on 8088, or 8090 over https, unless " +
  'yarn.resourcemanager.webapp.address or webapp.https.address says otherwise)';

export async function runYarnCrawl(opts: { once?: boolean }, ctx: CliContext): Promise<number> {
  const { config } = ctx;
  const url = config.yarn.url;
  if (!url) throw new UsageError('no ResourceManager: pass --yarn URL or set yarn.url');
  const { timeoutMs, retries, retryBaseMs, caFile } = config.historyServer;
  const client = yarnClient({
    url,
    timeoutMs,
    retries,
    retryBaseMs,
    caFile,
    auth: { ...config.yarn, section: 'yarn' },
  });
  // As for the History Server (crawl.ts): the config's error, found before the store is opened.
  const unusable = await client.unusableSettings();
  if (unusable) {
    await client.close();
    throw new ConfigError(yarnErrorMessage(unusable, client.baseUrl));
  }
  const { store, close } = await openYarnStore(ctx);
  const host = yarnHost(client.baseUrl);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    ctx.err.write('\nspot crawl: stopping after this poll (again to quit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A looping crawl says each warning once, not every poll.
  const warned = new Set<string>();
  try {
    for (;;) {
      await replayOutboxFor(ctx);
      const summary = await pollYarn({ client, store, yarnHost: host });
      if (summary.unusable && opts.once) throw new UserFacingError(summary.unusable);
      if (summary.unreachable && opts.once) {
        const reach = `cannot reach the ResourceManager at ${client.baseUrl}: ${summary.unreachable}`;
        throw new UserFacingError(summary.unreachableByTls ? reach : `${reach}; ${RM_ADDRESS_HINT}`);
      }
      // A poll that cron runs once and that got no usable answer at all (an address that is no ResourceManager)
      // fails as an unreachable one does, not silently into error documents only.
      if (summary.unanswered && summary.advice && opts.once) {
        throw new UserFacingError(
          `${summary.advice}; ${summary.errors} error documents stored (spot status shows them)`,
        );
      }
      if (summary.unanswered && opts.once) {
        throw new UserFacingError(
          `no usable answer from ${client.baseUrl}, is it a ResourceManager? ${summary.unanswered}; ` +
            `${summary.errors} error documents stored (spot status shows them)`,
        );
      }
      for (const w of summary.warnings.filter((w) => !warned.has(w))) {
        warned.add(w);
        ctx.err.write(`spot crawl: warning: ${host}: ${w}\n`);
      }
      ctx.out.write(formatPoll(host, summary));
      if (opts.once || stop.signal.aborted) return 0;
      try {
        await delay(config.yarn.sleepSeconds * 1000, undefined, { signal: stop.signal });
      } catch {
        return 0; // stopped while sleeping
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.close();
    await close();
  }
}

/** SQLite keeps YARN data next to the runs; Elasticsearch and OpenSearch in the original's own YARN indexes. */
async function openYarnStore(ctx: CliContext): Promise<{ store: YarnStore; close: () => Promise<void> }> {
  if (isClusterStore(ctx.config.store)) {
    const store = await ctx.esYarnStore();
    return { store, close: () => store.close() };
  }
  const store: RunStore = await ctx.store();
  if (!isYarnStore(store)) throw new UserFacingError('this store cannot keep YARN data', 2);
  return { store, close: async () => undefined };
}

export function formatPoll(host: string, s: YarnPollSummary): string {
  const parts = [
    s.clusterDoc ? 'cluster statistics' : 'no cluster statistics',
    plural(s.apps, 'new finished app'),
    plural(s.schedulerDocs, 'scheduler document'),
  ];
  const errors = s.errors ? `; ${plural(s.errors, 'error')} (spot status shows them)` : '';
  const down = s.unreachable ? `; ResourceManager unreachable: ${s.unreachable}` : s.unusable ? `; ${s.unusable}` : '';
  const advice = s.advice ? `; ${s.advice}` : '';
  return `yarn ${host}: ${parts.join(', ')}${errors}${down}${advice}\n`;
}
