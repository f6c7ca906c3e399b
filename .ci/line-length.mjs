#!/usr/bin/env node
// Biome's formatter keeps code within 120 columns but leaves long strings and comments as written; this check
// holds those to the same limit, so that every tracked source line fits. Usage: node .ci/line-length.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 120;
const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.cjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('test/fixtures/') && !f.startsWith('bench/data/'));
let over = 0;
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if ([...line].length > LIMIT) {
        over++;
        console.error(`${file}:${i + 1}: ${[...line].length} characters (limit ${LIMIT})`);
      }
    });
}
if (over > 0) {
  console.error(`${over} line(s) over ${LIMIT} characters`);
  process.exit(1);
}
