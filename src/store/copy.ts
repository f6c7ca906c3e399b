import type { RunStore } from './types.js';

// Moves a whole history from one store to another (SQLite to Elasticsearch when a team outgrows one
// machine, or back). Every put is idempotent by id, so a copy can be run again, or resumed after a
// failure, without duplicates. Apps go in chunks, so memory holds one chunk of documents, not the
// history; an app's aggregated documents are written after its raw document, as the crawler does, since
// they mark the app as done.

export interface CopyCounts {
  apps: number;
  raw: number;
  agg: number;
  errors: number;
  records: number;
  advice: number;
}

export interface CopyOptions {
  /** Apps read and written per step. */
  chunk?: number;
  /** Called after each step with the counts so far. */
  onProgress?: (counts: CopyCounts) => void;
}

/** Every attempt ever stored ended after this and before the far end of the window. */
const ALL_TIME = { from: new Date(0), to: new Date('9999-12-31T23:59:59.999Z') };

export async function copyStore(from: RunStore, to: RunStore, options: CopyOptions = {}): Promise<CopyCounts> {
  const chunk = options.chunk ?? 200;
  const counts: CopyCounts = { apps: 0, raw: 0, agg: 0, errors: 0, records: 0, advice: 0 };
  const progress = () => options.onProgress?.({ ...counts });

  const records = await from.records({});
  for (let i = 0; i < records.length; i += 1000) await to.putRecords(records.slice(i, i + 1000));
  counts.records = records.length;

  const advice = await from.listAdvice({});
  for (const a of advice) await to.putAdvice(a);
  counts.advice = advice.length;

  const errors = await from.errors({});
  for (const e of errors) await to.putError(e);
  counts.errors = errors.length;
  progress();

  const appIds = [...(await from.knownIds(ALL_TIME))].sort();
  for (let i = 0; i < appIds.length; i += chunk) {
    const aggs = [];
    for (const appId of appIds.slice(i, i + chunk)) {
      const raw = await from.getRaw(appId);
      if (raw) {
        await to.putRaw(raw);
        counts.raw++;
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
