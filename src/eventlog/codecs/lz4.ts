import lz4 from 'lz4js';
import { CorruptLogError, FramedDecoder, startsWith } from './framed.js';

// Spark's LZ4CompressionCodec writes lz4-java's LZ4BlockOutputStream framing, not the LZ4 frame format:
// per block "LZ4Block" (8 bytes), a token (method 0x10 raw or 0x20 lz4, ORed with a level), compressed length,
// original length and an XXHash32 checksum (three little-endian int32), then the block. `finish()` ends a stream
// with an empty raw block; Spark reads on after it (concatenated streams), and so do we. The block itself is
// plain LZ4, decoded by lz4js. The checksum is not verified: a damaged block surfaces as bad JSON lines.

const MAGIC = Buffer.from('LZ4Block', 'latin1');
const HEADER = MAGIC.length + 13;
const RAW = 0x10;
const LZ4 = 0x20;
/** lz4-java refuses blocks over 32 MiB; a length beyond that is damage, not a block to wait for. */
const MAX_BLOCK = 32 * 1024 * 1024;

export function lz4Decoder(): FramedDecoder {
  return new FramedDecoder('lz4', (buf) => {
    const magic = startsWith(buf, MAGIC);
    if (magic === false) throw new CorruptLogError('lz4', 'no LZ4Block header where one was expected');
    if (buf.length < HEADER) return undefined;
    const method = buf[MAGIC.length]! & 0xf0;
    const compressed = buf.readInt32LE(MAGIC.length + 1);
    const original = buf.readInt32LE(MAGIC.length + 5);
    if (
      compressed < 0 ||
      original < 0 ||
      compressed > MAX_BLOCK ||
      original > MAX_BLOCK ||
      (method !== RAW && method !== LZ4)
    ) {
      throw new CorruptLogError('lz4', 'bad block header');
    }
    if (buf.length < HEADER + compressed) return undefined;
    const body = buf.subarray(HEADER, HEADER + compressed);
    if (method === RAW) return { consumed: HEADER + compressed, out: Buffer.from(body) };
    const out = new Uint8Array(original);
    const written = lz4.decompressBlock(body, out, 0, compressed, 0);
    if (written !== original)
      throw new CorruptLogError('lz4', `block decoded to ${written} bytes, header says ${original}`);
    return { consumed: HEADER + compressed, out };
  });
}
