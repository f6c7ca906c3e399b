// Runs every benchmark in bench/ (each prints its own figures; none asserts anything), one after the other.
// Usage: npm run bench [-- NAME ... [OPTIONS]]   e.g. npm run bench -- crawl, npm run bench -- crawl --apps 200
// Options (the words from the first that starts with "-") go to each benchmark named, as its own command line.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearest } from '../src/common/nearest.js';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = (firstOption < 0 ? args : args.slice(0, firstOption)).map((n) => basename(n).replace(/\.ts$/, ''));
const options = firstOption < 0 ? [] : args.slice(firstOption);
const known = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== self)
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
// A mistyped name would otherwise run nothing and exit 0, as if the benchmark had run.
const unknown = names.find((n) => !known.includes(n));
if (unknown !== undefined) {
  const near = nearest(unknown, known);
  process.stderr.write(
    `npm run bench: no benchmark '${unknown}'${near ? ` (did you mean '${near}'?)` : ''}; there are: ${known.join(', ')}\n`,
  );
  process.exit(2);
}
const wanted = new Set(names);
const benches = known.filter((n) => wanted.size === 0 || wanted.has(n)).map((n) => `${n}.ts`);

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...options], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${file} exited with ${r.status ?? r.signal} after ${seconds} s\n`);
  } else {
    process.stdout.write(`(bench/${file}: ${seconds} s)\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
