import { createReadStream } from 'node:fs';
import type { EventLogSource } from './find.js';
import { decoderFor } from './codecs/index.js';

// Streams the events of one log, part after part, one JSON line at a time: memory holds one line and one
// compressed frame, never the file. A line that is not a JSON object (a torn last line of a killed writer,
// a damaged block) is counted and skipped rather than failing the log.

export interface LineStats {
  bytes: number;
  lines: number;
  badLines: number;
}

const NEWLINE = 0x0a;

export async function* readEvents(source: EventLogSource, stats: LineStats): AsyncGenerator<Record<string, unknown>> {
  for (const [i, file] of source.files.entries()) {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    raw.on('data', (chunk) => (stats.bytes += chunk.length));
    // Only the part Spark is still writing may end inside an unclosed frame.
    const decoded = decoderFor(source.codec, { open: source.inProgress && i === source.files.length - 1 });
    raw.on('error', (err) => decoded.destroy(err));
    raw.pipe(decoded);
    let carry: Buffer | undefined;
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      let start = 0;
      let at = chunk.indexOf(NEWLINE);
      if (at >= 0 && carry) {
        const event = parse(Buffer.concat([carry, chunk.subarray(0, at)]), stats);
        carry = undefined;
        if (event) yield event;
        start = at + 1;
        at = chunk.indexOf(NEWLINE, start);
      }
      while (at >= 0) {
        const event = parse(chunk.subarray(start, at), stats);
        if (event) yield event;
        start = at + 1;
        at = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length)
        carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
    }
    if (carry) {
      const event = parse(carry, stats);
      if (event) yield event;
    }
  }
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
