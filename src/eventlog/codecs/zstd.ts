import { Transform, type TransformCallback } from 'node:stream';
import { Decompress } from 'fzstd';
import { formatBytes } from '../../format.js';
import { CorruptLogError } from './framed.js';

// Spark's ZStdCompressionCodec writes zstd-jni's ZstdOutputStream: standard Zstandard frames, so no framing
// of Spark's own. Node 20's zlib has no zstd; fzstd decodes the stream chunk by chunk, handing on each block
// as soon as it is whole. Spark flushes the stream after events but closes its one frame only when the app
// ends, so a log still being written ends inside an open frame: there, the blocks so far are the events so
// far, as whole lz4 or snappy blocks are for those codecs (and, as for them, a block cut short is damage).
//
// fzstd 0.1.1 misreads a match more than about 96 MiB back (101arrowz/fzstd#22: an offset's bits beyond the 32 it
// reads are dropped), silently: the output keeps its length with other bytes in it, and a log read that way is
// stored with lines skipped and figures wrong. Spark's own writer (zstd-jni, spark.io.compression.zstd.level 1)
// uses windows of about 1 MiB, but a log recompressed with `zstd --long` or an ultra level has a window of 128 MiB;
// past 64 MiB of output in such a frame, a log is refused with what to do rather than read wrong.

/** The frame magic numbers: a Zstandard frame, and the skippable frames' 16 (low 4 bits free). */
const FRAME = 0xfd2fb528;
const SKIPPABLE = 0x184d2a50;
const DICT_ID_BYTES = [0, 1, 2, 4];
const CONTENT_SIZE_BYTES = [0, 2, 4, 8];
/** The farthest back fzstd reads every match right, with margin: matches within it need at most 26 offset bits. */
const ZSTD_SAFE_WINDOW = 64 * 2 ** 20;

type Part = 'magic' | 'descriptor' | 'block' | 'skippable' | 'skip';

/**
 * Follows a Zstandard stream's headers, skipping block contents, to tell where the bytes seen so far end: between
 * frames, at a block boundary inside a frame, or inside a header or block (bytes still missing).
 */
class FrameWalker {
  private part: Part = 'magic';
  private held: number[] = [];
  /** For 'skip': the bytes left, and the part after them. */
  private left = 0;
  private next: Part = 'magic';
  private checksum = false;
  /** Bytes since the last frame or block boundary. */
  private sinceBoundary = 0;
  /** The largest window of the frames begun so far (how far back their matches may reach). */
  widestWindow = 0;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.part === 'skip') {
        const n = Math.min(this.left, chunk.length - i);
        this.left -= n;
        this.sinceBoundary += n;
        i += n;
        if (this.left === 0) this.enter(this.next);
        continue;
      }
      this.held.push(chunk[i++]!);
      this.sinceBoundary++;
      this.step();
    }
  }

  /** Where the stream stands: between frames, at a block boundary in an open frame, or inside a part cut short. */
  end(): { at: 'frame' | 'block' } | { at: 'partial'; bytes: number } {
    if (this.sinceBoundary === 0) return { at: this.part === 'block' ? 'block' : 'frame' };
    return { at: 'partial', bytes: this.sinceBoundary };
  }

  private enter(part: Part): void {
    this.part = part;
    this.held = [];
    if (part === 'magic' || part === 'block') this.sinceBoundary = 0;
  }

  private skip(bytes: number, next: Part): void {
    if (bytes === 0) return this.enter(next);
    this.part = 'skip';
    this.held = [];
    this.left = bytes;
    this.next = next;
  }

  private step(): void {
    const h = this.held;
    switch (this.part) {
      case 'magic': {
        if (h.length < 4) return;
        const magic = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
        if (magic === FRAME) return this.enter('descriptor');
        if ((magic & 0xfffffff0) >>> 0 === SKIPPABLE) return this.enter('skippable');
        throw new CorruptLogError('zstd', 'no frame where one was expected');
      }
      case 'descriptor': {
        const fhd = h[0]!;
        const single = (fhd >> 5) & 1;
        this.checksum = ((fhd >> 2) & 1) === 1;
        const contentSize = fhd >> 6 === 0 ? single : CONTENT_SIZE_BYTES[fhd >> 6]!;
        const dictId = DICT_ID_BYTES[fhd & 3]!;
        if (h.length < 1 + (single ? 0 : 1) + dictId + contentSize) return;
        this.widestWindow = Math.max(this.widestWindow, windowSize(h, single === 1, dictId, contentSize));
        return this.enter('block');
      }
      case 'block': {
        if (h.length < 3) return;
        const header = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        const type = (header >> 1) & 3;
        if (type === 3) throw new CorruptLogError('zstd', 'reserved block type');
        const last = (header & 1) === 1;
        const body = type === 1 ? 1 : header >>> 3;
        // The frame's checksum (4 bytes) follows its last block.
        return this.skip(body + (last && this.checksum ? 4 : 0), last ? 'magic' : 'block');
      }
      case 'skippable': {
        if (h.length < 4) return;
        return this.skip((h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0, 'magic');
      }
      default:
        return;
    }
  }
}

