import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';

// `spot help COMMAND` is `spot COMMAND --help`; a command it does not know is the usage error `spot COMMAND` is
// (README, Commands: exit 2, one line ending with where the help is), not the whole help.

const home = mkdtempSync(join(tmpdir(), 'spot-help-'));
after(() => rmSync(home, { recursive: true, force: true }));

test('spot help with an unknown command: the same one line and exit 2 as the unknown command itself', async () => {
  for (const [args, said] of [
    [['help', 'bogus'], "spot: unknown command 'bogus' (run 'spot --help' for usage)\n"],
    [['help', 'stor'], "spot: unknown command 'stor' (Did you mean store?) (run 'spot --help' for usage)\n"],
    [['help', 'store', 'bogus'], "spot: unknown command 'bogus' (run 'spot store --help' for usage)\n"],
    [['store', 'help', 'bogus'], "spot: unknown command 'bogus' (run 'spot store --help' for usage)\n"],
  ] as const) {
    const r = await spot(home, [...args]);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: said }, args.join(' '));
    // Typed without `help`, the unknown command says the same.
    const direct = await spot(
      home,
      args.filter((a) => a !== 'help'),
    );
    assert.deepEqual(direct, r, args.join(' '));
  }
});

test("spot help COMMAND prints that command's help, a command inside a group too", async () => {
  for (const args of [[], ['crawl'], ['store'], ['store', 'compact'], ['kibana', 'export']]) {
    const asked = await spot(home, ['help', ...args]);
    const flag = await spot(home, [...args, '--help']);
    assert.equal(asked.code, 0, asked.stderr);
    assert.equal(asked.stderr, '');
    assert.equal(asked.stdout, flag.stdout, `spot help ${args.join(' ')}`);
  }
});
