import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { codecOfName, type CodecName } from './codecs/index.js';
import { fileProblem } from '../format.js';

// Which event logs a path holds, in the forms Spark writes them (EventLogFileWriters): one file per attempt,
// `<appId>[_<attemptId>][.<codec>][.inprogress]`, or (spark.eventLog.rolling.enabled, Spark >= 3.0) a folder
// `eventlog_v2_<appId>[_<attemptId>]` of `events_<n>_...` parts and an `appstatus_...[.inprogress]` marker; and as
// Databricks' cluster log delivery writes them: a folder per SparkContext holding the log being written, `eventlog`,
// and the parts rolled from it, `eventlog-<yyyy-MM-dd>--<HH-mm>.gz`. Spark 1.0 to 1.2 wrote a folder per app of
// `EVENT_LOG_<n>`, `SPARK_VERSION_<version>`, `COMPRESSION_CODEC_<codec>` when compressed, and `APPLICATION_COMPLETE`
// once the app ended; Spark's History Server read those until 2.0.

export interface EventLogSource {
  /** The file, or the eventlog_v2_ folder. */
  path: string;
  /** Files to read in order (one, or the rolled parts by index or time). */
  files: string[];
  /** Each file's codec, by its name: Databricks' rolled parts are gzipped, the part being written is not. */
  codecs: CodecName[];
  inProgress: boolean;
  /** The Spark version a log's folder names (Spark 1.0 to 1.2), whose events do not say it. */
  sparkVersion?: string;
  /** Total bytes and newest modification time over the files: a log that changed has other values. */
  size: number;
  mtimeMs: number;
  /** Why the log cannot be read whole (a rolled folder missing a part), found without reading it. */
  problem?: string;
}

const ROLLED_DIR = /^eventlog_v2_/;
const ROLLED_PART = /^events_(\d+)_/;
const IN_PROGRESS = '.inprogress';
/** Spark's compaction (spark.history.fs.eventLog.rolling.maxFilesToRetain) marks the part replacing those before. */
const COMPACT = '.compact';
/** Databricks: the part being written, and those rolled from it, named by the minute they were rolled (UTC). */
const DATABRICKS_CURRENT = 'eventlog';
const DATABRICKS_PART = /^eventlog-\d{4}-\d\d-\d\d--\d\d-\d\d(?:\.|$)/;
/** Spark 1.0 to 1.2's log folder (EventLoggingListener's LOG_PREFIX and the files beside it). */
const LEGACY_LOG = /^EVENT_LOG_(\d+)$/;
const LEGACY_VERSION = 'SPARK_VERSION_';
const LEGACY_CODEC = 'COMPRESSION_CODEC_';
const LEGACY_COMPLETE = 'APPLICATION_COMPLETE';
/** spark.io.compression.codec as Spark 1.x took it: a short name or the codec's class. */
const LEGACY_CODECS: Record<string, CodecName> = {
  lz4: 'lz4',
  lzf: 'lzf',
  snappy: 'snappy',
  'org.apache.spark.io.LZ4CompressionCodec': 'lz4',
  'org.apache.spark.io.LZFCompressionCodec': 'lzf',
  'org.apache.spark.io.SnappyCompressionCodec': 'snappy',
};

/** Files Spark or Hadoop leave beside logs that are not logs. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.crc') || name.startsWith('_');
}

/**
 * How many folder levels below the one given a log folder is looked for: Databricks' cluster log delivery puts each
 * SparkContext's log four below its destination (`<cluster-id>/eventlog/<cluster-id>_<driver-ip>/<spark-context-id>`),
 * and a user names the destination.
 */
const MAX_DEPTH = 4;
/** Folders listed at most in one search: a path far above the logs (`/`) is searched that far and said, not walked. */
const MAX_FOLDERS = 20_000;

export interface FindOptions {
  includeInProgress?: boolean;
  /** Why the search stopped short of some folders (too many of them). */
  onWarning?: (message: string) => void;
  /** Tests set a lower ceiling than MAX_FOLDERS. */
  maxFolders?: number;
  /** Folders below the one given that could not be listed, once a search ends, when there were any. */
  onUnlisted?: (folders: UnlistedFolders) => void;
}

