import { StoreError } from '../errors.js';
import type { Db } from './open.js';

// A document that is no longer JSON (a row edited or cut by another program; SQLite's own checks pass) fails only
// when it is read, as a bare "Unterminated string in JSON" that names neither the file nor the row. The rows are
// found only then, by SQLite's json_valid over the tables' JSON columns; a packed (deflated) document is a blob
// that the scan passes over.

/** Each table's JSON document columns and the expression that names a row of it. */
const JSON_COLUMNS: readonly { table: string; key: string; columns: readonly string[] }[] = [
  { table: 'runs', key: 'id', columns: ['record'] },
  { table: 'advice', key: 'id', columns: ['doc'] },
  { table: 'agg', key: 'doc_id', columns: ['doc', 'summary'] },
  { table: 'raw', key: 'app_id', columns: ['doc'] },
  { table: 'errors', key: 'doc_id', columns: ['doc'] },
  { table: 'models', key: "app || ' ' || query", columns: ['doc'] },
  { table: 'yarn_cluster', key: 'doc_id', columns: ['doc'] },
  { table: 'yarn_apps', key: 'app_id', columns: ['doc'] },
  { table: 'yarn_scheduler', key: 'doc_id', columns: ['doc'] },
  { table: 'yarn_errors', key: 'doc_id', columns: ['doc'] },
];
/** Rows named in the message at most: past a few, the cause is one and the remedy the same. */
const NAMED = 5;

function damagedRows(db: Db): string[] {
  const found: string[] = [];
  for (const { table, key, columns } of JSON_COLUMNS) {
    const bad = columns.map((c) => `(typeof(${c}) = 'text' AND NOT json_valid(${c}))`).join(' OR ');
    const ids = db.raw
      .prepare(`SELECT ${key} FROM ${table} WHERE ${bad} LIMIT ?`)
      .pluck()
      .all(NAMED - found.length) as string[];
    found.push(...ids.map((id) => `${table} '${id}'`));
    if (found.length >= NAMED) break;
  }
  return found;
}

/**
 * A stored document that could not be parsed: one StoreError that names the file, the damaged rows and what to
 * do. Nothing is changed: the rows are the user's to restore or remove.
 */
export function damagedRowsError(db: Db, err: SyntaxError): StoreError {
  let rows: string[] = [];
  try {
    rows = damagedRows(db);
  } catch {
    // The scan is a courtesy: the message stands without the rows.
  }
  const which = rows.length ? `: ${rows.join(', ')}${rows.length >= NAMED ? ' and maybe more' : ''}` : '';
  return new StoreError(
    `the Spot database ${db.path} holds a document that is not JSON (${err.message})${which}. Something other than ` +
      'Spot wrote or cut it: restore the file from a backup, or delete those rows with sqlite3 (a crawl stores a ' +
      "run's documents again from its History Server or event log)",
    { cause: err },
  );
}
