import { StoreError } from '../errors.js';
import type { Db } from './open.js';

// A document that is no longer JSON (a row edited or cut by another program; SQLite's own checks pass) fails only
// when it is read, as a bare "Unterminated string in JSON" that names neither the file nor the row. The rows are
// found only then, by SQLite's json_valid over the columns that hold documents; a packed (deflated) document is a
// blob that the scan passes over.

/** The columns documents are stored in, whichever table holds them (sqlite/schema.ts). */
const DOCUMENT_COLUMNS = new Set(['doc', 'record', 'summary']);
/** Rows named in the message at most: past a few, the cause is one and the remedy the same. */
const NAMED = 5;

interface Column {
  name: string;
  pk: number;
}

function damagedRows(db: Db): string[] {
  const found: string[] = [];
  const tables = db.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  for (const table of tables) {
    const cols = db.raw.prepare(`PRAGMA table_info(${table})`).all() as Column[];
    const docs = cols.filter((c) => DOCUMENT_COLUMNS.has(c.name)).map((c) => c.name);
    const key = cols
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    if (docs.length === 0 || key.length === 0 || found.length >= NAMED) continue;
    const bad = docs.map((c) => `(typeof(${c}) = 'text' AND NOT json_valid(${c}))`).join(' OR ');
    const ids = db.raw
      .prepare(`SELECT ${key.join(" || ' ' || ")} FROM ${table} WHERE ${bad} LIMIT ?`)
      .pluck()
      .all(NAMED - found.length) as string[];
    found.push(...ids.map((id) => `${table} '${id}'`));
  }
  return found;
}

/**
 * A stored document that could not be parsed: one StoreError that names the file, the damaged rows and what to
 * do. Nothing is changed: the rows are the user's to restore or remove. Where no stored text fails SQLite's own
 * check (a packed document, or a parse error of Spot's own making), the error is returned as it was: nothing in the
 * file is shown to be damaged.
 */
export function damagedRowsError(db: Db, err: SyntaxError): unknown {
  let rows: string[] = [];
  try {
    rows = damagedRows(db);
  } catch {
    return err;
  }
  if (rows.length === 0) return err;
  return new StoreError(
    `the Spot database ${db.path} holds a document that is not JSON (${err.message}): ${rows.join(', ')}` +
      `${rows.length >= NAMED ? ' and maybe more' : ''}. Something other than Spot wrote or cut it: restore the file ` +
      "from a backup, or delete those rows with sqlite3 (a crawl stores a run's documents again from its History " +
      'Server or event log)',
    { cause: err },
  );
}
