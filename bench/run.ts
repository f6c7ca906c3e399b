// Runs every benchmark in bench/ (each prints its own figures; none asserts anything), one after the other.
// Usage: npm run bench [-- NAME ...]   e.g. npm run bench -- crawl
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2).map((n) => n.replace(/\.ts$/, '')));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== self)
  .filter((f) => wanted.size === 0 || wanted.has(f.replace(/\.ts$/, '')))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${file} exited with ${r.status ?? r.signal} after ${seconds} s\n`);
  } else {
    process.stdout.write(`(bench/${file}: ${seconds} s)\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