/**
 * Folders a search could not list (no permission, an I/O error), whose logs it therefore did not read: how many,
 * and the first in the search's order with its error code (EACCES, ...). A folder removed meanwhile is none of them.
 */
interface UnlistedFolders {
  count: number;
  first: string;
  code: string;
}

/**
 * A file or folder given by the user: a single log, a folder that is one log (rolled, Databricks, Spark 1.x), or a
 * folder of logs. In a folder of logs each file is a log, as Spark's History Server reads its log folder; below it,
 * up to MAX_DEPTH levels, only folders that are logs are taken (the loose files there are a cluster's other logs,
 * such as Databricks' driver and executor output, not event logs).
 */
export async function findEventLogs(path: string, opts: FindOptions = {}): Promise<EventLogSource[]> {
  const info = await stat(path);
  const rolled = ROLLED_DIR.test(basename(path));
  const entries = info.isDirectory() && !rolled ? await readdir(path, { withFileTypes: true }) : [];
  const oneLog = folderLog(entries.map((e) => e.name));
  let sources: EventLogSource[];
  if (info.isFile()) sources = [await fileOrItsLog(path)];
  else if (rolled) sources = [await rolledFolder(path)];
  else if (oneLog) sources = [await oneLog(path)];
  else {
    sources = [];
    const real = await realpath(path);
    const walk: Walk = { seen: new Set([real]), listed: 1, max: opts.maxFolders ?? MAX_FOLDERS, unlisted: 0 };
    await searchFolder(path, real, entries, 0, walk, sources);
    if (walk.firstUnlisted) opts.onUnlisted?.({ count: walk.unlisted, ...walk.firstUnlisted });
    if (walk.listed > walk.max)
      opts.onWarning?.(
        `searched only the first ${walk.max} folders under ${path} (to ${MAX_DEPTH} levels): ` +
          'point --event-logs nearer the logs',
      );
  }
  return opts.includeInProgress ? sources : sources.filter((s) => !s.inProgress);
}

/**
 * A file named on its own, or the log it is a part of: a part of a log folder (Databricks' `eventlog`, a rolled
 * log's `events_2_…`, Spark 1.x's `EVENT_LOG_1`) read alone lacks the start or the end of its app.
 */
async function fileOrItsLog(path: string): Promise<EventLogSource> {
  const folder = dirname(path);
  if (ROLLED_DIR.test(basename(folder)) && ROLLED_PART.test(basename(path))) return rolledFolder(folder);
  const whole = folderLog(await readdir(folder).catch(() => []));
  return whole ? whole(folder) : singleFile(path);
}

interface Walk {
  /**
   * Folders listed, by real path (not by inode, which some mounted filesystems give as 0): a link back up (a loop)
   * or a second link to one folder is listed once.
   */
  seen: Set<string>;
  listed: number;
  max: number;
  /** Folders that could not be listed, and the first of them in search order. */
  unlisted: number;
  firstUnlisted?: { first: string; code: string };
}

/**
 * The logs among `entries`, those of the folder `path` at `depth` below the one given: its files at depth 0, its
 * folders that are logs, and those in the folders below, in name order.
 */
