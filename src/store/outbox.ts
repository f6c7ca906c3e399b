import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Advice, AdviceOutcome } from '../types.js';
import type { RunStore } from './types.js';
import { makeDirs } from '../config/home.js';
import { fileProblem } from '../format.js';

// The write-ahead outbox: what spot-submit's advice process writes to the store (an advice record, a "no advice"
// record, a launch's outcome) is first written here, one small JSON file per record or outcome, and removed once
// the store has taken it. A store that is down or slow, or an advice process killed at the end of its budget,
// leaves the file behind; `spot crawl` (before it links crawled runs to advice) and the next launch's advice
// process (once its spark-submit has started) replay it. Replays are idempotent: a record is created only where
// none of its id is stored (createAdvice), and an outcome is merged into its advice only once that advice is
// there (linkAdvice alone would drop it), so an entry replayed twice, or one whose write had landed after all,
// changes nothing.

/** The folder under $SPOT_HOME. */
export function outboxDir(home: string): string {
  return join(home, 'outbox');
}

/**
 * Most files the outbox keeps; writing one more drops the oldest, and says so. A site launching 1,000 jobs a day
 * keeps ten days of an unreachable store this way (each file a few kB: 10,000 are tens of MB at most), while a
 * store that never comes back cannot fill the home folder. The oldest go first: the advisor reads a job's newest
 * runs, so they matter least.
 */
const OUTBOX_LIMIT = 10_000;

/** A kept write: a record (advice, or "no advice" with its outcome) to create, or an outcome to link. */
export type OutboxEntry =
  | { kind: 'advice'; advice: Advice }
  | { kind: 'outcome'; adviceId: string; outcome: AdviceOutcome };

const VERSION = 1;
/** A file `keepEntry` was writing when its process died: never renamed, so nothing was written to the store. */
const STALE_TMP_MS = 60 * 60 * 1000;

export interface KeepOptions {
  limit?: number;
  now?: () => number;
  /** Said when the limit drops entries (a line without a prefix). */
  warn?: (line: string) => void;
}

/** Why keepEntry threw, where the file system refused: as every command words a path's fault, with its path. */
export function fileRefusal(e: unknown): string | undefined {
  const fsError = e as NodeJS.ErrnoException | undefined;
  return fsError?.syscall && fsError.path ? `${fsError.path}: ${fileProblem(e)}` : undefined;
}

/**
 * Writes the entry to a file of its own (private, whole or not at all: a temp file renamed into place) and returns
 * its path. Throws when it cannot be written.
 */
export function keepEntry(dir: string, entry: OutboxEntry, opts: KeepOptions = {}): string {
  makeDirs(dir, 0o700); // only its owner reads the history, as the store's folder
  const limit = opts.limit ?? OUTBOX_LIMIT;
  const held = entryFiles(dir, true);
  if (held.length >= limit) {
    const dropped = held.slice(0, held.length - limit + 1);
    for (const name of dropped) rmSync(join(dir, name), { force: true });
    opts.warn?.(
      `the outbox ${dir} holds ${limit} entries, its limit: dropped the oldest ${dropped.length} (${dropped[0]}), which the store never took`,
    );
  }
  const id = entry.kind === 'advice' ? entry.advice.id : entry.adviceId;
  const stamp = String(Math.max(0, Math.floor((opts.now ?? Date.now)()))).padStart(13, '0');
  // Named by time, so that a listing is in the order written (an advice before its outcome: "advice" < "outcome").
  const name = `${stamp}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}.${entry.kind}.json`;
  const file = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify({ v: VERSION, ...entry }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    // A full disk leaves the temp file empty: one per launch while it lasts, which nothing would read.
    rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}

/** Removes a kept entry once the store has taken it (one already gone is fine: another replay took it). */
export function dropEntry(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // It stays, and its replay changes nothing.
  }
}

/** Entries waiting for the store, oldest first (a corrupt one moved aside is not counted). */
export function pendingEntries(dir: string): string[] {
  return entryFiles(dir, false).map((name) => join(dir, name));
}

function entryFiles(dir: string, withBad: boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.') && (n.endsWith('.json') || (withBad && n.endsWith('.json.bad'))))
    .sort();
}

/**
 * Writes the outcome into its advice record; false (nothing written) when that record is not in the store, as
 * linkAdvice alone would drop the outcome without a word.
 */
export async function linkOutcome(store: RunStore, adviceId: string, outcome: AdviceOutcome): Promise<boolean> {
  if (!(await store.getAdvice(adviceId))) return false;
  await store.linkAdvice(adviceId, outcome);
  return true;
}

