import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';

// A SPOT_HOME where no folder can be (a file on its path) is the user's to fix: one line naming SPOT_HOME and what
// to do, not Node's "ENOTDIR: not a directory, mkdir ...".

const dir = mkdtempSync(join(tmpdir(), 'spot-home-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a-file');
writeFileSync(file, 'not a folder\n');
const runs = join(dir, 'runs.jsonl');
writeFileSync(
  runs,
  `${JSON.stringify({
    app: 'daily_sales',
    inputBytes: 1e9,
    executors: 2,
    executorCores: 4,
    durationMs: 100_000,
    succeeded: true,
    endTime: '2024-01-01T12:00:00Z',
  })}\n`,
);

test('SPOT_HOME under a file: a command that writes says it cannot make SPOT_HOME, in one line', async () => {
  const home = join(file, 'spot');
  const r = await spot(dir, ['import', runs], { SPOT_HOME: home });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stderr,
    `spot: cannot make SPOT_HOME ${home}: a part of its path is not a folder: point SPOT_HOME at a folder you may ` +
      'write, or store.path at the database\n',
  );
});

test('SPOT_HOME that is a file: a command that only reads says so, as one that writes does', async () => {
  const said = `spot: SPOT_HOME ${file} is not a folder: point SPOT_HOME at a folder, or store.path at the database\n`;
  for (const args of [['runs'], ['import', runs]]) {
    const r = await spot(dir, args, { SPOT_HOME: file });
    assert.deepEqual([r.code, r.stderr], [1, said], args.join(' '));
  }
});
