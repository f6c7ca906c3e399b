import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';

// A mistyped path reads the same in every command that takes one, in words rather than Node's "ENOENT".

const home = mkdtempSync(join(tmpdir(), 'spot-missing-path-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('a path that is not there', () => {
  test('to read: "cannot read PATH: no such file or folder", for --config, spot import and --event-logs', async () => {
    const nope = join(home, 'nope');
    const cases: [string[], string][] = [
      [['runs', '--config', join(nope, 'spot.yml')], `cannot read ${join(nope, 'spot.yml')}`],
      [['import', join(nope, 'runs.jsonl')], `cannot read ${join(nope, 'runs.jsonl')}`],
      [['crawl', '--once', '--event-logs', nope], `cannot read --event-logs ${nope}`],
    ];
    for (const [args, what] of cases) {
      const r = await spot(home, args);
      assert.equal(r.stderr, `spot: ${what}: no such file or folder\n`, args.join(' '));
      assert.equal(r.code, 2, args.join(' '));
    }
  });

  test('to write into: "cannot write ... to FILE: no such folder: FOLDER", for report --out and kibana --out', async () => {
    const folder = join(home, 'reports');
    for (const [args, what] of [
      [['report', '--out', join(folder, 'r.html')], 'the report'],
      [['kibana', 'export', '--out', join(folder, 'k.ndjson')], 'the saved objects'],
    ] as const) {
      const r = await spot(home, [...args]);
      assert.equal(r.stderr, `spot: cannot write ${what} to ${args.at(-1)}: no such folder: ${folder}\n`);
      assert.equal(r.code, 2);
    }
  });
});
