import { accessSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { migrate, refuseUnusable } from './schema.js';
import { switchToWal } from './wal.js';
import { makeDirs } from '../../config/home.js';
import { fileProblem } from '../../format.js';

/** A connection plus a cache of prepared statements (preparing costs more than running, on the hot paths). */
export class Db {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(
    readonly raw: Database.Database,
    readonly path: string,
  ) {}

  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Every write runs in BEGIN IMMEDIATE: a deferred transaction that reads first and then writes gets
   * SQLITE_BUSY from a concurrent writer without the busy timeout ever being consulted (research §2). */
  write<T>(fn: () => T): T {
    return this.raw.transaction(fn).immediate();
  }
}

/**
 * Pages of 8 KB rather than SQLite's 4 KB: a compressed document is 2-4 KB, and at 4 KB pages most pages
 * hold one document and much empty space (bench/store.ts: 10.1 KB per app at 4 KB, 8.0 at 8 KB, 7.9 at 16 KB,
 * while larger pages cost the small lookups spot-submit makes). A page size takes effect only on a new file,
 * or through `spot store compact` (compact.ts).
 */
export const PAGE_SIZE = 8192;

const SQLITE_FILE_ERRORS = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CANTOPEN']);
const isFileError = (err: unknown) => SQLITE_FILE_ERRORS.has((err as { code?: string } | undefined)?.code ?? '');

/**
 * A damaged file found while reading or writing (SQLite reads a page only when it needs it, so opening does not
 * find it): one StoreError that names the file and what to do, not SQLite's bare "database disk image is
 * malformed". Any other error is returned as it is.
 */
export function damagedFileError(path: string, err: unknown): unknown {
  if ((err as { code?: string } | undefined)?.code === 'SQLITE_CANTOPEN') return cannotOpen(path, err);
  if (!isFileError(err)) return err;
  return new StoreError(
    `the Spot database ${path} is damaged (${(err as Error).message}): restore it from a backup, or move it away and crawl again (sqlite3's .recover may save its rows)`,
    { cause: err },
  );
}

/**
 * SQLITE_CANTOPEN: the file or its folder is not open to this user (another user's 0600 store, a read-only mount, a
 * folder where the file should be), not a damaged or foreign file. Moving it away, as those are told, would set
 * a healthy history aside.
 */
function cannotOpen(path: string, err: unknown): StoreError {
  return new StoreError(
    `cannot open the Spot database ${path} (${(err as Error).message}): it must be a file you may read and write, in a folder you may write (SQLite keeps ${path}-wal and ${path}-shm beside it)`,
    { cause: err },
  );
}

/**
 * The database holds what the History Server showed about every app: only its owner reads it. A new file is
 * created 0600 (SQLite gives its -wal and -shm files the same mode) in folders created 0700; an existing
 * file or folder keeps the mode its owner chose.
 */
function createPrivately(path: string): void {
  makeDirs(dirname(path), 0o700);
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
}

/** How long a write waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;
/** Bytes a write-ahead log is cut back to once emptied: twice what SQLite's automatic checkpoints let it reach. */
const WAL_SIZE_LIMIT = 16 * 1024 * 1024;

/** Which of an existing database file and its folder this user cannot write to, or undefined. */
function notWritable(path: string): string | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined;
  const writable = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!writable(path)) return 'the file';
  return writable(dirname(path)) ? undefined : `its folder ${dirname(path)}`;
}

/** The file's stat, or undefined where there is none; a path that cannot be (under a file) is one StoreError. */
function statOf(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw new StoreError(`cannot open the Spot database ${path}: ${fileProblem(err)}`, { cause: err });
  }
}

export function openDb(path: string): Db {
  let db: Database.Database | undefined;
  const stat = path === ':memory:' ? undefined : statOf(path);
  if (stat?.isDirectory()) {
    // Not a damaged database to move away: store.path names the file itself.
    throw new StoreError(
      `the Spot database ${path} is a folder: store.path names the database file, e.g. ${join(path, 'spot.db')}`,
    );
  }
  if (stat && !stat.isFile()) {
    // A FIFO, a socket or a device: SQLite would open it and fail on the first page, or wait on it.
    throw new StoreError(`the Spot database ${path} is not a regular file: store.path names the database file`);
  }
  try {
    if (path !== ':memory:') createPrivately(path);
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    refuseUnusable(db, path); // before the pragmas below, which write to the file
    db.pragma(`page_size = ${PAGE_SIZE}`);
    switchToWal(db, BUSY_TIMEOUT_MS);
    db.pragma('synchronous = NORMAL');
    // A write-ahead log grown past this (a compaction's VACUUM while another process read, a large transaction) is
    // cut back to it once emptied; without a limit it keeps its largest size for as long as a connection is open
    // (a looping crawl: weeks), as large as the whole database after a VACUUM.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    migrate(db, path);
    return new Db(db, path);
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err;
    const code = (err as { code?: string } | undefined)?.code ?? '';
    const readOnly = code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') ? notWritable(path) : undefined;
    if (readOnly) {
      // A sound database this user may not write to (SQLite writes its -wal and -shm files beside it even to read):
      // moving it away, as for a damaged one, would be the wrong advice.
      throw new StoreError(
        `cannot open the Spot database ${path}: ${readOnly} is not writable by this user, and SQLite writes beside ` +
          'the database (its -wal and -shm files) even to read it: run as the user that crawls, or copy the store ' +
          'to a writable folder and point store.path there',
        { cause: err },
      );
    }
    if (code === 'SQLITE_CANTOPEN') throw cannotOpen(path, err);
    if (isFileError(err)) {
      throw new StoreError(
        `${path} is not a usable Spot database (${(err as Error).message}); move it away or set store.path`,
        {
          cause: err,
        },
      );
    }
    // A folder Spot could not make (Node's fs error, with its syscall) reads as every command words a path's fault.
    const why = (err as NodeJS.ErrnoException).syscall ? fileProblem(err) : (err as Error).message;
    throw new StoreError(`cannot open the Spot database ${path}: ${why}`, { cause: err });
  }
}
