import type { YarnStore } from '../store/yarn.js';
import type { AggDoc } from '../types.js';
import { summaryView } from '../metrics/summary-view.js';
import type { YarnAppDoc } from '../yarn/types.js';
import { keepYarnApp, type ReportFilter } from './filter.js';

// The report's YARN rows: what each finished YARN application was billed (vcore-seconds, MB-seconds) by day,
// queue and user, and for Spark runs crawled from the History Server, the same app's YARN bill next to the
// core-hours Spark allocated to its executors (joined on the application id).

const DAY_MS = 86_400_000;
const UNKNOWN = '(unknown)';

interface YarnAppRow {
  /** Start of the finish day, UTC epoch ms. */
  day: number;
  queue: string;
  user: string;
  applicationType: string;
  vcoreHours: number;
  memoryGbHours: number;
}

interface YarnJoinRow {
  appId: string;
  /** The Spark run's job (tag or name). */
  app: string;
  queue: string;
  /** Core-hours Spark allocated to executors, summed over the app's attempts. */
  sparkCoreHours: number;
  yarnVcoreHours: number;
  yarnMemoryGbHours: number;
}

export interface YarnReportData {
  apps: YarnAppRow[];
  joined: YarnJoinRow[];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string => (typeof v === 'string' && v ? v : UNKNOWN);

function yarnAppRow(doc: YarnAppDoc): YarnAppRow | undefined {
  const finished = Date.parse(doc.finishedTime);
  const vcoreSeconds = num(doc.vcoreSeconds);
  if (!Number.isFinite(finished) || vcoreSeconds === undefined) return undefined;
  return {
    day: Math.floor(finished / DAY_MS) * DAY_MS,
    queue: text(doc.queue),
    user: text(doc.user),
    applicationType: text(doc.applicationType),
    vcoreHours: vcoreSeconds / 3600,
    memoryGbHours: (num(doc.memorySeconds) ?? 0) / 1024 / 3600,
  };
}

/** Per app id, Spark's allocated core-hours over its attempts and the job it belongs to. */
function sparkCoreHours(docs: AggDoc[]): Map<string, { app: string; coreHours: number }> {
  const by = new Map<string, { app: string; coreHours: number }>();
  for (const d of docs) {
    const hours = summaryView(d.attempt.aggs?.summary).allocatedCoreHours;
    if (hours === undefined) continue;
    const row = by.get(d.id) ?? { app: d.app_specific_data?.tag || d.name, coreHours: 0 };
    row.coreHours += hours;
    by.set(d.id, row);
  }
  return by;
}

function joinRows(docs: AggDoc[], yarnApps: Map<string, YarnAppDoc>): YarnJoinRow[] {
  const rows: YarnJoinRow[] = [];
  for (const [appId, spark] of sparkCoreHours(docs)) {
    const y = yarnApps.get(appId);
    const vcoreSeconds = num(y?.vcoreSeconds);
    if (!y || vcoreSeconds === undefined) continue;
    rows.push({
      appId,
      app: spark.app,
      queue: text(y.queue),
      sparkCoreHours: spark.coreHours,
      yarnVcoreHours: vcoreSeconds / 3600,
      yarnMemoryGbHours: (num(y.memorySeconds) ?? 0) / 1024 / 3600,
    });
  }
  return rows;
}

/** The YARN rows, or undefined when the store holds no YARN application (the report then leaves YARN out). */
export async function loadYarnRows(
  store: YarnStore,
  docs: AggDoc[],
  limit: number,
  filter: ReportFilter = {},
): Promise<YarnReportData | undefined> {
  const stored = await store.yarnApps({ limit });
  if (!stored.length) return undefined;
  // The report's filters hold for YARN's views too: `docs` are the Spark runs they kept.
  const keptAppIds = new Set(docs.map((d) => d.id));
  const apps = stored.filter((a) => keepYarnApp(a, filter, keptAppIds));
  const byId = await store.yarnAppsById([...new Set(docs.map((d) => d.id))]);
  return {
    apps: apps.map(yarnAppRow).filter((r): r is YarnAppRow => r !== undefined),
    joined: joinRows(docs, byId),
  };
}
