import type { Db } from './open.js';

// Crawl leases, the unenriched list and record-id lookups of the SQLite store (see ../crawl-leases.ts).
// A lease is a row with an owner and an expiry; taking one is a read-then-write, so it runs under BEGIN
// IMMEDIATE like every write here, and two crawlers can never both take the same app.

export function claimApps(
  db: Db,
  appIds: string[],
  owner: string,
  leaseMs: number,
  now: Date,
  ownerGone: (owner: string) => boolean = () => false,
): string[] {
  const at = now.getTime();
  const held = db.stmt('SELECT owner, expires_at FROM crawl_leases WHERE app_id = ?');
  const put = db.stmt(
    `INSERT INTO crawl_leases (app_id, owner, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (app_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
  );
  return db.write(() => {
    const taken: string[] = [];
    for (const id of appIds) {
      const row = held.get(id) as { owner: string; expires_at: number } | undefined;
      if (row && row.owner !== owner && row.expires_at > at && !ownerGone(row.owner)) continue;
      put.run(id, owner, at + leaseMs);
      taken.push(id);
    }
    // Expired leases of crawlers that died are dropped as we go, so the table stays the size of the work in flight.
    db.stmt('DELETE FROM crawl_leases WHERE expires_at <= ?').run(at);
    return taken;
  });
}

export function releaseApps(db: Db, appIds: string[], owner: string): void {
  const del = db.stmt('DELETE FROM crawl_leases WHERE app_id = ? AND owner = ?');
  db.write(() => {
    for (const id of appIds) del.run(id, owner);
  });
}

export function markUnenriched(db: Db, appId: string, note: string, now: Date): void {
  db.write(() =>
    db
      .stmt(
        `INSERT INTO unenriched (app_id, noted_at, note) VALUES (?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET note = excluded.note`,
      )
      .run(appId, now.getTime(), note),
  );
}

export function clearUnenriched(db: Db, appId: string): void {
  db.write(() => db.stmt('DELETE FROM unenriched WHERE app_id = ?').run(appId));
}

export function unenriched(db: Db, limit: number): string[] {
  return db.stmt('SELECT app_id FROM unenriched ORDER BY noted_at, app_id LIMIT ?').pluck().all(limit) as string[];
}

export function knownRecordIds(db: Db, ids: string[]): Set<string> {
  const known = new Set<string>();
  // SQLite binds at most 32766 parameters; chunks of 500 keep each statement small and cacheable.
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const sql = `SELECT id FROM runs WHERE id IN (${part.map(() => '?').join(',')})`;
    for (const id of db.raw
      .prepare(sql)
      .pluck()
      .all(...part) as string[])
      known.add(id);
  }
  return known;
}
