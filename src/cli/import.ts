import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hasRecordIds } from '../store/crawl-leases.js';
import type { RunStore } from '../store/types.js';
import type { RunRecord } from '../types.js';
import { UserFacingError, type CliContext } from './context.js';
import { plural, printable } from '../format.js';
import { fileError } from './file-error.js';
import { lineParser } from './import-lines.js';

// `spot import FILE` (or - for standard input): run records as JSON lines, for migrating history from other
// tools and for evaluation. One bad line and nothing is stored, so a fixed file can simply be re-run. The file is
// read twice as a stream (check every line, then store in batches), so no line is held beyond its batch (only the
// check for runs given twice grows with the file, by a few hundred bytes a run); ids
// derived from the content make a re-run after a crash store each run once.

const BATCH = 1000;
const MAX_ERROR_LINES = 20;
const MAX_APPS_LISTED = 10;

export { derivedId, parseRunLines } from './import-lines.js';

/** A line that is not UTF-8: where its first bad byte is (0-based) and what it is. */
interface NotUtf8 {
  at: number;
  byte: number;
}

/** A line longer than MAX_LINE_BYTES, skipped unread. */
interface TooLong {
  tooLong: true;
}

/**
 * Longest line read. A run record is a few hundred bytes; a "line" past this is a file of another kind (binary, a
 * JSON document on one line), which would otherwise be gathered whole, up to the longest text Node can hold.
 */
const MAX_LINE_BYTES = 2 ** 20;

/**
 * The file's lines, numbered from 1, each decoded as UTF-8, or where it is not: decoding it anyway would turn
 * Latin-1 names ("Müller" as one byte 0xFC) into U+FFFD and store them so, a loss nobody would see.
 */
async function* numberedLines(file: string): AsyncGenerator<[number, string | NotUtf8 | TooLong]> {
  let n = 0;
  // Split at \n, \r\n or a lone \r, as readline does; every byte of those is ASCII, so no character is split.
  const line = (bytes: Buffer): [number, string | NotUtf8 | TooLong] => {
    n += 1;
    if (tooLong || bytes.length > MAX_LINE_BYTES) {
      tooLong = false;
      return [n, { tooLong: true }];
    }
    // A byte-order mark, as editors and tools on Windows write one, is not part of the first line's JSON.
    const body = n === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    return [n, isUtf8(body) ? body.toString('utf8') : notUtf8(body)];
  };
  let rest: Buffer[] = [];
  let restBytes = 0;
  // The line being read is past MAX_LINE_BYTES: its bytes are dropped up to its end.
  let tooLong = false;
  let lastCr = false;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c !== 0x0a && c !== 0x0d) continue;
      if (c === 0x0a && lastCr && i === start && rest.length === 0 && !tooLong) {
        start = i + 1; // the \n of a \r\n whose \r ended the previous line
        lastCr = false;
        continue;
      }
      yield line(tooLong ? Buffer.alloc(0) : Buffer.concat([...rest, chunk.subarray(start, i)]));
      rest = [];
      restBytes = 0;
      lastCr = c === 0x0d;
      start = i + 1;
    }
    if (start < chunk.length) {
      if (!tooLong) {
        rest.push(chunk.subarray(start));
        restBytes += chunk.length - start;
      }
      if (restBytes > MAX_LINE_BYTES) {
        rest = [];
        restBytes = 0;
        tooLong = true;
      }
      lastCr = false;
    }
  }
  if (rest.length > 0 || tooLong) yield line(Buffer.concat(rest));
}

