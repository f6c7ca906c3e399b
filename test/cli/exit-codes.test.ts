import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshHomes, spot } from '../support/cli.js';

// README, Commands: 0 success, 1 runtime failure, 2 usage or configuration error, for every command alike. Each kind
// of mistake a user can make is tried on every command that can meet it, and each answers with one line.

const root = mkdtempSync(join(tmpdir(), 'spot-exit-codes-'));
after(() => rmSync(root, { recursive: true, force: true }));

const freshHome = freshHomes(root);

const RUN = (i: number) =>
  JSON.stringify({
    app: 'daily_sales',
    inputBytes: i * 1e9,
    executors: 2 * i,
    executorCores: 4,
    durationMs: 100_000 + 7_000 * i,
    succeeded: true,
    endTime: `2024-01-0${i}T12:00:00Z`,
  });
const runsFile = join(root, 'runs.jsonl');
const nope = join(root, 'nope');

/** A SPOT_HOME whose store holds six runs of daily_sales. */
let stocked: string;
before(async () => {
  writeFileSync(runsFile, `${[1, 2, 3, 4, 5, 6].map(RUN).join('\n')}\n`);
  stocked = freshHome();
  const r = await spot(stocked, ['import', runsFile]);
  assert.equal(r.code, 0, r.stderr);
});

type Case = [args: string[], code: number];

/**
 * Runs each case in a home `home()` gives; checks its exit code, that stderr is one `spot:` line and, with `ending`,
 * how that line ends.
 */
async function check(
  cases: Case[],
  home: () => string,
  env: NodeJS.ProcessEnv = {},
  ending?: (args: string[]) => string,
): Promise<void> {
  for (const [args, code] of cases) {
    const r = await spot(home(), args, env);
    const what = `spot ${args.join(' ')}: ${r.stderr}`;
    assert.equal(r.code, code, what);
    assert.match(r.stderr, /^spot: [^\n]+\n$/, what);
    if (ending) assert.ok(r.stderr.endsWith(ending(args)), what);
  }
}

describe('exit codes, the same for the same kind of mistake in every command', () => {
  test('a bad flag, argument or combination of them: 2, and where the help is', async () => {
    const cases: Case[] = [
      [['bogus'], 2],
      [['runs', '--bogus'], 2],
      [['runs', '--limit', '0'], 2],
      [['runs', '--app', 'x', '--errors'], 2],
      [['crawl', '--once', '--concurrency', 'x'], 2],
      [['crawl', '--once', '--event-logs', root, '--yarn', 'http://127.0.0.1:1'], 2],
      [['crawl', '--once', '--since', 'yesterday', '--history-server', 'http://127.0.0.1:1'], 2],
      [['import'], 2],
      [['predict', '--app', 'daily_sales', '--executors', '2', '--executor-cores', '2'], 2],
      [['predict', ...['--app', 'daily_sales', '--executors', '2', '--executor-cores', '2'], '--input-bytes', '0'], 2],
      [
        [
          'predict',
          ...['--app', 'x', '--executors', '2', '--executor-cores', '2', '--input-bytes', '1g'],
          '--executor-memory',
          '4x',
        ],
        2,
      ],
      [['explain'], 2],
      [['explain', 'a', 'b'], 2],
      [['explain', '--advice', 'ab'], 2],
      [['explain', '--svg', '-', 'app-1'], 2],
      [['report', '--since', 'yesterday'], 2],
      [['store', 'copy', '--from', 'sqlite', '--to', 'sqlite'], 2],
      [['store', 'copy', '--from', 'foo', '--to', 'sqlite'], 2],
      [['kibana', 'export', '--out', '-', '--index-prefix', 'a b'], 2],
      [['demo', '--launches', '366'], 2],
      [['demo', '--port', '80'], 2],
    ];
    await check(cases, freshHome, {}, (args) => {
      const command = args[0] === 'store' || args[0] === 'kibana' ? args.slice(0, 2).join(' ') : args[0];
      return ` (run '${args[0] === 'bogus' ? 'spot' : `spot ${command}`} --help' for usage)\n`;
    });
  });

  test('an input file that is not there or not a file: 2, as a --config FILE that is not there', async () => {
    await check(
      [
        [['runs', '--config', join(nope, 'spot.yml')], 2],
        [['import', join(nope, 'runs.jsonl')], 2],
        [['import', root], 2],
        [['crawl', '--once', '--event-logs', nope], 2],
        [['report', '--out', join(nope, 'r.html')], 2],
        [['explain', '--svg', join(nope, 'a.svg'), '--', '--name', 'daily_sales', 'app.jar'], 2],
        [['kibana', 'export', '--out', join(nope, 'k.ndjson')], 2],
      ],
      freshHome,
    );
  });

  test('a store that cannot be reached: 1', async () => {
    const unreachable = { SPOT_STORE_TYPE: 'elasticsearch', SPOT_ELASTICSEARCH_URL: 'http://127.0.0.1:1' };
    await check(
      [
        [['import', runsFile], 1],
        [['runs'], 1],
        [['crawl', '--once', '--event-logs', root], 1],
        [['predict', '--app', 'daily_sales', '--executors', '2', '--executor-cores', '2', '--input-bytes', '1g'], 1],
        [['explain', 'app-1'], 1],
        [['explain', '--', '--name', 'daily_sales', 'app.jar'], 1],
        [['report', '--out', '-'], 1],
        [['store', 'copy', '--from', 'elasticsearch', '--to', 'sqlite'], 1],
      ],
      freshHome,
      unreachable,
    );
  });

  test('no store yet: 1 where something was asked of it, 0 where an empty answer is the answer', async () => {
    await check(
      [
        [['predict', '--app', 'daily_sales', '--executors', '2', '--executor-cores', '2', '--input-bytes', '1g'], 1],
        [['explain', 'app-1'], 1],
        [['explain', '--advice', 'abcd'], 1],
        [['status'], 1],
        [['store', 'compact'], 1],
      ],
      freshHome,
    );
    const cluster = { SPOT_ELASTICSEARCH_URL: 'http://127.0.0.1:1' };
    await check([[['store', 'copy', '--from', 'sqlite', '--to', 'elasticsearch'], 1]], freshHome, cluster);
    for (const args of [['runs'], ['report', '--out', '-']]) {
      const r = await spot(freshHome(), args);
      assert.equal(r.code, 0, `spot ${args.join(' ')}: ${r.stderr}`);
    }
  });

  test('nothing found of what was named: 1 for one thing asked about, 0 for a listing that comes out empty', async () => {
    await check(
      [
        [['predict', '--app', 'nosuch', '--executors', '2', '--executor-cores', '2', '--input-bytes', '1g'], 1],
        [['explain', 'app-1'], 1],
        [['explain', '--advice', 'abcd'], 1],
      ],
      () => stocked,
    );
    for (const args of [
      ['runs', '--app', 'nosuch'],
      ['report', '--app', 'nosuch', '--out', '-'],
    ]) {
      const r = await spot(stocked, args);
      assert.equal(r.code, 0, `spot ${args.join(' ')}: ${r.stderr}`);
    }
  });
});
