import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { switchToWal } from '../../src/store/sqlite/wal.js';

/** A connection whose WAL switch fails with `codes` in turn, then succeeds; and a clock that moves only by sleeps. */
function stand(codes: string[]) {
  let t = 0;
  const calls: string[] = [];
  const db = {
    pragma(source: string) {
      calls.push(source);
      const code = codes.shift();
      if (code) throw Object.assign(new Error(code === 'SQLITE_BUSY' ? 'database is locked' : code), { code });
      return 'wal';
    },
  };
  const clock = {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
    },
  };
  return { db, clock, calls, elapsed: () => t };
}

describe('switching a database to WAL', () => {
  test('busy while another process switches the fresh file: tried again until it is done', () => {
    const s = stand(['SQLITE_BUSY', 'SQLITE_BUSY']);
    switchToWal(s.db, 5000, s.clock);
    assert.deepEqual(s.calls, ['journal_mode = WAL', 'journal_mode = WAL', 'journal_mode = WAL']);
    assert.ok(s.elapsed() > 0);
  });

  test('still busy when the budget is spent: the busy error, as a write would give it', () => {
    const s = stand(Array(1000).fill('SQLITE_BUSY'));
    assert.throws(
      () => switchToWal(s.db, 100, s.clock),
      (e: Error & { code?: string }) => e.code === 'SQLITE_BUSY',
    );
    assert.ok(s.elapsed() >= 100 && s.elapsed() < 200, `${s.elapsed()}`);
  });

  test('any other failure is not tried again', () => {
    const s = stand(['SQLITE_IOERR']);
    assert.throws(() => switchToWal(s.db, 5000, s.clock), /SQLITE_IOERR/);
    assert.equal(s.calls.length, 1);
  });
});
