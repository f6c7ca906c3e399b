import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

// `npm run bench` runs every bench/*.ts: bench/status.ts must still run on the store's current schema (it dropped an
// index the compressed-documents migration had replaced, and exited 1 before printing anything).
test('bench/status.ts runs on the current schema and prints both figures', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'status.ts'), '--runs', '200'], {
    cwd: ROOT,
    encoding: 'utf8',
    ...HANG_GUARD,
  });
  assert.equal(r.status, 0, ended(r));
  assert.match(r.stdout, /with the host indexes: +[\d.]+ ms/);
  assert.match(r.stdout, /baseline, scanning the documents: [\d.]+ ms/);
});
