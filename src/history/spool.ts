import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { jsonArrayElements } from './json-array.js';

// Reading answers in bounded memory. A listing can be hundreds of megabytes (a History Server that ignores
// `limit`, or one full listing); it goes to a temporary file as it arrives and is parsed from there one
// element at a time, so memory follows one app, not the listing.

type Body = AsyncIterable<Buffer> & { destroy(err?: Error): unknown };

/** The body as text, or undefined (and the body dropped) once it grows past `maxBytes`. */
export async function readCapped(body: Body, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export type Spooled = { kind: 'array'; bytes: number; items(): AsyncIterable<unknown>; remove(): Promise<void> };
export type SpoolResult = Spooled | { kind: 'too-large' } | { kind: 'bad'; reason: string };

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Writes a JSON array answer to a temporary file. Checks the cheap signs of a whole array (first byte '[',
 * last ']') so that a proxy's HTML page or a cut-off answer is retried like any other garbled answer.
 */
export async function spoolArray(body: Body, maxBytes: number): Promise<SpoolResult> {
  const dir = await mkdtemp(join(tmpdir(), 'spot-listing-'));
  const file = join(dir, 'listing.json');
  const remove = () => rm(dir, { recursive: true, force: true });
  const out = createWriteStream(file, { mode: 0o600 });
  let size = 0;
  let first: number | undefined;
  let last: number | undefined;
  let head = '';
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        out.destroy();
        await remove();
        return { kind: 'too-large' };
      }
      if (head.length < 200) head += chunk.subarray(0, 200).toString('utf8');
      for (let i = 0; first === undefined && i < chunk.length; i++) if (!isSpace(chunk[i]!)) first = chunk[i];
      for (let i = chunk.length - 1; i >= 0; i--) {
        if (!isSpace(chunk[i]!)) {
          last = chunk[i];
          break;
        }
      }
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    await remove();
    throw err;
  }
  if (first !== 0x5b || last !== 0x5d) {
    await remove();
    const reason = /^\s*</.test(head)
      ? `HTML instead of JSON ("${head.replace(/\s+/g, ' ').trim().slice(0, 60)}")`
      : first === 0x5b
        ? `incomplete or malformed JSON (${size} bytes)`
        : `expected a JSON array, got "${head.trim().slice(0, 40)}"`;
    return { kind: 'bad', reason };
  }
  return {
    kind: 'array',
    bytes: size,
    items: () => jsonArrayElements(file),
    remove,
  };
}
