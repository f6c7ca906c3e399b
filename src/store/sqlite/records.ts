import type { RunRecord } from '../../types.js';
import { epochMs } from '../common.js';
import type { Db } from './open.js';

// Run records are what spot-submit reads on every launch, under a time budget: they live in their own
// small table, and a whole job's history comes back as one JSON array built by SQLite (one parse, not
// thousands).

export function putRecords(db: Db, records: RunRecord[]): void {
  const rows = records.map((r) => [
    r.id,
    r.app,
    epochMs(r.endTime, `endTime of run ${r.id}`),
    r.source,
    JSON.stringify(r),
  ]);
  const put = db.stmt(
    `INSERT INTO runs (id, app, end_time, source, record) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET app = excluded.app, end_time = excluded.end_time, source = excluded.source,
       record = excluded.record`,
  );
  db.write(() => {
    for (const row of rows) put.run(row);
  });
}

export function records(db: Db, filter: { app?: string; limit?: number }): RunRecord[] {
  const limit = filter.limit ?? -1;
  const json =
    filter.app === undefined
      ? db
          .stmt(
            `SELECT '[' || coalesce(group_concat(record, ',' ORDER BY end_time DESC, id), '') || ']'
             FROM (SELECT record, end_time, id FROM runs ORDER BY end_time DESC, id LIMIT ?)`,
          )
          .pluck()
          .get(limit)
      : db
          .stmt(
            `SELECT '[' || coalesce(group_concat(record, ',' ORDER BY end_time DESC, id), '') || ']'
             FROM (SELECT record, end_time, id FROM runs WHERE app = ? ORDER BY end_time DESC, id LIMIT ?)`,
          )
          .pluck()
          .get(filter.app, limit);
  return JSON.parse(json as string) as RunRecord[];
}

export function apps(db: Db): { app: string; runs: number }[] {
  return db.stmt('SELECT app, count(*) AS runs FROM runs GROUP BY app ORDER BY app').all() as {
    app: string;
    runs: number;
  }[];
}

/**
 * Runs and distinct job keys, without grouping every run by job: the job keys are counted by stepping from one
 * to the next along the (app, end_time) index, one seek per job, however many runs each has.
 */
export function runCounts(db: Db): { runs: number; apps: number } {
  const runs = db.stmt('SELECT count(*) FROM runs').pluck().get() as number;
  const apps = db
    .stmt(
      `WITH RECURSIVE job(app) AS (
         SELECT min(app) FROM runs
         UNION ALL SELECT (SELECT min(app) FROM runs WHERE app > job.app) FROM job WHERE job.app IS NOT NULL)
       SELECT count(app) FROM job`,
    )
    .pluck()
    .get() as number;
  return { runs, apps };
}