async function searchFolder(
  path: string,
  real: string,
  entries: Dirent[],
  depth: number,
  walk: Walk,
  sources: EventLogSource[],
): Promise<void> {
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    if (ignored(e.name)) continue;
    const full = join(path, e.name);
    // A link (logs gathered from several folders) counts as what it points to; a dangling one as nothing.
    const info = e.isSymbolicLink() ? await stat(full).catch(() => undefined) : e;
    if (info?.isFile() && depth === 0) {
      const source = await unreadableAsProblem(full, singleFile);
      if (source) sources.push(source);
      continue;
    }
    if (!info?.isDirectory()) continue;
    // Only a link can lead back up: a folder's own real path is its parent's and its name.
    const realFull = e.isSymbolicLink() ? await realpath(full).catch(() => undefined) : join(real, e.name);
    if (realFull === undefined || walk.seen.has(realFull)) continue;
    walk.seen.add(realFull);
    if (ROLLED_DIR.test(e.name)) {
      const source = await unreadableAsProblem(full, rolledFolder);
      if (source) sources.push(source);
      continue;
    }
    if (++walk.listed > walk.max) continue;
    // A folder that cannot be listed holds nothing this crawl can read: one removed meanwhile (Spark's cleaner) had
    // nothing left to read; any other (no permission) hides logs from the user, who is told.
    const inside = await readdir(full, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT' && walk.unlisted++ === 0)
        walk.firstUnlisted = { first: full, code: err.code ?? err.message };
      return undefined;
    });
    if (!inside) continue;
    // A folder that is one log, by what it holds (Databricks: one per SparkContext of a cluster; Spark 1.0-1.2).
    const read = folderLog(inside.map((i) => i.name));
    if (read) {
      const source = await unreadableAsProblem(full, read);
      if (source) sources.push(source);
    } else if (depth + 1 < MAX_DEPTH) await searchFolder(full, realFull, inside, depth + 1, walk, sources);
  }
}

/**
 * One log of a folder, read by `find`; a log this user cannot list or whose part cannot be found (a rolled folder
 * without read permission, a dangling link among its parts) is a source with that problem, so that it becomes its
 * error document and the other logs are read. A log removed since the folder was listed (Spark's cleaner) is none.
 */
async function unreadableAsProblem(
  path: string,
  find: (path: string) => Promise<EventLogSource>,
): Promise<EventLogSource | undefined> {
  try {
    return await find(path);
  } catch (err) {
    const gone = await lstat(path).then(
      () => false,
      () => true,
    );
    if (gone) return undefined;
    const e = err as NodeJS.ErrnoException;
    const what = e.path && e.path !== path ? basename(e.path) : 'it';
    const problem = `cannot read ${what}: ${fileProblem(e)}`;
    return { path, files: [], codecs: [], inProgress: false, size: 0, mtimeMs: 0, problem };
  }
}

async function singleFile(path: string): Promise<EventLogSource> {
  const info = await stat(path);
  let name = basename(path);
  const inProgress = name.endsWith(IN_PROGRESS);
  if (inProgress) name = name.slice(0, -IN_PROGRESS.length);
  return { path, files: [path], codecs: [codecOfName(name)], inProgress, size: info.size, mtimeMs: info.mtimeMs };
}

async function rolledFolder(path: string): Promise<EventLogSource> {
  const names = (await readdir(path)).filter((n) => !ignored(n));
  const all = names
    .map((n) => ({ n, index: Number(ROLLED_PART.exec(n)?.[1]) }))
    .filter((p) => Number.isInteger(p.index))
    .sort((a, b) => a.index - b.index);
  // As Spark's reader (RollingEventLogFilesFileReader): a compacted part holds what the parts before it held, so
  // reading starts at the last one; from there the indices must follow one another, or events are missing.
  let from = 0;
  for (const [i, p] of all.entries()) if (p.n.endsWith(COMPACT)) from = i;
  const parts = all.slice(from);
  const missing = missingIndices(parts.map((p) => p.index));
  const status = names.find((n) => n.startsWith('appstatus_'));
  // Without a status file Spark's reader calls the log incomplete, as do we.
  const inProgress = status === undefined || status.endsWith(IN_PROGRESS);
  const { size, mtimeMs } = await sizeAndTime(
    path,
    parts.map((p) => p.n),
  );
  return {
    path,
    files: parts.map((p) => join(path, p.n)),
    codecs: parts.map((p) => codecOfName(p.n.replace(/\.compact$/, ''))),
    inProgress,
    size,
    mtimeMs,
    ...rolledProblem(parts.length, missing),
  };
}

/**
 * How to read a folder that is one log, by the names in it (not by its own, as `eventlog_v2_` folders are): only
 * when all it holds are that log's files, since a folder of logs may hold a single log named `eventlog` or
 * `EVENT_LOG_1` among others, each a log of its own.
 */
