import { MODELS_PER_JOB } from '../common.js';
import type { StoredModel } from '../types.js';
import type { Db } from './open.js';

export { MODELS_PER_JOB };

export function models(db: Db, app: string): StoredModel[] {
  const rows = db
    .stmt('SELECT app, query, fingerprint, version, stored_at, doc FROM models WHERE app = ? ORDER BY stored_at DESC')
    .all(app) as {
    app: string;
    query: string;
    fingerprint: string;
    version: string;
    stored_at: number;
    doc: string;
  }[];
  const out: StoredModel[] = [];
  for (const r of rows) {
    try {
      out.push({
        app: r.app,
        query: r.query,
        fingerprint: r.fingerprint,
        version: r.version,
        storedAt: new Date(r.stored_at).toISOString(),
        doc: JSON.parse(r.doc) as unknown,
      });
    } catch {
      // A garbled row is no model: it is refitted and overwritten.
    }
  }
  return out;
}

export function putModel(db: Db, m: StoredModel): void {
  db.write(() => {
    db.stmt(
      `INSERT INTO models (app, query, fingerprint, version, stored_at, doc) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (app, query) DO UPDATE SET fingerprint = excluded.fingerprint, version = excluded.version, stored_at = excluded.stored_at, doc = excluded.doc`,
    ).run(m.app, m.query, m.fingerprint, m.version, Date.parse(m.storedAt) || Date.now(), JSON.stringify(m.doc));
    db.stmt(
      `DELETE FROM models WHERE app = ? AND query NOT IN (SELECT query FROM models WHERE app = ? ORDER BY stored_at DESC, query LIMIT ${MODELS_PER_JOB})`,
    ).run(m.app, m.app);
  });
}
