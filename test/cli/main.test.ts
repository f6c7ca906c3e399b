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
        "--limit must be a whole number of 1 or more, got '0' (run 'spot runs --help' for usage)",
      ],
      [
        ['kibana', 'export'],
        "required option '--out <file>' not specified (run 'spot kibana export --help' for usage)",
      ],
      [['import'], "missing required argument 'file' (run 'spot import --help' for usage)"],
      [['store', 'bogus'], "unknown command 'bogus' (run 'spot store --help' for usage)"],
      [
        ['runs', 'extra'],
        "too many arguments for 'runs'. Expected 0 arguments but got 1 (run 'spot runs --help' for usage)",
      ],
    ];
    for (const [args, line] of cases) {
      const r = await spot(home, args);
      assert.equal(r.code, 2, `spot ${args.join(' ')}`);
      assert.equal(r.stderr, `spot: ${line}\n`);
      assert.equal(r.stdout, '');
    }
  });

  test('--help says what the README says: the sources crawl reads, what --json prints, --out - for stdout', async () => {
    const help = async (...args: string[]) => {
      const r = await spot(home, [...args, '--help']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.replace(/\s+/g, ' ');
    };
    assert.match(await help(), /crawl \[options\] read finished apps from a Spark History Server, event logs or YARN/);
    const runs = await help('runs');
    assert.match(runs, /--app <name> only this app name, tag or job key/);
    assert.match(runs, /--json one aggregated document per line \(an imported run: its run record\)/);
    assert.match(
      await help('report'),
      /--out <file> output file, - for standard output \(default: "spot-report\.html"\)/,
    );
    assert.match(await help('kibana', 'export'), /--out <file> the \.ndjson file to write, - for standard output/);
    // The demo's limits and defaults as it applies them, worded as other defaults are; --serve's six days (README).
    const demo = await help('demo');
    assert.match(demo, /--launches <n> number of launches \(default: 20, at most 365\)/);
    assert.match(demo, /--serve only start the simulated History Server, with six days of runs,/);
    assert.match(demo, /--port <n> port of --serve \(default: 18080; 0 picks a free one\)/);
  });
});
