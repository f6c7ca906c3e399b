import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { keepEntry, outboxDir, pendingEntries, replayOutbox } from '../../src/store/outbox.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { advice, T0 } from './factories.js';

// The write-ahead outbox (src/store/outbox.ts) against a real SQLite store in a temporary folder.

async function withHome(fn: (home: string, store: SqliteStore) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'spot-outbox-'));
  const store = await SqliteStore.open(join(home, 'spot.db'));
  try {
    await fn(home, store);
  } finally {
    await store.close().catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
}

const noWarnings = (line: string) => assert.fail(`unexpected warning: ${line}`);

describe('outbox', () => {
  test('an entry is a private file of its own; a replay stores it and removes the file', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      const file = keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) });
      keepEntry(dir, { kind: 'outcome', adviceId: 'adv-1', outcome: { exitCode: 1, wallMs: 900 } });
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(pendingEntries(dir).length, 2);
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.endsWith('.tmp')),
        [],
        'no temp file left',
      );

      const r = await replayOutbox(dir, store, { warn: noWarnings });
      assert.deepEqual(r, { stored: 2, bad: 0, left: 0 });
      assert.deepEqual((await store.getAdvice('adv-1'))?.outcome, { exitCode: 1, wallMs: 900 });
      assert.deepEqual(pendingEntries(dir), []);
    }));

  test('replaying a record that had landed after all leaves what was linked since', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      await store.putAdvice(advice('adv-1', 'etl', T0));
      await store.linkAdvice('adv-1', { exitCode: 0, runId: 'application_1-0' });
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) });
      assert.equal((await replayOutbox(dir, store, { warn: noWarnings })).stored, 1);
      assert.deepEqual((await store.getAdvice('adv-1'))?.outcome, { exitCode: 0, runId: 'application_1-0' });
    }));

  test('an outcome whose advice is not stored waits for it, instead of being dropped', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      keepEntry(dir, { kind: 'outcome', adviceId: 'adv-1', outcome: { exitCode: 1 } }, { now: () => T0 });
      assert.deepEqual(await replayOutbox(dir, store, { warn: noWarnings }), { stored: 0, bad: 0, left: 1 });
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 + 1 });
      // The advice, once stored, takes the outcome that waited for it in the same replay.
      assert.deepEqual(await replayOutbox(dir, store, { warn: noWarnings }), { stored: 2, bad: 0, left: 0 });
      assert.deepEqual((await store.getAdvice('adv-1'))?.outcome, { exitCode: 1 });
    }));

  test('the clock stepped back between an advice and its outcome: one replay stores both, the outcome linked', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      // Written in this order, but the outcome's stamp is an hour before the advice's, so it is listed first.
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 + 3_600_000 });
      keepEntry(dir, { kind: 'outcome', adviceId: 'adv-1', outcome: { exitCode: 3, wallMs: 5 } }, { now: () => T0 });
      keepEntry(dir, { kind: 'outcome', adviceId: 'adv-gone', outcome: { exitCode: 0 } }, { now: () => T0 + 1 });
      // The outcome of an advice that is nowhere still waits (its record may come later), tried twice, kept once.
      assert.deepEqual(await replayOutbox(dir, store, { warn: noWarnings }), { stored: 2, bad: 0, left: 1 });
      assert.deepEqual((await store.getAdvice('adv-1'))?.outcome, { exitCode: 3, wallMs: 5 });
      assert.equal(pendingEntries(dir).length, 1);
    }));

  test('an entry that cannot be written leaves no temp file behind (a full disk: one per launch otherwise)', () =>
    withHome(async (home) => {
      const dir = outboxDir(home);
      // The rename fails: a folder holds the entry's name (as ENOSPC would fail the write, after the file is made).
      const name = `${String(T0).padStart(13, '0')}-adv-1.advice.json`;
      mkdirSync(join(dir, name, 'x'), { recursive: true });
      assert.throws(() => keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 }));
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.endsWith('.tmp')),
        [],
      );
    }));

  test('a corrupt entry is moved aside with one warning; the others are stored', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 });
      const corrupt = join(dir, '0000000000001-broken.advice.json');
      writeFileSync(corrupt, '{"v":1,"kind":"adv');
      const wrong = join(dir, '0000000000002-wrong.outcome.json');
      writeFileSync(wrong, '{"v":1,"kind":"outcome"}');
      const warnings: string[] = [];
      const r = await replayOutbox(dir, store, { warn: (l) => warnings.push(l) });
      assert.deepEqual(r, { stored: 1, bad: 2, left: 0 });
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.match(warnings[0]!, /broken\.advice\.json cannot be read \(not JSON\); moved aside to .*\.bad$/);
      assert.match(warnings[1]!, /wrong\.outcome\.json cannot be read \(neither an advice record nor an outcome\)/);
      assert.deepEqual(readdirSync(dir).sort(), [`${basename(corrupt)}.bad`, `${basename(wrong)}.bad`]);
      assert.deepEqual(await replayOutbox(dir, store, { warn: noWarnings }), { stored: 0, bad: 0, left: 0 });
    }));

  test('an entry that is no regular file (a FIFO) is moved aside unread, not waited on', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 });
      const fifo = join(dir, '0000000000001-fifo.outcome.json');
      execFileSync('mkfifo', [fifo]);
      const warnings: string[] = [];
      const r = await replayOutbox(dir, store, { warn: (l) => warnings.push(l) });
      assert.deepEqual(r, { stored: 1, bad: 1, left: 0 });
      assert.match(warnings.join('\n'), /fifo\.outcome\.json cannot be read \(not a regular file\); moved aside/);
    }));

  test('the outbox is capped: writing past its limit drops the oldest, and says so', () =>
    withHome(async (home) => {
      const dir = outboxDir(home);
      const warnings: string[] = [];
      const keep = (id: string, ms: number) =>
        keepEntry(
          dir,
          { kind: 'advice', advice: advice(id, 'etl', T0) },
          { limit: 3, now: () => ms, warn: (l) => warnings.push(l) },
        );
      keep('a1', T0);
      keep('a2', T0 + 1);
      keep('a3', T0 + 2);
      assert.deepEqual(warnings, []);
      keep('a4', T0 + 3);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /holds 3 entries, its limit: dropped the oldest 1 \(\d+-a1\.advice\.json\)/);
      assert.deepEqual(
        pendingEntries(dir).map((f) => basename(f).replace(/^\d+-/, '')),
        ['a2.advice.json', 'a3.advice.json', 'a4.advice.json'],
      );
    }));

  test('a store that refuses: the entries stay, and the replay gives up after three failures in a row', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      for (let i = 0; i < 5; i++)
        keepEntry(dir, { kind: 'advice', advice: advice(`adv-${i}`, 'etl', T0) }, { now: () => T0 + i });
      let calls = 0;
      const refusing = Object.create(store) as SqliteStore;
      refusing.createAdvice = async () => {
        calls++;
        throw new Error('store locked');
      };
      const r = await replayOutbox(dir, refusing, { warn: noWarnings });
      assert.deepEqual(r, { stored: 0, bad: 0, left: 5, error: 'store locked' });
      assert.equal(calls, 3);
      assert.equal((await replayOutbox(dir, store, { warn: noWarnings })).stored, 5);
    }));

  test('a replay stops taking entries when asked; a temp file a killed writer left is removed once stale', () =>
    withHome(async (home, store) => {
      const dir = outboxDir(home);
      keepEntry(dir, { kind: 'advice', advice: advice('adv-1', 'etl', T0) }, { now: () => T0 });
      keepEntry(dir, { kind: 'advice', advice: advice('adv-2', 'etl', T0) }, { now: () => T0 + 1 });
      const tmp = join(dir, '.0000000000003-adv-3.advice.json.123.tmp');
      writeFileSync(tmp, '{"v":1');
      const old = new Date(T0);
      utimesSync(tmp, old, old);
      let taken = 0;
      const r = await replayOutbox(dir, store, {
        warn: noWarnings,
        stop: () => taken++ > 0,
        now: () => T0 + 2 * 60 * 60 * 1000,
      });
      assert.deepEqual(r, { stored: 1, bad: 0, left: 1 });
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.endsWith('.tmp')),
        [],
      );
    }));
});
