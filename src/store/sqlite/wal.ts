// Two processes opening one fresh database at once (a crawl and spot-submit's feedback, two crawlers) both switch it
// to write-ahead logging. The switch takes the exclusive lock; SQLite answers the one of them that would deadlock
// waiting for it SQLITE_BUSY at once, without consulting the busy timeout. Once the other has switched, the file is
// in WAL mode and the switch is a no-op: so a busy switch is tried again, within the same time a write would wait.

/** The one call of a connection the switch needs. */
export interface PragmaRunner {
  pragma(source: string): unknown;
}

export interface WalSwitchClock {
  now: () => number;
  sleep: (ms: number) => void;
}

/** A synchronous pause: better-sqlite3 opens synchronously, and so does the store. */
const blockFor = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

const RETRY_PAUSE_MS = 20;

/** Sets journal_mode = WAL, trying again while SQLite says busy, for up to `budgetMs`. */
export function switchToWal(
  db: PragmaRunner,
  budgetMs: number,
  clock: WalSwitchClock = { now: Date.now, sleep: blockFor },
): void {
  const until = clock.now() + budgetMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const busy = (err as { code?: string } | undefined)?.code === 'SQLITE_BUSY';
      if (!busy || clock.now() >= until) throw err;
      clock.sleep(RETRY_PAUSE_MS);
    }
  }
}
