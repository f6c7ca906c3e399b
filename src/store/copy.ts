import type { RunStore } from './types.js';
import { hasEnrichmentQueue } from './crawl-leases.js';
import {
  hasYarnExport,
  isYarnStore,
  type YarnDocKind,
  type YarnDocsByKind,
  type YarnExport,
  type YarnStore,
} from './yarn.js';

// Moves a whole history from one store to another (SQLite to Elasticsearch when a team outgrows one
// machine, or back). Every put is idempotent by id, so a copy can be run again, or resumed after a
// failure, without duplicates. Apps go in chunks, so memory holds one chunk of documents, not the
// history; an app's aggregated documents are written after its raw document, as the crawler does, since
// they mark the app as done. The YARN crawler's documents (cluster, applications, scheduler, errors) go too, and
// the apps waiting for their Menas enrichment: Elasticsearch keeps that list only as the note in each raw document
// (`spot.unenriched`), which SQLite's list is rebuilt from. Fitted models are not copied: they are fitted again
// from the copied runs when next needed.

export interface CopyCounts {
  apps: number;
  raw: number;
  agg: number;
  errors: number;
  records: number;
  advice: number;
  yarn: Record<YarnDocKind, number>;
  /** Apps stored while Menas was down, still to be enriched. */
  unenriched: number;
}

export interface CopyOptions {
  /** Apps read and written per step. */
  chunk?: number;
  /** Called after each step with the counts so far. */
  onProgress?: (counts: CopyCounts) => void;
  /** Where YARN documents are read and written when not `from` and `to` (Elasticsearch keeps them apart). */
  yarnFrom?: YarnExport;
  yarnTo?: YarnStore;
}

/** Every attempt ever stored ended after this and before the far end of the window. */
const ALL_TIME = { from: new Date(0), to: new Date('9999-12-31T23:59:59.999Z') };

export async function copyStore(from: RunStore, to: RunStore, options: CopyOptions = {}): Promise<CopyCounts> {
  const chunk = options.chunk ?? 200;
  const counts: CopyCounts = {
    ...{ apps: 0, raw: 0, agg: 0, errors: 0, records: 0, advice: 0, unenriched: 0 },
    yarn: { cluster: 0, apps: 0, scheduler: 0, errors: 0 },
  };
  const progress = () => options.onProgress?.({ ...counts });

  const records = await from.records({});
  for (let i = 0; i < records.length; i += 1000) await to.putRecords(records.slice(i, i + 1000));
  counts.records = records.length;

  const advice = await from.listAdvice({});
  for (const a of advice) await to.putAdvice(a);
  counts.advice = advice.length;

  // The YARN crawler's error documents share Elasticsearch's err index: they go with the YARN documents below.
  const errors = (await from.errors({})).filter((e) => !('yarn_host' in e.spot));
  for (const e of errors) await to.putError(e);
  counts.errors = errors.length;

  const yarnFrom = options.yarnFrom ?? (hasYarnExport(from) ? from : undefined);
  const yarnTo = options.yarnTo ?? (isYarnStore(to) ? to : undefined);
  if (yarnFrom && yarnTo) await copyYarn(yarnFrom, yarnTo, counts.yarn);
  progress();

  // Waiting for Menas: SQLite's list where the source has one (an app gone from the History Server leaves it and
  // keeps its note), else every raw document's note.
  const waiting = hasEnrichmentQueue(from) ? new Set(await from.unenriched(Number.MAX_SAFE_INTEGER)) : undefined;

  const appIds = [...(await from.knownIds(ALL_TIME))].sort();
  for (let i = 0; i < appIds.length; i += chunk) {
    const aggs = [];
    for (const appId of appIds.slice(i, i + chunk)) {
      const raw = await from.getRaw(appId);
      if (raw) {
        await to.putRaw(raw);
        counts.raw++;
        const note = raw.spot?.unenriched;
        if (typeof note === 'string' && (waiting?.has(appId) ?? true)) {
          if (hasEnrichmentQueue(to)) await to.markUnenriched(appId, note, noted(raw.spot.time_processed));
          counts.unenriched++;
        }
      }
      aggs.push(...(await from.getAgg(appId)));
      counts.apps++;
    }
    await to.putAgg(aggs);
    counts.agg += aggs.length;
    progress();
  }
  return counts;
}

const noted = (time: unknown): Date => {
  const d = new Date(typeof time === 'string' ? time : 0);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
};

const YARN_PAGE = 1000;

/** Every YARN document, page by page; each put keeps one copy by id, so a copy can run again. */
async function copyYarn(from: YarnExport, to: YarnStore, counts: Record<YarnDocKind, number>): Promise<void> {
  const each = async <K extends YarnDocKind>(kind: K, put: (docs: YarnDocsByKind[K][]) => Promise<void>) => {
    let cursor: string | undefined;
    do {
      const page = await from.yarnPage(kind, cursor, YARN_PAGE);
      await put(page.docs);
      counts[kind] += page.docs.length;
      cursor = page.next;
    } while (cursor !== undefined);
  };
  await each('cluster', async (docs) => {
    for (const d of docs) await to.putYarnCluster(d);
  });
  await each('apps', (docs) => to.putYarnApps(docs));
  await each('scheduler', (docs) => to.putYarnScheduler(docs));
  await each('errors', async (docs) => {
    for (const d of docs) await to.putYarnError(d);
  });
}
