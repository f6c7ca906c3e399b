import { CorruptLogError, FramedDecoder } from './framed.js';

// Spark's LZFCompressionCodec writes ning-compress LZFOutputStream chunks: "ZV", a type byte (0 stored,
// 1 compressed), a big-endian uint16 length, and for compressed chunks the uint16 uncompressed length; then
// the data. No npm LZF decoder is kept up to date, and the block format is short, so it is decoded here.

const STORED = 0;
const COMPRESSED = 1;

export function lzfDecoder(): FramedDecoder {
  return new FramedDecoder('lzf', (buf) => {
    if (buf.length < 5) return undefined;
    if (buf[0] !== 0x5a || buf[1] !== 0x56)
      throw new CorruptLogError('lzf', 'no ZV chunk header where one was expected');
    const type = buf[2];
    const length = buf.readUInt16BE(3);
    if (type === STORED) {
      if (buf.length < 5 + length) return undefined;
      return { consumed: 5 + length, out: Buffer.from(buf.subarray(5, 5 + length)) };
    }
    if (type !== COMPRESSED) throw new CorruptLogError('lzf', `unknown chunk type ${type}`);
    if (buf.length < 7 + length) return undefined;
    const original = buf.readUInt16BE(5);
    return { consumed: 7 + length, out: lzfBlock(buf.subarray(7, 7 + length), original) };
  });
}

/** LZF (liblzf): a control byte below 32 starts a literal run of ctrl+1 bytes; otherwise a back-reference. */
function lzfBlock(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const ctrl = src[i++]!;
    if (ctrl < 32) {
      const end = i + ctrl + 1;
      if (end > src.length || o + ctrl + 1 > size) throw new CorruptLogError('lzf', 'literal run past the end');
      out.set(src.subarray(i, end), o);
      o += ctrl + 1;
      i = end;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) len += src[i++]!;
    const ref = o - ((ctrl & 0x1f) << 8) - src[i++]! - 1;
    len += 2;
    if (ref < 0 || o + len > size || i > src.length) throw new CorruptLogError('lzf', 'back-reference out of range');
    for (let k = 0; k < len; k++) out[o++] = out[ref + k]!;
  }
  if (o !== size) throw new CorruptLogError('lzf', `chunk decoded to ${o} bytes, header says ${size}`);
  return out;
}
