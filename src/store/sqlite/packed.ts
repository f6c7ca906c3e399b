import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import { StoreError } from '../errors.js';

// Documents on disk: JSON compressed with raw deflate (zlib ships with Node, so no native module to build),
// behind a one-byte codec tag so a later codec can sit beside this one. A document written before the
// documents were compressed is JSON text, and reads as it is: a store is usable while `spot store compact`
// is still re-encoding it, or if it never runs.

const DEFLATE_RAW = 1;
/**
 * zlib's default level (6). On simulated documents level 9 saved under 1% more, and brotli at a similar speed
 * 3-6%: a text document of 16 KB packs to 2.3-3.4 KB either way.
 */
const LEVEL = constants.Z_DEFAULT_COMPRESSION;

export type StoredDoc = string | Buffer;

export function pack(value: unknown): Buffer {
  return packText(JSON.stringify(value));
}

/** Packs JSON text as it is, byte for byte (re-encoding a stored document keeps exactly what was written). */
export function packText(json: string): Buffer {
  const body = deflateRawSync(json, { level: LEVEL });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = DEFLATE_RAW;
  body.copy(out, 1);
  return out;
}

/** The JSON text of a stored document, whichever way it was written. */
export function unpackText(stored: StoredDoc): string {
  if (typeof stored === 'string') return stored;
  if (stored[0] !== DEFLATE_RAW) {
    throw new StoreError(
      `a stored document has codec ${stored[0]}, unknown to this Spot: upgrade Spot to read this database`,
    );
  }
  return inflateRawSync(stored.subarray(1)).toString('utf8');
}

export function unpack<T>(stored: StoredDoc): T {
  return JSON.parse(unpackText(stored)) as T;
}
