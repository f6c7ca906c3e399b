import type { YarnAppDoc, YarnDoc, YarnErrorDoc } from '../../yarn/types.js';
import { epochMs, schedulerIds } from '../common.js';
import type { SourceActivity, YarnDocKind, YarnDocsByKind } from '../yarn.js';
import type { Db } from './open.js';
import { recentErrors } from './documents.js';

// The YARN tables (schema.ts, second migration) and the per-source figures behind `spot status`.
// Cluster and scheduler documents get ids from their host and poll time, so writing a poll twice keeps one copy.

export function putCluster(db: Db, doc: YarnDoc): void {
  const t = epochMs(doc.spot.time_processed, 'spot.time_processed of a YARN cluster document');
  db.write(() =>
    db
      .stmt(
        'INSERT INTO yarn_cluster (doc_id, yarn_host, time_processed, doc) VALUES (?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET doc = excluded.doc',
      )
      .run(`${doc.spot.yarn_host}-${t}`, doc.spot.yarn_host, t, JSON.stringify(doc)),
  );
}

export function putApps(db: Db, docs: YarnAppDoc[]): void {
  const insert = db.stmt(
    `INSERT INTO yarn_apps (app_id, yarn_host, finished_time, time_processed, doc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (app_id) DO UPDATE SET yarn_host = excluded.yarn_host, finished_time = excluded.finished_time,
       time_processed = excluded.time_processed, doc = excluded.doc`,
  );
  db.write(() => {
    for (const d of docs) {
      const finished = epochMs(d.finishedTime, `finishedTime of ${d.id}`);
      insert.run(
        d.id,
        d.spot.yarn_host,
        finished,
        epochMs(d.spot.time_processed, `spot.time_processed of ${d.id}`),
        JSON.stringify(d),
      );
    }
  });
}

export function putScheduler(db: Db, docs: YarnDoc[]): void {
  const insert = db.stmt(
    'INSERT INTO yarn_scheduler (doc_id, yarn_host, time_processed, doc_type, doc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO NOTHING',
  );
  const ids = schedulerIds(docs);
  db.write(() =>
    docs.forEach((d, i) => {
      const t = epochMs(d.spot.time_processed, 'spot.time_processed of a YARN scheduler document');
      insert.run(ids[i], d.spot.yarn_host, t, d.spot.doc_type ?? '', JSON.stringify(d));
    }),
  );
}

export function putError(db: Db, doc: YarnErrorDoc): void {
  const { spot } = doc;
  db.write(() =>
    db
      .stmt(
        'INSERT INTO yarn_errors (doc_id, yarn_host, time_processed, type, stage, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO NOTHING',
      )
      .run(
        doc.docId,
        spot.yarn_host,
        epochMs(spot.time_processed, `spot.time_processed of ${doc.docId}`),
        spot.error.type,
        spot.error.stage,
        JSON.stringify(doc),
      ),
  );
}

export function errors(db: Db, filter: { limit?: number; since?: Date }): YarnErrorDoc[] {
  return recentErrors<YarnErrorDoc>(db, 'yarn_errors', filter);
}

export function latestFinishedTime(db: Db, yarnHost: string, notAfter?: Date): Date | undefined {
  const row = db
    .stmt('SELECT MAX(finished_time) AS t FROM yarn_apps WHERE yarn_host = ? AND finished_time <= ?')
    .get(yarnHost, notAfter?.getTime() ?? Number.MAX_SAFE_INTEGER) as { t: number | null };
  return row.t === null ? undefined : new Date(row.t);
}

export function apps(db: Db, filter: { since?: Date; limit?: number }): YarnAppDoc[] {
  const rows = db
    .stmt('SELECT doc FROM yarn_apps WHERE finished_time >= ? ORDER BY finished_time DESC, app_id LIMIT ?')
    .all(filter.since?.getTime() ?? 0, filter.limit ?? -1) as { doc: string }[];
  return rows.map((r) => JSON.parse(r.doc) as YarnAppDoc);
}

