import { createReadStream } from 'node:fs';
import type { EventLogSource } from './find.js';
import { basename } from 'node:path';
import { decoderFor, type CodecName } from './codecs/index.js';
import { fileProblem } from '../format.js';

// Streams the events of one log, part after part, one JSON line at a time: memory holds one line and one
// compressed frame, never the file. A line that is not a JSON object (a torn last line of a killed writer,
// a damaged block) is counted and skipped rather than failing the log.

export interface LineStats {
  bytes: number;
  lines: number;
  badLines: number;
  /** Lines longer than the limit, skipped unread (counted in `lines` and `badLines` too). */
  overlongLines?: number;
}

const NEWLINE = 0x0a;

/**
 * Longest line read. Spark's longest events (an SQL execution's plan, an environment update) run to a few MiB; a
 * "line" past this is a file of another kind (binary, or zeros left by a crash), whose carry would otherwise grow
 * with the file.
 */
export const MAX_LINE_BYTES = 64 * 2 ** 20;

export async function* readEvents(
  source: EventLogSource,
  stats: LineStats,
  { maxLineBytes = MAX_LINE_BYTES }: { maxLineBytes?: number } = {},
): AsyncGenerator<Record<string, unknown>> {
  for (const [i, file] of source.files.entries()) {
    try {
      const raw = createReadStream(file, { highWaterMark: 1 << 20 });
      raw.on('data', (chunk) => (stats.bytes += chunk.length));
      // Only the part Spark is still writing may end inside an unclosed frame.
      const decoded = decoderFor(source.codecs[i] ?? 'none', {
        open: source.inProgress && i === source.files.length - 1,
      });
      raw.on('error', (err) => decoded.destroy(err));
      raw.pipe(decoded);
      // The start of a line that spans chunks, kept as pieces (joined once, at its end); none while one too long
      // is being skipped to its end.
      let carry: Buffer[] = [];
      let carried = 0;
      let skipping = false;
      const overlong = () => {
        stats.lines += 1;
        stats.badLines += 1;
        stats.overlongLines = (stats.overlongLines ?? 0) + 1;
      };
      const finish = (tail: Buffer): Record<string, unknown> | undefined => {
        if (skipping) {
          skipping = false;
          return undefined;
        }
        if (carried + tail.length > maxLineBytes) {
          carry = [];
          carried = 0;
          overlong();
          return undefined;
        }
        const line = carry.length > 0 ? Buffer.concat([...carry, tail]) : tail;
        carry = [];
        carried = 0;
        return parse(line, stats);
      };
      for await (const chunk of decoded as AsyncIterable<Buffer>) {
        let start = 0;
        let at = chunk.indexOf(NEWLINE);
        while (at >= 0) {
          const event = finish(chunk.subarray(start, at));
          if (event) yield event;
          start = at + 1;
          at = chunk.indexOf(NEWLINE, start);
        }
        if (start < chunk.length && !skipping) {
          carry.push(Buffer.from(chunk.subarray(start)));
          carried += chunk.length - start;
          if (carried > maxLineBytes) {
            carry = [];
            carried = 0;
            skipping = true;
            overlong();
          }
        }
      }
      if (carried > 0 || skipping) {
        const event = finish(Buffer.alloc(0));
        if (event) yield event;
      }
    } catch (err) {
      throw file === source.path ? err : new Error(partProblem(basename(file), source.codecs[i] ?? 'none', err));
    }
  }
}

/**
 * Why a part of a log folder failed, naming the part: "unexpected end of file" alone does not say which of a
 * Databricks log's gzipped parts or a rolled log's parts is damaged.
 */
function partProblem(part: string, codec: CodecName, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.syscall) return `cannot read ${part}: ${fileProblem(e)}`;
  const message = err instanceof Error ? err.message : String(err);
  // Node's zlib errors do not say they come from gzip, as the other codecs' errors say theirs.
  return `${part}: ${codec === 'gz' && e?.code?.startsWith('Z_') ? 'gzip: ' : ''}${message}`;
}

function parse(line: Buffer, stats: LineStats): Record<string, unknown> | undefined {
  let end = line.length;
  if (end > 0 && line[end - 1] === 0x0d) end -= 1;
  if (end === 0) return undefined;
  stats.lines += 1;
  try {
    const value: unknown = JSON.parse(line.toString('utf8', 0, end));
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof (value as { Event?: unknown }).Event === 'string'
    ) {
      return value as Record<string, unknown>;
    }
  } catch {
    // counted below
  }
  stats.badLines += 1;
  return undefined;
}