function folderLog(all: string[]): ((path: string) => Promise<EventLogSource>) | undefined {
  const names = all.filter((n) => !ignored(n));
  if (names.length === 0) return undefined;
  // As Spark's History Server took a Spark 1.x folder (openLegacyEventLog): a log and the version it was written by.
  const legacy = (n: string) =>
    LEGACY_LOG.test(n) || n.startsWith(LEGACY_VERSION) || n.startsWith(LEGACY_CODEC) || n === LEGACY_COMPLETE;
  // The reader is given the names already listed: a folder found in a search is not listed twice.
  if (names.every(legacy) && names.some((n) => LEGACY_LOG.test(n)) && names.some((n) => n.startsWith(LEGACY_VERSION)))
    return (path) => legacyFolder(path, names);
  if (names.every((n) => n === DATABRICKS_CURRENT || DATABRICKS_PART.test(n)))
    return (path) => databricksFolder(path, names);
  return undefined;
}

/** Spark 1.0-1.2's folder, as Spark's History Server read it up to 1.6 (FsHistoryProvider.openLegacyEventLog). */
async function legacyFolder(path: string, names: string[]): Promise<EventLogSource> {
  const logs = names
    .map((n) => ({ n, index: Number(LEGACY_LOG.exec(n)?.[1]) }))
    .filter((p) => Number.isInteger(p.index))
    .sort((a, b) => a.index - b.index);
  const codecName = names.find((n) => n.startsWith(LEGACY_CODEC))?.slice(LEGACY_CODEC.length);
  const codec = codecName === undefined ? 'none' : LEGACY_CODECS[codecName];
  const version = names.find((n) => n.startsWith(LEGACY_VERSION))?.slice(LEGACY_VERSION.length);
  const { size, mtimeMs } = await sizeAndTime(
    path,
    logs.map((p) => p.n),
  );
  return {
    path,
    files: logs.map((p) => join(path, p.n)),
    codecs: logs.map(() => codec ?? 'none'),
    inProgress: !names.includes(LEGACY_COMPLETE),
    ...(version ? { sparkVersion: version } : {}),
    size,
    mtimeMs,
    ...(codec === undefined ? { problem: `compressed with ${codecName}, a codec Spark 1.x did not have` } : {}),
  };
}

/**
 * A Databricks log: the rolled parts oldest first (their names' times, which sort as text), then the part being
 * written. Nothing marks the log as finished; its events say whether the app ended.
 */
async function databricksFolder(path: string, names: string[]): Promise<EventLogSource> {
  const parts = names.filter((n) => DATABRICKS_PART.test(n)).sort();
  if (names.includes(DATABRICKS_CURRENT)) parts.push(DATABRICKS_CURRENT);
  const { size, mtimeMs } = await sizeAndTime(path, parts);
  return {
    path,
    files: parts.map((n) => join(path, n)),
    codecs: parts.map(codecOfName),
    inProgress: false,
    size,
    mtimeMs,
  };
}

/** Why a rolled log cannot be read whole: no part at all (as Spark's reader refuses it), or parts missing between. */
function rolledProblem(parts: number, missing: number[]): { problem?: string } {
  if (parts === 0) return { problem: 'rolled log without any events_ part' };
  if (missing.length > 0)
    return { problem: `rolled log without its part${missing.length > 1 ? 's' : ''} ${missingText(missing)}` };
  return {};
}

/** The indices between the first and the last that are not in `indices` (sorted). */
function missingIndices(indices: number[]): number[] {
  const missing: number[] = [];
  for (let i = 1; i < indices.length; i++)
    for (let n = indices[i - 1]! + 1; n < indices[i]! && missing.length <= 10; n++) missing.push(n);
  return missing;
}

function missingText(missing: number[]): string {
  const shown = missing.slice(0, 10).map((n) => `events_${n}_`);
  return `${shown.join(', ')}${missing.length > 10 ? ', ...' : ''}`;
}

/** Total bytes and newest modification time of a log's files in `path`: a log that changed has other values. */
async function sizeAndTime(path: string, names: string[]): Promise<{ size: number; mtimeMs: number }> {
  let size = 0;
  let mtimeMs = 0;
  for (const n of names) {
    const info = await stat(join(path, n));
    size += info.size;
    mtimeMs = Math.max(mtimeMs, info.mtimeMs);
  }
  return { size, mtimeMs };
}