export function appsById(db: Db, ids: string[]): Map<string, YarnAppDoc> {
  const rows = db
    .stmt('SELECT app_id, doc FROM yarn_apps WHERE app_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { app_id: string; doc: string }[];
  return new Map(rows.map((r) => [r.app_id, JSON.parse(r.doc) as YarnAppDoc]));
}

const iso = (ms: number | string | null | undefined): string | undefined =>
  ms === null || ms === undefined ? undefined : typeof ms === 'number' ? new Date(ms).toISOString() : ms;

export function sourceActivity(db: Db, errorsSince: Date): SourceActivity[] {
  const since = errorsSince.getTime();
  const sources = new Map<string, SourceActivity>();
  const source = (kind: SourceActivity['kind'], host: string) => {
    const key = `${kind} ${host}`;
    let s = sources.get(key);
    if (!s) {
      s = { kind, host, errors: {} };
      sources.set(key, s);
    }
    return s;
  };
  const hosts = db.stmt('SELECT DISTINCT history_host AS host FROM agg').all() as { host: string | null }[];
  for (const { host } of hosts) {
    if (host === null) continue;
    const s = source('history', host);
    // An attempt that has not ended carries the History Server's "not ended" time (epoch -1): not a run that ended.
    s.newestRun = iso(
      (
        db.stmt('SELECT MAX(end_time) AS t FROM agg WHERE history_host = ? AND end_time > 0').get(host) as {
          t: number | null;
        }
      ).t,
    );
    // Rows `spot store compact` has not re-encoded yet keep the time inside their JSON text only.
    const t = db
      .stmt(
        `SELECT MAX(t) FROM (SELECT MAX(time_processed) AS t FROM agg WHERE history_host = @host
         UNION ALL SELECT MAX(json_extract(doc, '$.spot.time_processed')) FROM agg WHERE history_host = @host AND time_processed IS NULL AND typeof(doc) = 'text')`,
      )
      .pluck()
      .get({ host }) as string | null;
    s.lastProcessed = iso(t);
  }
  const errors = db
    .stmt(
      `SELECT json_extract(doc, '$.spot.history_host') AS host, type, COUNT(*) AS n FROM errors
       WHERE time_processed >= ? GROUP BY host, type`,
    )
    .all(since) as { host: string | null; type: string | null; n: number }[];
  for (const e of errors) source('history', e.host ?? 'unknown').errors[e.type ?? 'unknown'] = e.n;

  const yarnHosts = db
    .stmt('SELECT yarn_host AS host, MAX(time_processed) AS t FROM yarn_cluster GROUP BY yarn_host')
    .all() as {
    host: string;
    t: number;
  }[];
  for (const { host, t } of yarnHosts) source('yarn', host).lastProcessed = iso(t);
  const yarnApps = db
    .stmt('SELECT yarn_host AS host, MAX(finished_time) AS t FROM yarn_apps GROUP BY yarn_host')
    .all() as {
    host: string;
    t: number;
  }[];
  for (const { host, t } of yarnApps) source('yarn', host).newestRun = iso(t);
  const yarnErrors = db
    .stmt(
      'SELECT yarn_host AS host, type, COUNT(*) AS n FROM yarn_errors WHERE time_processed >= ? GROUP BY host, type',
    )
    .all(since) as { host: string; type: string | null; n: number }[];
  for (const e of yarnErrors) source('yarn', e.host).errors[e.type ?? 'unknown'] = e.n;
  return [...sources.values()].sort((a, b) =>
    a.kind === b.kind ? (a.host < b.host ? -1 : 1) : a.kind === 'history' ? -1 : 1,
  );
}

const EXPORT_TABLES: Record<Exclude<YarnDocKind, 'scheduler'>, { table: string; key: string }> = {
  cluster: { table: 'yarn_cluster', key: 'doc_id' },
  apps: { table: 'yarn_apps', key: 'app_id' },
  errors: { table: 'yarn_errors', key: 'doc_id' },
};

/** A page of one kind's documents in id order; scheduler documents by whole polls (store/yarn.ts YarnExport). */
export function page<K extends YarnDocKind>(
  db: Db,
  kind: K,
  cursor: string | undefined,
  size: number,
): { docs: YarnDocsByKind[K][]; next?: string } {
  if (kind !== 'scheduler') {
    const { table, key } = EXPORT_TABLES[kind as Exclude<YarnDocKind, 'scheduler'>];
    const rows = db
      .stmt(`SELECT ${key} AS id, doc FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ?`)
      .all(cursor ?? '', size) as { id: string; doc: string }[];
    const docs = rows.map((r) => JSON.parse(r.doc) as YarnDocsByKind[K]);
    return rows.length < size ? { docs } : { docs, next: rows[rows.length - 1]!.id };
  }
  const [host, time] = cursor === undefined ? ['', -Infinity] : (JSON.parse(cursor) as [string, number]);
  for (let n = size; ; n *= 2) {
    const rows = db
      .stmt(
        `SELECT yarn_host AS host, time_processed AS t, doc FROM yarn_scheduler
         WHERE yarn_host > @host OR (yarn_host = @host AND time_processed > @time)
         ORDER BY yarn_host, time_processed, doc_id LIMIT @n`,
      )
      .all({ host, time: Number.isFinite(time) ? time : -1e18, n }) as { host: string; t: number; doc: string }[];
    const docs = (list: typeof rows) => list.map((r) => JSON.parse(r.doc) as YarnDocsByKind[K]);
    if (rows.length < n) return { docs: docs(rows) };
    const last = rows[rows.length - 1]!;
    const whole = rows.filter((r) => r.host !== last.host || r.t !== last.t); // the last poll may go on
    if (whole.length === 0) continue; // one poll larger than the page: a larger page
    const end = whole[whole.length - 1]!;
    return { docs: docs(whole), next: JSON.stringify([end.host, end.t]) };
  }
}
