import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spot } from '../support/cli.js';
import { ROOT } from '../support/paths.js';

const home = mkdtempSync(join(tmpdir(), 'spot-main-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('spot (the program)', () => {
  test('--version and -V print the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await spot(home, [flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
    }
  });

  test("commander's usage errors are one `spot:` line naming the command's --help, exit 2", async () => {
    const cases: [string[], string][] = [
      [['runs', '--bogus'], "unknown option '--bogus' (run 'spot runs --help' for usage)"],
      [['bogus'], "unknown command 'bogus' (run 'spot --help' for usage)"],
      [['rus'], "unknown command 'rus' (Did you mean runs?) (run 'spot --help' for usage)"],
      [
        ['runs', '--limit', '0'],
        "option '--limit <n>' argument '0' is invalid. --limit must be a whole number of 1 or more, got '0' " +
          "(run 'spot runs --help' for usage)",
      ],
      [
        ['kibana', 'export'],
        "required option '--out <file>' not specified (run 'spot kibana export --help' for usage)",
      ],
      [['import'], "missing required argument 'file' (run 'spot import --help' for usage)"],
      [['store', 'bogus'], "unknown command 'bogus' (run 'spot store --help' for usage)"],
    ];
    for (const [args, line] of cases) {
      const r = await spot(home, args);
      assert.equal(r.code, 2, `spot ${args.join(' ')}`);
      assert.equal(r.stderr, `spot: ${line}\n`);
      assert.equal(r.stdout, '');
    }
  });
});