/**
 * A frame's window: from its window descriptor, or for a single-segment frame its content size (RFC 8878 3.1.1.1).
 * `h` holds the frame header descriptor and the fields after it.
 */
function windowSize(h: number[], single: boolean, dictId: number, contentSize: number): number {
  if (!single) {
    const log = 10 + (h[1]! >> 3);
    const base = 2 ** log;
    return base + (base / 8) * (h[1]! & 7);
  }
  let size = 0;
  const at = 1 + dictId;
  for (let i = contentSize - 1; i >= 0; i--) size = size * 256 + h[at + i]!;
  return contentSize === 2 ? size + 256 : size;
}

/**
 * `open`: the stream may end inside an unclosed frame (the last part of a log still being written). `safeWindow`:
 * how far back matches are read reliably (tests lower it, so as not to decode 64 MiB).
 */
export function zstdDecoder(opts: { open?: boolean; safeWindow?: number } = {}): Transform {
  const safeWindow = opts.safeWindow ?? ZSTD_SAFE_WINDOW;
  let decoder: Decompress;
  let sawInput = false;
  let decoded = 0;
  // Every stream is walked for its frames' windows; only an open one's end is judged by where the walk stopped.
  const walker = new FrameWalker();
  const stream = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        sawInput ||= chunk.length > 0;
        // The walker reads a frame's header before fzstd hands on any of its blocks.
        walker.push(chunk);
        decoder.push(chunk);
        done();
      } catch (err) {
        done(err instanceof CorruptLogError ? err : new CorruptLogError('zstd', errorText(err)));
      }
    },
    flush(done: TransformCallback) {
      const end = opts.open ? walker.end() : undefined;
      if (end?.at === 'partial')
        return done(new CorruptLogError('zstd', `truncated: ${end.bytes} bytes of an incomplete block at the end`));
      // An open frame at a block boundary: every whole block is decoded already, and no more will come yet.
      if (end?.at === 'block') return done();
      try {
        if (sawInput) decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(
          err instanceof CorruptLogError ? err : new CorruptLogError('zstd', `truncated or damaged: ${errorText(err)}`),
        );
      }
    },
  });
  decoder = new Decompress((data) => {
    decoded += data.length;
    if (walker.widestWindow > safeWindow && decoded > safeWindow) throw wideWindow(walker.widestWindow, safeWindow);
    if (data.length > 0) stream.push(Buffer.from(data.buffer, data.byteOffset, data.length));
  });
  return stream;
}

function wideWindow(window: number, safeWindow: number): CorruptLogError {
  return new CorruptLogError(
    'zstd',
    `a frame with a ${formatBytes(window)} window, past its first ${formatBytes(safeWindow)}: matches that far back ` +
      'are not read reliably here; decompress the log (zstd -d) and crawl the plain file',
  );
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
