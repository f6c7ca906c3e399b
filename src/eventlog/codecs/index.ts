import { PassThrough, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { lz4Decoder } from './lz4.js';
import { lzfDecoder } from './lzf.js';
import { snappyDecoder } from './snappy.js';
import { zstdDecoder } from './zstd.js';

// Spark names a compressed event log by its codec's short name (spark.eventLog.compression.codec):
// `<app>.lz4`, `.lzf`, `.snappy`, `.zstd`; Databricks gzips the parts it rolls (`.gz`). One table from that suffix
// to the decoder.

export type CodecName = 'none' | 'gz' | 'lz4' | 'lzf' | 'snappy' | 'zstd';

const DECODERS: Record<Exclude<CodecName, 'none'>, (opts: { open?: boolean }) => Transform> = {
  gz: () => createGunzip(),
  lz4: lz4Decoder,
  lzf: lzfDecoder,
  snappy: snappyDecoder,
  zstd: zstdDecoder,
};

export function codecOfName(fileName: string): CodecName {
  const dot = fileName.lastIndexOf('.');
  const ext = dot < 0 ? '' : fileName.slice(dot + 1);
  return ext in DECODERS ? (ext as CodecName) : 'none';
}

/**
 * `open`: the bytes are the last part of a log still being written, which may end inside an unclosed frame (zstd);
 * the block codecs' frames are whole or cut short either way.
 */
export function decoderFor(codec: CodecName, opts: { open?: boolean } = {}): Transform {
  return codec === 'none' ? new PassThrough() : DECODERS[codec](opts);
}
