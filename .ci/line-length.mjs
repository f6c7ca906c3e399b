#!/usr/bin/env node
// Biome's formatter keeps code within 120 columns but leaves comments and literals as written. This check holds
// comments, and code without a literal, to the same limit; a line may run over only for one long string, template,
// regular expression or test name (as ESLint's max-len with ignoreStrings, ignoreTemplateLiterals and
// ignoreRegExpLiterals), since breaking those hurts searching for a message more than it helps reading.
// Usage: node .ci/line-length.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 120;
const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.cjs'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('test/fixtures/') && !f.startsWith('bench/data/'));

const isComment = (line) => /^\s*(\/\/|\/\*|\*)/.test(line);
const hasLiteral = (line) => /['"`]|\/[^/\s].*\/[dgimsuy]*[,;)]/.test(line);

let over = 0;
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const length = [...line].length;
      if (length <= LIMIT || (!isComment(line) && hasLiteral(line))) return;
      over++;
      console.error(`${file}:${i + 1}: ${length} characters (limit ${LIMIT})`);
    });
}
if (over > 0) {
  console.error(
    `${over} line(s) over ${LIMIT} characters: wrap the comment or let \`npx biome format --write\` wrap the code`,
  );
  process.exit(1);
}
