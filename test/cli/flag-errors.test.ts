import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';

// A bad value typed after a flag is told as the flag's, the way every flag's own check words it: the flag's name,
// the value in single quotes, and where the help is (README, Commands).

const root = mkdtempSync(join(tmpdir(), 'spot-flag-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));

let homes = 0;
function freshHome(): string {
  const home = join(root, `home-${++homes}`);
  mkdirSync(home);
  return home;
}

describe('errors in values given by flags', () => {
  test("--index-prefix quotes the value it refuses as every flag's check does", async () => {
    for (const [prefix, said] of [
      ['_x', "must not start with - _ or + (it starts index names), got '_x'"],
      ['a*b', "must be part of an index name: not empty, none of \\ / * ? \" < > | , # : or spaces, got 'a*b'"],
      // What is typed is shown as a terminal can take it: an escape sequence in it does not colour the line.
      [
        'a\u001b[31m b',
        "must be part of an index name: not empty, none of \\ / * ? \" < > | , # : or spaces, got 'a b'",
      ],
    ]) {
      const home = freshHome();
      const r = await spot(home, ['kibana', 'export', '--out', 'k.ndjson', '--index-prefix', prefix!]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `spot: --index-prefix ${said} (run 'spot kibana export --help' for usage)\n`);
      assert.equal(existsSync(join(home, 'k.ndjson')), false);
    }
  });
});
