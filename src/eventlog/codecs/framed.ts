import { Transform, type TransformCallback } from 'node:stream';

// The block codecs Spark uses (lz4, snappy, lzf) each wrap a raw block format in a framing of their Java
// library. This Transform holds the bytes of a partial frame between chunks and hands whole frames to the
// codec's `decodeFrame`, so memory stays at one frame (Spark's default block is 32 KiB) whatever the file size.

export class CorruptLogError extends Error {
  constructor(codec: string, message: string) {
    super(`${codec}: ${message}`);
    this.name = 'CorruptLogError';
  }
}

/** One frame: the bytes consumed from `buf` and the decoded bytes; undefined when `buf` holds no whole frame yet. */
export type FrameDecoder = (buf: Buffer) => { consumed: number; out?: Uint8Array } | undefined;

export class FramedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly codec: string,
    private readonly decodeFrame: FrameDecoder,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      let offset = 0;
      for (;;) {
        const view = this.pending.subarray(offset);
        if (view.length === 0) break;
        const frame = this.decodeFrame(view);
        if (!frame) break;
        if (frame.out && frame.out.length > 0) this.push(frame.out);
        offset += frame.consumed;
      }
      this.pending = this.pending.subarray(offset);
      done();
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  }

  override _flush(done: TransformCallback): void {
    // A writer killed mid-frame leaves a partial frame: everything before it was delivered, the tail is lost.
    if (this.pending.length > 0)
      done(
        new CorruptLogError(this.codec, `truncated: ${this.pending.length} bytes of an incomplete frame at the end`),
      );
    else done();
  }
}

export function startsWith(buf: Buffer, magic: Uint8Array): boolean | undefined {
  if (buf.length < magic.length)
    return buf.subarray(0, buf.length).equals(Buffer.from(magic.subarray(0, buf.length))) ? undefined : false;
  for (let i = 0; i < magic.length; i++) if (buf[i] !== magic[i]) return false;
  return true;
}
