import { Transform, type TransformCallback } from 'node:stream';
import { Decompress } from 'fzstd';
import { CorruptLogError } from './framed.js';

// Spark's ZStdCompressionCodec writes zstd-jni's ZstdOutputStream: standard Zstandard frames, so no framing
// of Spark's own. Node 20's zlib has no zstd; fzstd decodes the stream chunk by chunk.

export function zstdDecoder(): Transform {
  let decoder: Decompress;
  let sawInput = false;
  const stream = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      try {
        sawInput ||= chunk.length > 0;
        decoder.push(chunk);
        done();
      } catch (err) {
        done(new CorruptLogError('zstd', err instanceof Error ? err.message : String(err)));
      }
    },
    flush(done: TransformCallback) {
      try {
        if (sawInput) decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(new CorruptLogError('zstd', `truncated or damaged: ${err instanceof Error ? err.message : String(err)}`));
      }
    },
  });
  decoder = new Decompress((data) => {
    if (data.length > 0) stream.push(Buffer.from(data.buffer, data.byteOffset, data.length));
  });
  return stream;
}
