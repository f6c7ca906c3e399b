import type { HistoryClient } from '../history/client.js';
import { HistorySetupError, HistoryTlsError, HistoryUnreachableError } from '../history/errors.js';
import type { YarnStore } from '../store/yarn.js';
import type { JsonObject } from '../types.js';
import {
  appDoc,
  appList,
  appStatInfo,
  clusterDoc,
  schedulerDocs,
  schedulerSummary,
  schedulerWarning,
  type DocContext,
} from './documents.js';
import { yarnAdvice, yarnErrorDoc, yarnErrorMessage } from './errors.js';
import type { YarnAppDoc, YarnStage } from './types.js';

// One poll of a ResourceManager, in the original's three parts: cluster statistics, the applications that
// finished since the newest one stored, and the scheduler. Each part that fails becomes an error document
// and the others go on; an application the crawler cannot read becomes an error document, not a lost poll.

/** Application types counted in `appStatInfo` ('all' asks without a type). */
const APP_TYPES = ['all', 'SPARK', 'MAPREDUCE'] as const;
/** Finished applications, whatever their outcome. */
const FINISHED_STATES = 'FINISHED,KILLED,FAILED';

export interface YarnPollSummary {
  clusterDoc: boolean;
  /** Finished applications stored for the first time (the newest stored one is listed again, and overwritten). */
  apps: number;
  schedulerDocs: number;
  /** Error documents written (parts that failed, and applications that could not be read). */
  errors: number;
  /** What the poll could not read but is no error (e.g. a scheduler type without queue documents). */
  warnings: string[];
  /** Set when no request reached the ResourceManager at all. */
  unreachable?: string;
  /** Whether that was a TLS handshake the host and port answered (its reason says what to check). */
  unreachableByTls?: boolean;
  /** Set, in words, when no request could be made with this machine's settings (a client certificate it requires). */
  unusable?: string;
  /** Set when requests reached it but none was answered usably (e.g. not a ResourceManager): the first error. */
  unanswered?: string;
  /** What the settings can fix, from the first failure that says (a standby ResourceManager, a 401). */
  advice?: string;
}

export interface YarnPollOptions {
  client: HistoryClient;
  store: YarnStore;
  yarnHost: string;
  now?: () => Date;
}

export async function pollYarn(opts: YarnPollOptions): Promise<YarnPollSummary> {
  const { client, store, yarnHost } = opts;
  const ctx: DocContext = { now: (opts.now ?? (() => new Date()))(), yarnHost };
  const summary: YarnPollSummary = { clusterDoc: false, apps: 0, schedulerDocs: 0, errors: 0, warnings: [] };
  const failures: unknown[] = [];
  const fail = async (stage: YarnStage, error: unknown) => {
    failures.push(error);
    summary.errors++;
    await store.putYarnError(yarnErrorDoc({ yarnHost, baseUrl: client.baseUrl, stage, error, now: ctx.now }));
  };
  let parts = 0;
  let partsFailed = 0;
  const part = async (stage: YarnStage, work: () => Promise<void>) => {
    parts++;
    try {
      await work();
    } catch (error) {
      partsFailed++;
      await fail(stage, error);
    }
  };

  // The scheduler answer feeds both the cluster document's summary and the scheduler documents.
  const scheduler = client.getJson<unknown>('cluster/scheduler').then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );

  await part('yarn_cluster_stats', async () => {
    const metrics = await client.getJson<unknown>('cluster/metrics');
    const answers: Record<string, unknown> = {};
    for (const type of APP_TYPES) {
      answers[type] = await client.getJson<unknown>('cluster/appstatistics', {
        applicationTypes: type === 'all' ? undefined : type,
      });
    }
    const s = await scheduler;
    const summaryOfScheduler: JsonObject | undefined = 'answer' in s ? schedulerSummary(s.answer) : undefined;
    await store.putYarnCluster(clusterDoc(metrics, appStatInfo(answers), summaryOfScheduler, ctx));
    summary.clusterDoc = true;
  });

  await part('yarn_apps', async () => {
    // Only apps that finished by now: an app stamped in the future (a clock gone wrong) would otherwise make every
    // later poll ask from then, and the apps finishing meanwhile would never be listed.
    const newest = await store.latestYarnFinishedTime(yarnHost, ctx.now);
    const answer = await client.getJson<unknown>('cluster/apps', {
      states: FINISHED_STATES,
      finishedTimeBegin: newest ? String(newest.getTime()) : undefined,
    });
    const docs: YarnAppDoc[] = [];
    for (const app of appList(answer)) {
      try {
        docs.push(appDoc(app, ctx));
      } catch (error) {
        await fail('yarn_apps', error);
      }
    }
    if (!docs.length) return;
    const known = await store.yarnAppsById(docs.map((d) => d.id));
    await store.putYarnApps(docs);
    // By id: an answer that lists an app twice holds one new app.
    summary.apps = new Set(docs.filter((d) => !known.has(d.id)).map((d) => d.id)).size;
  });

  await part('yarn_scheduler_docs', async () => {
    const s = await scheduler;
    if ('error' in s) throw s.error;
    const warning = schedulerWarning(s.answer);
    if (warning) summary.warnings.push(warning);
    const docs = schedulerDocs(s.answer, ctx);
    await store.putYarnScheduler(docs);
    summary.schedulerDocs = docs.length;
  });

  const nothingReached = failures.length >= 3 && failures.every((f) => f instanceof HistoryUnreachableError);
  // A setting of this machine is no unreachable server: said as the History Server crawl says it.
  if (nothingReached && failures[0] instanceof HistorySetupError)
    summary.unusable = yarnErrorMessage(failures[0], client.baseUrl);
  else if (nothingReached) {
    summary.unreachable = (failures[0] as HistoryUnreachableError).reason;
    if (failures[0] instanceof HistoryTlsError) summary.unreachableByTls = true;
  } else if (partsFailed === parts) summary.unanswered = yarnErrorMessage(failures[0], client.baseUrl);
  const advice = failures.map((f) => yarnAdvice(f, client.baseUrl)).find((a) => a !== undefined);
  if (advice) summary.advice = advice;
  return summary;
}
