import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshHomes, spot } from '../support/cli.js';

// A bad value typed after a flag is told as the flag's, the way every flag's own check words it: the flag's name,
// the value in single quotes, and where the help is (README, Commands).

const root = mkdtempSync(join(tmpdir(), 'spot-flag-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));

const freshHome = freshHomes(root);

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

  test("a value a flag sets a config key to is told as the flag's, for every flag that sets one", async () => {
    const hint = "(run 'spot crawl --help' for usage)";
    for (const [args, said] of [
      [
        ['--history-server', 'notaurl'],
        "--history-server: expected an http:// or https:// URL, e.g. http://host:port, got 'notaurl'",
      ],
      [['--yarn', 'notaurl'], "--yarn: expected an http:// or https:// URL, e.g. http://host:port, got 'notaurl'"],
      [['--concurrency', '100000'], "--concurrency: must be 64 or less, got '100000'"],
      [
        ['--history-server', 'http://127.0.0.1:1/api/v1/applications'],
        "--history-server: is an API request's URL, not the server's address: end it at api/v1, " +
          'as in http://127.0.0.1:1/api/v1',
      ],
    ] as const) {
      const home = freshHome();
      const r = await spot(home, ['crawl', '--once', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `spot: ${said} ${hint}\n`);
      assert.equal(existsSync(join(home, 'spot.db')), false, 'a usage error opens no store');
    }
  });

  test('beside a bad variable, a bad flag is still named, and the variable too', async () => {
    const r = await spot(freshHome(), ['crawl', '--once', '--history-server', 'x'], {
      SPOT_CRAWLER_CONCURRENCY: '1000',
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      "spot: --history-server: expected an http:// or https:// URL, e.g. http://host:port, got 'x'; " +
        "config key 'crawler.concurrency' from SPOT_CRAWLER_CONCURRENCY: must be 64 or less, got '1000'\n",
    );
  });

  test('what was typed is echoed without terminal escape sequences, in every kind of error line', async () => {
    const red = '\u001b[31m';
    for (const [args, said] of [
      [
        ['runs', '--limit', `${red}X`],
        "spot: --limit must be a whole number of 1 or more, got 'X' (run 'spot runs --help' for usage)",
      ],
      [
        ['report', '--since', `${red}x`],
        "spot: --since must be an ISO date like 2024-01-31 or 2024-01-31T12:00:00Z, got 'x' (run 'spot report --help' for usage)",
      ],
      [[`${red}bogus`], "spot: unknown command 'bogus' (run 'spot --help' for usage)"],
      [
        ['import', join(root, `${red}none.jsonl`)],
        `spot: cannot read ${join(root, 'none.jsonl')}: no such file or folder`,
      ],
    ]) {
      const r = await spot(freshHome(), args as string[]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `${said}\n`);
    }
  });
});
