import snappy from 'snappyjs';
import { CorruptLogError, FramedDecoder, startsWith } from './framed.js';

// Spark's SnappyCompressionCodec writes snappy-java's SnappyOutputStream framing (not the x-snappy-framed
// format): a 16-byte header (0x82 "SNAPPY" 0x00, then version and compatible version as big-endian int32),
// then per chunk a big-endian int32 length and one raw Snappy block, decoded by snappyjs. A second header
// can follow where two streams were concatenated; snappy-java reads through it, and so do we.

const MAGIC = Uint8Array.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const HEADER = MAGIC.length + 8;
const MAX_BLOCK = 512 * 1024 * 1024;

export function snappyDecoder(): FramedDecoder {
  let sawHeader = false;
  return new FramedDecoder('snappy', (buf) => {
    const magic = startsWith(buf, MAGIC);
    if (magic === undefined) return undefined;
    if (magic) {
      if (buf.length < HEADER) return undefined;
      sawHeader = true;
      return { consumed: HEADER };
    }
    if (!sawHeader) throw new CorruptLogError('snappy', 'no SNAPPY stream header');
    if (buf.length < 4) return undefined;
    const length = buf.readInt32BE(0);
    if (length < 0 || length > MAX_BLOCK) throw new CorruptLogError('snappy', `bad chunk length ${length}`);
    if (buf.length < 4 + length) return undefined;
    try {
      return { consumed: 4 + length, out: snappy.uncompress(buf.subarray(4, 4 + length)) };
    } catch (err) {
      throw new CorruptLogError('snappy', err instanceof Error ? err.message : String(err));
    }
  });
}
