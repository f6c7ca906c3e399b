import type { AggDoc, RunRecord } from '../types.js';

// `spot report --app --user --since --cluster`: which runs a report covers. App matches the job key, the app
// name or its tag; user the Spark user; cluster where the run was crawled from (history_host: a History
// Server's host, or file://FOLDER for event logs); since the end time. Runs known only as imported records
// (no document) have no user or cluster, so those filters leave them out.

export interface ReportFilter {
  app?: string;
  user?: string;
  since?: Date;
  cluster?: string;
}

export function isFiltered(f: ReportFilter | undefined): boolean {
  return !!f && (f.app !== undefined || f.user !== undefined || f.since !== undefined || f.cluster !== undefined);
}

/** Filters that left out every run of a store that holds some: no empty store, and crawling more would not help. */
export function filteredToNothing(f: ReportFilter | undefined, s: { runsRead: number; runsInStore: number }): boolean {
  return isFiltered(f) && s.runsRead === 0 && s.runsInStore > 0;
}

/** `keyed`: ids of the documents whose run record has `f.app` as its job key (`--app` takes a job key too). */
export function keepDoc(doc: AggDoc, f: ReportFilter, keyed?: ReadonlySet<string>): boolean {
  if (f.app !== undefined && doc.name !== f.app && doc.app_specific_data?.tag !== f.app && !keyed?.has(doc.docId))
    return false;
  if (f.user !== undefined && doc.attempt.sparkUser !== f.user) return false;
  if (f.cluster !== undefined && doc.history_host !== f.cluster) return false;
  if (f.since !== undefined && !(Date.parse(doc.attempt.endTime) >= f.since.getTime())) return false;
  return true;
}

/** Records of the kept documents; with only app and since set, also records without a document (imports). */
export function keepRecord(r: RunRecord, f: ReportFilter, keptDocIds: Set<string>, docIds: Set<string>): boolean {
  if (keptDocIds.has(r.id)) return true;
  if (docIds.has(r.id) || f.user !== undefined || f.cluster !== undefined) return false;
  if (f.app !== undefined && r.app !== f.app && r.appName !== f.app) return false;
  return f.since === undefined || Date.parse(r.endTime) >= f.since.getTime();
}

/**
 * A YARN application under the same filters: since by its finish, user by its YARN user; app and cluster name
 * Spark runs, so under either only the applications of the kept runs (`keptAppIds`) are kept.
 */
export function keepYarnApp(
  app: { id: string; user?: unknown; finishedTime: string },
  f: ReportFilter,
  keptAppIds: ReadonlySet<string>,
): boolean {
  if (f.since !== undefined && !(Date.parse(app.finishedTime) >= f.since.getTime())) return false;
  if (f.user !== undefined && app.user !== f.user) return false;
  if ((f.app !== undefined || f.cluster !== undefined) && !keptAppIds.has(app.id)) return false;
  return true;
}