/** The first byte of `bytes` that is no part of a UTF-8 character (a real U+FFFD is three bytes EF BF BD). */
function notUtf8(bytes: Buffer): NotUtf8 {
  let at = 0;
  for (const ch of bytes.toString('utf8')) {
    if (ch === '\uFFFD' && !(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) break;
    at += Buffer.byteLength(ch);
  }
  return { at, byte: bytes[at] ?? 0 };
}

const TOO_LONG_TEXT = `longer than ${MAX_LINE_BYTES / 2 ** 20} MiB, not a run record (is the file JSON lines?)`;

/** A line's problem when it is not UTF-8, in words. */
function notUtf8Text(bad: NotUtf8): string {
  const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0');
  return `not UTF-8: byte 0x${hex} at byte ${bad.at + 1} of the line (save the file as UTF-8, e.g. iconv -f latin1 -t utf-8)`;
}

export interface ImportCounts {
  /** Non-blank lines read. */
  lines: number;
  /** Runs not in the store before (a line repeated in the file counts once). */
  fresh: number;
  /** New runs per job key. */
  perApp: Map<string, number>;
  /** False when the store cannot tell stored ids apart (then `fresh` counts every distinct run). */
  exact: boolean;
}

/** Stores every line of a checked file, in batches, counting the runs that were not stored before. */
async function storeLines(file: string, store: RunStore, parse: ReturnType<typeof lineParser>): Promise<ImportCounts> {
  const counts: ImportCounts = { lines: 0, fresh: 0, perApp: new Map(), exact: hasRecordIds(store) };
  let batch = new Map<string, RunRecord>();
  const flush = async () => {
    if (batch.size === 0) return;
    const known = hasRecordIds(store) ? await store.knownRecordIds([...batch.keys()]) : new Set<string>();
    for (const r of batch.values()) {
      if (known.has(r.id)) continue;
      counts.fresh += 1;
      counts.perApp.set(r.app, (counts.perApp.get(r.app) ?? 0) + 1);
    }
    await store.putRecords([...batch.values()]);
    batch = new Map();
  };
  for await (const [, raw] of numberedLines(file)) {
    if (typeof raw !== 'string') continue; // refused by the check before
    const p = parse(raw);
    if (!('record' in p)) continue;
    counts.lines += 1;
    // A repeat inside one batch is caught here; one in a later batch finds the run stored by then.
    batch.set(p.record.id, p.record);
    if (batch.size >= BATCH) await flush();
  }
  await flush();
  return counts;
}

export function formatImport(c: ImportCounts): string {
  const sorted = [...c.perApp].sort(([a], [b]) => a.localeCompare(b)).map(([app, n]) => `${printable(app)} ${n}`);
  // A migration of hundreds of jobs: the first few by name, then how many more.
  const list =
    sorted.length > MAX_APPS_LISTED
      ? [...sorted.slice(0, MAX_APPS_LISTED), `… ${sorted.length - MAX_APPS_LISTED} more jobs`]
      : sorted;
  const what = c.exact ? `${plural(c.fresh, 'new run')}` : `${plural(c.fresh, 'run')} stored`;
  return `imported ${plural(c.lines, 'line')}, ${what}${list.length ? `: ${list.join(', ')}` : ''}\n`;
}

/** The FILE that means standard input. */
const STDIN = '-';

export async function runImport(opts: { args?: string[] }, ctx: CliContext): Promise<number> {
  const given = opts.args?.[0];
  if (!given) throw new UserFacingError('spot import needs a file of JSON lines (- for standard input)', 2);
  if (given !== STDIN && !(await readsOnce(given))) return importFile(given, given, ctx);
  // The lines are read twice (checked whole, then stored), and standard input, a pipe (`<(zcat runs.gz)`,
  // /dev/stdin) or a FIFO only once: it is kept in a private temporary file meanwhile, removed when the import ends.
  const dir = await mkdtemp(join(tmpdir(), 'spot-import-'));
  try {
    const file = join(dir, 'lines.jsonl');
    const source =
      given === STDIN
        ? process.stdin
        : await open(given, 'r').then(
            (f) => f.createReadStream(),
            (e: NodeJS.ErrnoException) => {
              throw fileError(`cannot read ${given}`, e);
            },
          );
    await pipeline(source, createWriteStream(file, { mode: 0o600 }));
    return await importFile(file, given === STDIN ? 'standard input' : given, ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether `path` can be read only once (a pipe, a FIFO, a terminal); a file, a folder or nothing is importFile's. */
async function readsOnce(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the file is one JSON document (an array of runs, or a run pretty-printed over many lines), what turns it
 * into JSON lines; else nothing. Every one of its lines is bad, and the line errors alone do not say why.
 */
function oneDocument(first: string | undefined, name: string): string {
  const jq = first?.startsWith('[') ? "jq -c '.[]'" : first === '{' ? 'jq -c .' : undefined;
  if (jq === undefined) return '';
  const fix = name === 'standard input' ? `pipe it through ${jq} into spot import -` : `${jq} ${name} | spot import -`;
  return `; it is one JSON document, not JSON lines (one run per line): ${fix}`;
}

/** Imports the lines of `file`, named `name` in messages. */
async function importFile(file: string, name: string, ctx: CliContext): Promise<number> {
  try {
    await access(file);
  } catch (e) {
    throw fileError(`cannot read ${name}`, e);
  }
  const parse = lineParser(new Date());
  let bad = 0;
  /** The first line that is not blank: `[` or a lone `{` opens one JSON document rather than JSON lines. */
  let first: string | undefined;
  // One id, one run: a repeated line is one run, but an id given to two different runs would keep the last silently.
  const seen = new Map<string, { line: number; digest: string }>();
  try {
    for await (const [n, raw] of numberedLines(file)) {
      if (first === undefined && typeof raw === 'string' && raw.trim() !== '') first = raw.trim();
      const p = typeof raw === 'string' ? parse(raw) : { error: 'tooLong' in raw ? TOO_LONG_TEXT : notUtf8Text(raw) };
      let error = 'error' in p ? p.error : undefined;
      if ('record' in p) {
        const digest = createHash('sha256').update(JSON.stringify(p.record)).digest('base64url').slice(0, 16);
        const first = seen.get(p.record.id);
        if (first && first.digest !== digest) {
          error = `id '${printable(p.record.id)}' is line ${first.line}'s too, for a different run`;
        } else if (!first) seen.set(p.record.id, { line: n, digest });
      }
      if (error === undefined) continue;
      if (++bad <= MAX_ERROR_LINES) ctx.err.write(`${name}: line ${n}: ${error}\n`);
    }
  } catch (e) {
    throw fileError(`cannot read ${name}`, e);
  }
  if (bad > 0) {
    if (bad > MAX_ERROR_LINES) ctx.err.write(`${name}: … and ${bad - MAX_ERROR_LINES} more bad lines\n`);
    throw new UserFacingError(`nothing imported: ${plural(bad, 'bad line')} in ${name}${oneDocument(first, name)}`);
  }
  const store = await ctx.store();
  const counts = await storeLines(file, store, parse);
  ctx.out.write(formatImport(counts));
  // Each job with new runs gets its model fitted now, so that its next spot-submit launch only looks it up.
  await (await import('../submit/prefit.js')).prefitJobs(store, ctx.config, counts.perApp.keys());
  return 0;
}
