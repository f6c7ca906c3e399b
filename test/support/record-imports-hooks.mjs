// Module hooks for record-imports.mjs (they run on a thread of their own, in the same process).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

let dir;
export function initialize(data) {
  dir = data.dir;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (dir) appendFileSync(join(dir, `${process.pid}.log`), `${resolved.url}\n`);
  return resolved;
}