export interface ReplayOptions {
  /** A line without a prefix: a corrupt entry moved aside. */
  warn: (line: string) => void;
  /** Checked before each entry: true stops the replay, leaving the rest. */
  stop?: () => boolean;
  /** Entries the caller writes itself (an advice process's own). */
  skip?: (file: string) => boolean;
  now?: () => number;
}

export interface ReplaySummary {
  /** Entries the store took (and removed here). */
  stored: number;
  /** Corrupt entries moved aside. */
  bad: number;
  /** Entries still pending afterwards (any process's). */
  left: number;
  /** Why the store refused, when it did. */
  error?: string;
}

/** After this many store failures in a row the store is taken to be down: the rest wait for the next replay. */
const FAILURES_IN_A_ROW = 3;

/** Writes pending entries to the store, oldest first; removes each once the store has taken it. */
export async function replayOutbox(dir: string, store: RunStore, opts: ReplayOptions): Promise<ReplaySummary> {
  removeStaleTmp(dir, (opts.now ?? Date.now)());
  let stored = 0;
  let bad = 0;
  let failures = 0;
  let error: string | undefined;
  // Outcomes whose advice was not stored when they came up. Entries are named by their writer's clock, so an outcome
  // written after its advice but stamped earlier (the clock stepped back meanwhile) comes up first; once this pass
  // has stored advice records, those outcomes are tried again, not left for the next replay (a crawl hours later).
  const waiting: string[] = [];
  let advised = 0;
  const take = async (file: string): Promise<'done' | 'waits' | 'stop' | 'next'> => {
    let entry: OutboxEntry | undefined;
    try {
      entry = readEntry(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'next'; // another replay took it meanwhile
      bad++;
      moveAside(file, e, opts.warn);
      return 'next';
    }
    try {
      const done = entry.kind === 'advice' ? await createRecord(store, entry.advice) : await linkEntry(store, entry);
      failures = 0;
      if (!done) return 'waits';
      dropEntry(file);
      stored++;
      if (entry.kind === 'advice') advised++;
      return 'done';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      return ++failures >= FAILURES_IN_A_ROW ? 'stop' : 'next';
    }
  };
  let stopped = false;
  for (const file of pendingEntries(dir)) {
    if (opts.stop?.()) {
      stopped = true;
      break;
    }
    if (opts.skip?.(file)) continue;
    const taken = await take(file);
    if (taken === 'waits') waiting.push(file);
    if (taken === 'stop') {
      stopped = true;
      break;
    }
  }
  for (const file of advised > 0 && !stopped ? waiting : []) {
    if (opts.stop?.() || (await take(file)) === 'stop') break;
  }
  return { stored, bad, left: pendingEntries(dir).length, ...(error !== undefined ? { error } : {}) };
}

async function createRecord(store: RunStore, advice: Advice): Promise<boolean> {
  await store.createAdvice(advice);
  return true;
}

/** An outcome whose advice is not stored (nor pending before it) waits: its advice may be replayed later. */
function linkEntry(store: RunStore, entry: { adviceId: string; outcome: AdviceOutcome }): Promise<boolean> {
  return linkOutcome(store, entry.adviceId, entry.outcome);
}

function readEntry(file: string): OutboxEntry {
  // Read only a regular file: a FIFO named like an entry would hold the replay (spot crawl, an advice process) forever.
  if (!lstatSync(file).isFile()) throw new Error('not a regular file');
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(value) || value.v !== VERSION) throw new Error('not an outbox entry of this version');
  if (value.kind === 'advice' && isObject(value.advice)) {
    const a = value.advice;
    if (typeof a.id === 'string' && typeof a.app === 'string' && typeof a.createdAt === 'string')
      return { kind: 'advice', advice: a as unknown as Advice };
  }
  if (value.kind === 'outcome' && typeof value.adviceId === 'string' && isObject(value.outcome))
    return { kind: 'outcome', adviceId: value.adviceId, outcome: value.outcome as AdviceOutcome };
  throw new Error('neither an advice record nor an outcome');
}

function moveAside(file: string, why: unknown, warn: (line: string) => void): void {
  const reason = why instanceof SyntaxError ? 'not JSON' : why instanceof Error ? why.message : String(why);
  try {
    renameSync(file, `${file}.bad`);
    warn(`outbox entry ${file} cannot be read (${reason}); moved aside to ${file}.bad`);
  } catch (e) {
    warn(`outbox entry ${file} cannot be read (${reason}), nor moved aside: ${(e as Error).message}`);
  }
}

function removeStaleTmp(dir: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('.') && n.endsWith('.tmp'));
  } catch {
    return;
  }
  for (const name of names) {
    try {
      const file = join(dir, name);
      if (now - statSync(file).mtimeMs > STALE_TMP_MS) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}
