import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// `npm run bench -- NAME [OPTIONS]` (bench/run.ts): the options after the name reach that benchmark, and a name
// that is no benchmark is said, rather than running nothing and exiting 0.

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...HANG_GUARD,
  });
}

test('options after the benchmark name go to it: npm run bench -- status --runs 200', () => {
  const r = run('status', '--runs', '200');
  assert.equal(r.status, 0, ended(r));
  assert.match(r.stdout, /=== bench\/status\.ts ===/);
  assert.match(r.stdout, /over 200 aggregated documents/);
});

test('a name that is no benchmark is one line naming the benchmarks there are, exit 2, nothing run', () => {
  const r = run('crawll');
  assert.equal(r.status, 2, ended(r));
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    /^npm run bench: no benchmark 'crawll' \(did you mean 'crawl'\?\); there are: accuracy, crawl, /,
  );
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
});
