import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { spot } from '../support/cli.js';
import { SPOT_BIN } from '../support/paths.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { startEsStandin } from '../support/es-standin.js';
import { HANG_GUARD } from '../support/spawn.js';

const GIB = 1024 ** 3;

function line(i: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    app: i % 4 === 3 ? 'other' : 'etl',
    inputBytes: (40 + i) * GIB,
    executors: 4 + i,
    executorCores: 4,
    executorMemoryBytes: 16 * GIB,
    durationMs: 60_000 + i * 1000,
    succeeded: true,
    endTime: `2024-01-${String(i + 1).padStart(2, '0')}T12:00:00Z`,
    ...over,
  });
}

/** Runs `fn` with a SPOT_HOME of its own, removed afterwards. */
async function inTempHome(prefix: string, fn: (home: string) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  try {
    await fn(home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function storedRecords(home: string) {
  const store = await SqliteStore.open(join(home, 'spot.db'));
  try {
    return await store.records({});
  } finally {
    await store.close();
  }
}

describe('spot import', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'spot-import-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('imports every line, counts per app, and re-importing changes nothing', async () => {
    const file = join(home, 'good.jsonl');
    const lines = Array.from({ length: 8 }, (_, i) => line(i));
    lines.splice(2, 0, ''); // blank lines are skipped
    lines.push(
      line(20, {
        id: 'given-id',
        shufflePartitions: 200,
        dynamicAllocation: false,
        executorMemoryBytes: '8g',
        memoryBytesSpilled: 3e9,
        diskBytesSpilled: 1e9,
        jvmGcTimeMs: 4000,
        executorRunTimeMs: 90000,
      }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await spot(home, ['import', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'imported 9 lines, 9 new runs: etl 7, other 2');
    const first = await storedRecords(home);
    assert.equal(first.length, 9);
    const given = first.find((x) => x.id === 'given-id')!;
    assert.equal(given.executorMemoryBytes, 8 * GIB);
    assert.equal(given.shufflePartitions, 200);
    assert.deepEqual(
      [given.memoryBytesSpilled, given.diskBytesSpilled, given.jvmGcTimeMs, given.executorRunTimeMs],
      [3e9, 1e9, 4000, 90000],
    );
    assert.equal(given.source, 'import');
    assert.ok(first.filter((x) => x.id !== 'given-id').every((x) => /^import-[0-9a-f]{20}$/.test(x.id)));
    const again = await spot(home, ['import', file]);
    assert.equal(again.code, 0);
    assert.equal(again.stdout.trim(), 'imported 9 lines, 0 new runs');
    const second = await storedRecords(home);
    assert.deepEqual(second.map((x) => x.id).sort(), first.map((x) => x.id).sort());
  });

  test('on Elasticsearch too, re-importing counts 0 new runs and a repeated line one', async () => {
    const es = await startEsStandin();
    try {
      await inTempHome('spot-import-es-', async (h) => {
        writeFileSync(join(h, '.spotrc.yml'), `store:\n  type: elasticsearch\nelasticsearch:\n  url: ${es.url}\n`);
        const file = join(h, 'runs.jsonl');
        writeFileSync(file, `${[line(0), line(1), line(1)].join('\n')}\n`);
        const first = await spot(h, ['import', file]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout.trim(), 'imported 3 lines, 2 new runs: etl 2');
        const again = await spot(h, ['import', file]);
        assert.equal(again.stdout.trim(), 'imported 3 lines, 0 new runs');
        assert.equal(es.indexes.get('spot_runs_default')!.docs.size, 2);
      });
    } finally {
      await es.close();
    }
  });

  test('- reads the lines from standard input, checked whole before any is stored', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
    await inTempHome('spot-import-stdin-', async (h) => {
      const run = (input: string) =>
        spawnSync(process.execPath, [SPOT_BIN, 'import', '-'], {
          ...HANG_GUARD,
          cwd: h,
          env: { ...env, SPOT_HOME: h },
          input,
          encoding: 'utf8',
        });
      const bad = run(`${line(0)}\nnot json\n`);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /^standard input: line 2: not valid JSON/m);
      assert.match(bad.stderr, /nothing imported: 1 bad line in standard input/);
      const ok = run(`${line(0)}\n${line(1)}\n`);
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(ok.stdout.trim(), 'imported 2 lines, 2 new runs: etl 2');
      assert.equal((await storedRecords(h)).length, 2);
    });
  });

  test('a pipe given as the file (<(zcat ...), /dev/stdin) is read once and imported whole', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
    await inTempHome('spot-import-pipe-', async (h) => {
      const file = join(h, 'runs.jsonl');
      writeFileSync(file, `${line(0)}\n${line(1)}\n`);
      const viaBash = (script: string) =>
        spawnSync('bash', ['-c', script], { ...HANG_GUARD, cwd: h, env: { ...env, SPOT_HOME: h }, encoding: 'utf8' });
      const sub = viaBash(`'${process.execPath}' '${SPOT_BIN}' import <(cat '${file}')`);
      assert.equal(sub.status, 0, sub.stderr);
      assert.equal(sub.stdout.trim(), 'imported 2 lines, 2 new runs: etl 2');
      const dev = viaBash(`cat '${file}' | '${process.execPath}' '${SPOT_BIN}' import /dev/stdin`);
      assert.equal(dev.status, 0, dev.stderr);
      assert.equal(dev.stdout.trim(), 'imported 2 lines, 0 new runs');
    });
  });

  test('a file written on Windows (a byte-order mark, CRLF line ends) imports as the same runs', async () => {
    await inTempHome('spot-import-bom-', async (h) => {
      const file = join(h, 'windows.jsonl');
      writeFileSync(file, `\uFEFF${line(0)}\r\n${line(1)}\r\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'imported 2 lines, 2 new runs: etl 2');
      // The same lines without them derive the same ids: nothing new.
      writeFileSync(file, `${line(0)}\n${line(1)}\n`);
      assert.equal((await spot(h, ['import', file])).stdout.trim(), 'imported 2 lines, 0 new runs');
    });
  });

  test('bytes that are not UTF-8 are a bad line naming the byte; nothing is imported or mangled', async () => {
    await inTempHome('spot-import-latin1-', async (h) => {
      const file = join(h, 'latin1.jsonl');
      // Line 2 as a Latin-1 editor saves it: "ü" is the one byte 0xFC. Line 3 holds a real U+FFFD, which is UTF-8.
      const latin1 = Buffer.from(line(1, { app: 'Müller etl' }), 'latin1');
      const lines = [Buffer.from(line(0)), latin1, Buffer.from(line(2, { app: 'etl \uFFFD' }))];
      writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `${file}: line 2: not UTF-8: byte 0xFC at byte 10 of the line (save the file as UTF-8, e.g. iconv -f latin1 -t utf-8)\n` +
          `spot: nothing imported: 1 bad line in ${file}\n`,
      );
      assert.equal(r.stdout, '');
      assert.equal(existsSync(join(h, 'spot.db')), false);
      // The same from standard input; and once saved as UTF-8, every name is stored as written.
      const piped = spawnSync(process.execPath, [SPOT_BIN, 'import', '-'], {
        ...HANG_GUARD,
        input: readFileSync(file),
        env: {
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_'))),
          SPOT_HOME: h,
        },
        cwd: h,
      });
      assert.equal(piped.status, 1);
      assert.match(piped.stderr.toString(), /^standard input: line 2: not UTF-8: byte 0xFC at byte 10 of the line/);
      writeFileSync(file, `${line(0)}\n${line(1, { app: 'Müller etl' })}\r${line(2, { app: 'etl \uFFFD' })}`);
      const fixed = await spot(h, ['import', file]);
      assert.equal(fixed.code, 0, fixed.stderr);
      const apps = (await storedRecords(h)).map((x) => x.app).sort();
      assert.deepEqual(apps, ['Müller etl', 'etl', 'etl \uFFFD']);
    });
  });

  test('a line past 1 MiB is a bad line, skipped unread: not gathered whole, not a run with a name of megabytes', async () => {
    await inTempHome('spot-import-long-', async (h) => {
      const file = join(h, 'long.jsonl');
      const mib = 2 ** 20;
      const lines = [
        line(0),
        'x'.repeat(3 * mib),
        line(1, { appName: 'n'.repeat(2 * mib) }),
        `${line(2)}\r`,
        'y'.repeat(mib + 1),
      ];
      writeFileSync(file, lines.join('\n'));
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      const why = 'longer than 1 MiB, not a run record (is the file JSON lines?)';
      assert.equal(
        r.stderr,
        `${file}: line 2: ${why}\n${file}: line 3: ${why}\n${file}: line 5: ${why}\n` +
          `spot: nothing imported: 3 bad lines in ${file}\n`,
      );
      assert.equal(existsSync(join(h, 'spot.db')), false);
    });
  });

  test('a bad line is reported with its number and nothing is imported', async () => {
    await inTempHome('spot-import-bad-', async (h) => {
      const file = join(h, 'bad.jsonl');
      const lines = [
        line(0),
        line(1),
        line(2, { durationMs: undefined }),
        line(3),
        '{"app": "etl", oops',
        line(5, { executors: 0 }),
        line(6, { durationMS: 5 }),
        line(7, { executors: 8.5, succeeded: 'yes' }),
      ];
      writeFileSync(file, lines.join('\n'));
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /line 3: durationMs: is required\n/);
      assert.match(r.stderr, /line 5: not valid JSON/);
      assert.match(r.stderr, /line 6: executors: must be above 0, got 0\n/);
      assert.match(r.stderr, /line 7: unknown field 'durationMS'/);
      // Every problem of a line at once.
      assert.match(
        r.stderr,
        /line 8: executors: must be a whole number, got 8\.5; succeeded: must be true or false, got "yes"\n/,
      );
      assert.match(r.stderr, /nothing imported: 5 bad lines/);
      assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
      assert.equal(r.stdout, '');
      assert.equal((await storedRecords(h)).length, 0);
    });
  });

  test('a field left out or mistyped is named as such: "is required", and the field it was likely meant as', async () => {
    const file = join(home, 'mistyped.jsonl');
    const { inputBytes, ...rest } = JSON.parse(line(0)) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify(rest)}\n${JSON.stringify({ ...rest, inputbytes: inputBytes })}\n`);
    const r = await spot(home, ['import', file]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `${file}: line 1: inputBytes: is required\n` +
        `${file}: line 2: inputBytes: is required; unknown field 'inputbytes' (did you mean 'inputBytes'?)\n` +
        `spot: nothing imported: 2 bad lines in ${file}\n`,
    );
  });

  test('a JSON document (an array of runs, or one run pretty-printed) is named as one, with the jq line that fixes it', async () => {
    const runs = [JSON.parse(line(0)), JSON.parse(line(1))] as unknown[];
    for (const [text, jq] of [
      [JSON.stringify(runs), "jq -c '.[]'"],
      [JSON.stringify(runs, null, 2), "jq -c '.[]'"],
      [JSON.stringify(runs[0], null, 2), 'jq -c .'],
    ] as const) {
      const file = join(home, 'document.json');
      writeFileSync(file, `${text}\n`);
      const r = await spot(home, ['import', file]);
      assert.equal(r.code, 1);
      const last = r.stderr.trimEnd().split('\n').at(-1);
      assert.match(
        last ?? '',
        new RegExp(
          `^spot: nothing imported: \\d+ bad lines? in ${file.replaceAll('.', '\\.')}; it is one JSON document, not JSON ` +
            `lines \\(one run per line\\): ${jq.replace(/[.[\]]/g, '\\$&')} ${file.replaceAll('.', '\\.')} \\| spot import -$`,
        ),
      );
    }
    // JSON lines with a bad line get no such hint.
    const lines = join(home, 'lines.jsonl');
    writeFileSync(lines, `${line(0)}\n${line(1, { executors: 0 })}\n`);
    const r = await spot(home, ['import', lines]);
    assert.match(r.stderr, /nothing imported: 1 bad line in \S+\n$/);
  });

  test('a bad date or size is named; a missing file is one clear line', async () => {
    const file = join(home, 'dates.jsonl');
    writeFileSync(file, `${line(0, { endTime: 'yesterday' })}\n${line(1, { executorMemoryBytes: 'lots' })}\n`);
    const r = await spot(home, ['import', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 1: endTime: not a date/);
    assert.match(r.stderr, /line 2: executorMemoryBytes: not a size: 'lots'/);
    const missing = await spot(home, ['import', join(home, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^spot: cannot read .*nope\.jsonl: no such file or folder\n$/);
  });

  test('an input size is taken as --spot-input-bytes takes it: bytes or "50g" or "50GiB"; words are named', async () => {
    await inTempHome('spot-import-size-', async (h) => {
      const file = join(h, 'sizes.jsonl');
      writeFileSync(file, `${line(0, { inputBytes: '50g' })}\n${line(1, { inputBytes: '50GiB' })}\n${line(2)}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 0, r.stderr);
      const sizes = (await storedRecords(h)).map((x) => x.inputBytes).sort((a, b) => a - b);
      assert.deepEqual(sizes, [42 * GIB, 50 * GIB, 50 * GIB]);
      writeFileSync(file, `${line(0, { inputBytes: 'fifty' })}\n${line(1, { inputBytes: -1 })}\n`);
      const bad = await spot(h, ['import', file]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /line 1: inputBytes: not a size: 'fifty'/);
      assert.match(bad.stderr, /line 2: inputBytes: must be 0 or more, got -1/);
    });
  });

  test("a job name's terminal control characters never reach the terminal in the summary", async () => {
    await inTempHome('spot-import-esc-', async (h) => {
      const file = join(h, 'esc.jsonl');
      writeFileSync(file, `${line(0, { app: 'etl\u001b[31m red' })}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'imported 1 line, 1 new run: etl red 1\n');
    });
  });

  test('duplicates are counted honestly: a repeated line is one new run', async () => {
    await inTempHome('spot-import-dup-', async (h) => {
      const file = join(h, 'dup.jsonl');
      writeFileSync(file, `${line(3)}\n${line(3)}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'imported 2 lines, 1 new run: other 1');
      const again = await spot(h, ['import', file]);
      assert.equal(again.stdout.trim(), 'imported 2 lines, 0 new runs');
      assert.equal((await storedRecords(h)).length, 1);
    });
  });

  test('negative or zero sizes in every form and implausible or impossible dates are refused; nothing is stored', async () => {
    await inTempHome('spot-import-bad-', async (h) => {
      const file = join(h, 'bad.jsonl');
      const bad = [
        line(0, { executorMemoryBytes: '-5g' }),
        line(1, { executorMemoryBytes: '0' }),
        line(2, { executorMemoryBytes: 0 }),
        line(3, { executorMemoryBytes: -1024 }),
        line(4, { endTime: '0' }),
        line(5, { endTime: '1970-01-01T00:00:00Z' }),
        line(6, { endTime: '2999-01-01T00:00:00Z' }),
        line(7, { endTime: '2025-02-30T00:00:00Z' }),
        line(8),
      ];
      writeFileSync(file, `${bad.join('\n')}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /line 1: executorMemoryBytes: must be above zero, got '-5g'/);
      assert.match(r.stderr, /line 2: executorMemoryBytes: must be above zero, got '0'/);
      assert.match(r.stderr, /line 3: executorMemoryBytes: must be above zero/);
      assert.match(r.stderr, /line 4: executorMemoryBytes: must be above zero/);
      assert.match(r.stderr, /line 5: endTime: not a date/);
      assert.match(r.stderr, /line 6: endTime: implausible date/);
      assert.match(r.stderr, /line 7: endTime: implausible date/);
      assert.match(r.stderr, /line 8: endTime: not a date/, 'a day that does not exist (V8 reads it as 2 March)');
      assert.doesNotMatch(r.stderr, /line 9/);
      assert.match(r.stderr, /nothing imported: 8 bad lines/);
      assert.equal((await storedRecords(h)).length, 0);
    });
  });

  test('one id given to two different runs is a bad line naming both; nothing is imported', async () => {
    await inTempHome('spot-import-ids-', async (h) => {
      const file = join(h, 'ids.jsonl');
      const same = line(0, { id: 'r1' });
      writeFileSync(file, `${same}\n${same}\n${line(1, { id: 'r1', app: 'other' })}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /line 3: id 'r1' is line 1's too, for a different run/);
      assert.doesNotMatch(r.stderr, /line 2:/, 'the same run twice is no conflict');
      assert.equal((await storedRecords(h)).length, 0);
    });
  });

  test('numbers no run comes near are refused: sizes past 8 PiB, durations past a year, counts past a million', async () => {
    await inTempHome('spot-import-huge-', async (h) => {
      const file = join(h, 'huge.jsonl');
      const huge = [
        line(0, { inputBytes: 1e300 }),
        line(1, { durationMs: 1e300 }),
        line(2, { executors: 1e300 }),
        line(3, { memoryBytesSpilled: 1e300 }),
        line(4, { inputBytes: '9p' }),
      ];
      writeFileSync(file, `${huge.join('\n')}\n`);
      const r = await spot(h, ['import', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /line 1: inputBytes: not a size \(at most 8 PiB\)/);
      assert.match(r.stderr, /line 2: durationMs: must be 31622400000 or less/);
      assert.match(r.stderr, /line 3: executors: must be \d+ or less/);
      assert.match(r.stderr, /line 4: memoryBytesSpilled: must be 9007199254740991 or less/);
      // Written as a size too: past 8 PiB is named, not taken for no size.
      assert.match(r.stderr, /line 5: inputBytes: not a size \(at most 8 PiB\): '9p'/);
      assert.equal((await storedRecords(h)).length, 0);
    });
  });

  test('a time written without a zone is UTC, whatever the zone of the machine that imports it', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
    for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      await inTempHome('spot-import-tz-', async (h) => {
        const file = join(h, 'tz.jsonl');
        writeFileSync(
          file,
          `${line(0, { endTime: '2024-01-31T12:00:00' })}\n${line(1, { endTime: '2024-01-31 13:30' })}\n`,
        );
        const r = spawnSync(process.execPath, [SPOT_BIN, 'import', file], {
          ...HANG_GUARD,
          cwd: h,
          env: { ...env, SPOT_HOME: h, TZ: tz },
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        const ends = (await storedRecords(h)).map((x) => x.endTime).sort();
        assert.deepEqual(ends, ['2024-01-31T12:00:00.000Z', '2024-01-31T13:30:00.000Z'], tz);
      });
    }
  });
});
