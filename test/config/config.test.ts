import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import { configKeys, envName } from '../../src/config/env.js';
import { configSchema } from '../../src/config/schema.js';
import { ROOT, SPOT_BIN } from '../support/paths.js';
import { ended, HANG_GUARD } from '../support/spawn.js';

/** Runs `fn` in a folder of its own, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-config-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('config', () => {
  test('env var names follow the documented contract', () => {
    assert.equal(envName(['historyServer', 'url']), 'SPOT_HISTORY_SERVER_URL');
    assert.equal(envName(['advisor', 'maxSlowdown']), 'SPOT_ADVISOR_MAX_SLOWDOWN');
    assert.equal(envName(['advisor', 'mode']), 'SPOT_ADVISOR_MODE');
    assert.equal(envName(['advisor', 'cluster', 'maxExecutors']), 'SPOT_ADVISOR_CLUSTER_MAX_EXECUTORS');
  });

  test('defaults apply with no file and no env', async () => {
    await inTempDir(async (dir) => {
      const { config, file } = await loadConfig({ cwd: dir, env: {} });
      assert.equal(file, undefined);
      assert.equal(config.crawler.concurrency, 8);
      assert.equal(config.advisor.mode, 'fill');
      assert.equal(config.advisor.maxSlowdown, 1.1);
      assert.equal(config.store.type, 'sqlite');
    });
  });

  test('flags beat env vars, which beat the file', async () => {
    await inTempDir(async (dir) => {
      writeFileSync(
        join(dir, '.spotrc.yml'),
        'crawler:\n  concurrency: 2\n  sleepSeconds: 5\nadvisor:\n  mode: shadow\n',
      );
      const env = {
        SPOT_CRAWLER_CONCURRENCY: '6',
        SPOT_ADVISOR_PINNED: 'spark.executor.memory, spark.sql.shuffle.partitions',
      };
      const { config, file } = await loadConfig({ cwd: dir, env, overrides: { crawler: { concurrency: 9 } } });
      assert.equal(file, join(dir, '.spotrc.yml'));
      assert.equal(config.crawler.concurrency, 9);
      assert.equal(config.crawler.sleepSeconds, 5);
      assert.equal(config.advisor.mode, 'shadow');
      assert.deepEqual(config.advisor.pinned, ['spark.executor.memory', 'spark.sql.shuffle.partitions']);
      const fromEnv = await loadConfig({ cwd: dir, env });
      assert.equal(fromEnv.config.crawler.concurrency, 6);
    });
  });

  test('an unknown key names the key and the file', async () => {
    await inTempDir(async (dir) => {
      writeFileSync(join(dir, '.spotrc.yml'), 'advisor:\n  maxSlowdon: 1.3\n');
      await assert.rejects(loadConfig({ cwd: dir, env: {} }), (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /unknown config key 'advisor\.maxSlowdon'/);
        assert.ok(e.message.includes(join(dir, '.spotrc.yml')));
        assert.match(e.message, /\(did you mean 'advisor\.maxSlowdown'\?\)$/);
        return true;
      });
      // A key like none of the known ones gets no guess; a top-level typo gets the top-level key.
      writeFileSync(join(dir, '.spotrc.yml'), 'advisor:\n  colour: blue\nhistoryServr:\n  url: http://h:18080\n');
      await assert.rejects(loadConfig({ cwd: dir, env: {} }), (e: Error) => {
        // Both, on one line.
        assert.doesNotMatch(e.message, /\n/);
        assert.match(e.message, /unknown config key 'advisor\.colour' in [^;]*\.spotrc\.yml(;|$)/);
        assert.match(e.message, /unknown config key 'historyServr' in [^;]*\(did you mean 'historyServer'\?\)(;|$)/);
        return true;
      });
    });
  });

  test('an ill-typed env value names the variable', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_CRAWLER_CONCURRENCY: 'many' } }),
      /crawler\.concurrency' from SPOT_CRAWLER_CONCURRENCY: must be a number, got 'many'$/,
    );
  });

  test("a variable's value is quoted as a flag's, as typed text; a file's as JSON, whose quotes tell text from number", async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_CRAWLER_CONCURRENCY: '100', SPOT_STORE_TYPE: 'sqlit' } }),
      (e: Error) => {
        assert.equal(
          e.message,
          "config key 'crawler.concurrency' from SPOT_CRAWLER_CONCURRENCY: must be 64 or less, got '100'; " +
            "config key 'store.type' from SPOT_STORE_TYPE: must be one of 'sqlite', 'elasticsearch', 'opensearch', " +
            "got 'sqlit' (did you mean 'sqlite'?)",
        );
        return true;
      },
    );
    await inTempDir(async (dir) => {
      writeFileSync(join(dir, '.spotrc.yml'), 'crawler:\n  concurrency: "8"\nstore:\n  type: sqlit\n');
      const file = join(dir, '.spotrc.yml');
      await assert.rejects(loadConfig({ cwd: dir, env: {} }), (e: Error) => {
        assert.equal(
          e.message,
          `config key 'crawler.concurrency' in ${file}: must be a number, got "8"; ` +
            `config key 'store.type' in ${file}: must be one of "sqlite", "elasticsearch", "opensearch", ` +
            `got "sqlit" (did you mean "sqlite"?)`,
        );
        return true;
      });
    });
  });

  test('a bad value set by a flag names the flag, and only then is the error a usage one', async () => {
    const flags = { 'historyServer.url': '--history-server', 'crawler.concurrency': '--concurrency' };
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: {}, overrides: { historyServer: { url: 'notaurl' } }, flags }),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(
          e.message,
          "--history-server: expected an http:// or https:// URL, e.g. http://host:port, got 'notaurl'",
        );
        assert.equal(e.fromFlags, true);
        return true;
      },
    );
    await assert.rejects(
      loadConfig({
        cwd: tmpdir(),
        env: { SPOT_HISTORY_SERVER_URL: 'notaurl' },
        overrides: { crawler: { concurrency: 100 } },
        flags,
      }),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /^config key 'historyServer\.url' from SPOT_HISTORY_SERVER_URL: .*, got 'notaurl'; /);
        assert.match(e.message, /; --concurrency: must be 64 or less, got '100'$/);
        assert.equal(e.fromFlags, false, 'a variable is no flag: no usage hint for the line');
        return true;
      },
    );
  });

  test('a section that is no mapping is refused, though SPOT_ variables or flags set keys of it', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, '.spotrc.yml');
      for (const [text, env, overrides, said] of [
        ['store: 5\n', { SPOT_STORE_TYPE: 'sqlite' }, {}, `config key 'store' in ${file}: must be a mapping, got 5`],
        [
          'elasticsearch: "x"\n',
          { SPOT_ELASTICSEARCH_URL: 'http://h:9200' },
          {},
          `config key 'elasticsearch' in ${file}: must be a mapping, got "x"`,
        ],
        [
          'advisor:\n  cluster: 7\n',
          { SPOT_ADVISOR_CLUSTER_MAX_EXECUTORS: '5' },
          {},
          `config key 'advisor.cluster' in ${file}: must be a mapping, got 7`,
        ],
        [
          'store: [sqlite]\n',
          {},
          { store: { type: 'sqlite' } },
          `config key 'store' in ${file}: must be a mapping, got a list of 1`,
        ],
      ] as const) {
        writeFileSync(file, text);
        await assert.rejects(loadConfig({ cwd: dir, env, overrides }), (e: Error) => {
          assert.equal(e.message, said);
          return true;
        });
      }
    });
  });

  test('a config file that does not parse names the file, the language and where', async () => {
    await inTempDir(async (dir) => {
      writeFileSync(join(dir, '.spotrc.yml'), 'crawler:\n\tconcurrency: 4\n');
      await assert.rejects(
        loadConfig({ cwd: dir, env: {} }),
        /\.spotrc\.yml is not valid YAML: Tabs are not allowed as indentation at line 2, column 1$/,
      );
      // What the parser only warns of (and Node would print raw) may change a value: an error too.
      for (const [text, problem] of [
        ['%YAML 1.3\n---\ncrawler: {}\n', /Unsupported YAML version 1\.3 at line 1, column 7$/],
        ['crawler:\n  sleepSeconds: !seconds 3\n', /Unresolved tag: !seconds at line 2, column \d+$/],
      ] as const) {
        writeFileSync(join(dir, '.spotrc.yml'), text);
        await assert.rejects(loadConfig({ cwd: dir, env: {} }), problem);
      }
      rmSync(join(dir, '.spotrc.yml'));
      writeFileSync(join(dir, '.spotrc.json'), '{"crawler": {"concurrency": 4,}}');
      await assert.rejects(loadConfig({ cwd: dir, env: {} }), /\.spotrc\.json is not valid JSON: /);
      // A byte-order mark before valid JSON or YAML is no error.
      writeFileSync(join(dir, '.spotrc.json'), '\uFEFF{"crawler": {"concurrency": 4}}');
      assert.equal((await loadConfig({ cwd: dir, env: {} })).config.crawler.concurrency, 4);
      rmSync(join(dir, '.spotrc.json'));
      writeFileSync(join(dir, '.spotrc.yml'), '\uFEFFcrawler:\n  concurrency: 5\n');
      assert.equal((await loadConfig({ cwd: dir, env: {} })).config.crawler.concurrency, 5);
    });
  });

  test('an index prefix or cluster name no Elasticsearch index name can hold is a config error', async () => {
    for (const [variable, value] of [
      ['SPOT_ELASTICSEARCH_CLUSTER', 'prod eu'],
      ['SPOT_ELASTICSEARCH_INDEX_PREFIX', '_spot'],
      ['SPOT_ELASTICSEARCH_INDEX_PREFIX', 'a/b'],
    ] as const) {
      await assert.rejects(
        loadConfig({ cwd: tmpdir(), env: { [variable]: value } }),
        new RegExp(`from ${variable}: must (be part of an index name|not start with - _ or \\+).*got '${value}'`),
      );
    }
    const ok = await loadConfig({ cwd: tmpdir(), env: { SPOT_ELASTICSEARCH_CLUSTER: 'Prod.EU-1' } });
    assert.equal(ok.config.elasticsearch.cluster, 'Prod.EU-1');
  });

  test('cluster limits that leave nothing to choose are a config error: min above max, no executor cores', async () => {
    await assert.rejects(
      loadConfig({
        cwd: tmpdir(),
        env: { SPOT_ADVISOR_CLUSTER_MIN_EXECUTORS: '50', SPOT_ADVISOR_CLUSTER_MAX_EXECUTORS: '10' },
      }),
      /config key 'advisor\.cluster\.minExecutors' from SPOT_ADVISOR_CLUSTER_MIN_EXECUTORS: must be at most advisor\.cluster\.maxExecutors \(10\), got 50$/,
    );
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_CLUSTER_EXECUTOR_CORES: '' } }),
      /config key 'advisor\.cluster\.executorCores' from SPOT_ADVISOR_CLUSTER_EXECUTOR_CORES: must have at least 1 item, got 0$/,
    );
    const ok = await loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_CLUSTER_MAX_EXECUTORS: '5' } });
    assert.equal(ok.config.advisor.cluster.maxExecutors, 5);
  });

  test('an advisor.appKeyPattern that is no regular expression is a config error when the config is read', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_APP_KEY_PATTERN: '(' } }),
      /config key 'advisor\.appKeyPattern' from SPOT_ADVISOR_APP_KEY_PATTERN: not a valid regular expression/,
    );
  });

  test('a time zone the runtime does not know is refused at load time; a known one loads', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_MENAS_DEFAULT_TIMEZONE: 'Mars/Base' } }),
      /config key 'menas\.defaultTimezone' from SPOT_MENAS_DEFAULT_TIMEZONE: not a time zone name/,
    );
    const loaded = await loadConfig({ cwd: tmpdir(), env: { SPOT_MENAS_DEFAULT_TIMEZONE: 'Europe/Prague' } });
    assert.equal(loaded.config.menas.defaultTimezone, 'Europe/Prague');
  });

  test('a bad item of a list names its place and where the list came from', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_CLUSTER_EXECUTOR_CORES: '4,x' } }),
      /config key 'advisor\.cluster\.executorCores\[1\]' from SPOT_ADVISOR_CLUSTER_EXECUTOR_CORES: must be a number, got 'x'$/,
    );
    await inTempDir(async (dir) => {
      writeFileSync(join(dir, '.spotrc.yml'), 'crawler:\n  concurrency: 2.5\nfindings:\n  spill: [1, 2]\n');
      await assert.rejects(loadConfig({ cwd: dir, env: {} }), (e: Error) => {
        assert.doesNotMatch(e.message, /\n/);
        assert.match(e.message, /^config key 'crawler\.concurrency' in [^;]*: must be a whole number, got 2\.5; /);
        assert.match(e.message, /; config key 'findings\.spill' in [^;]*: must have exactly 4 items, got 2$/);
        return true;
      });
    });
  });

  test('a server address without its scheme names the key and asks for http:// or https://', async () => {
    for (const [variable, key] of [
      ['SPOT_HISTORY_SERVER_URL', 'historyServer.url'],
      ['SPOT_ELASTICSEARCH_URL', 'elasticsearch.url'],
      ['SPOT_YARN_URL', 'yarn.url'],
    ] as const) {
      for (const value of ['127.0.0.1:18080', 'shs-host:18080', 'ftp://shs:18080']) {
        await assert.rejects(
          loadConfig({ cwd: tmpdir(), env: { [variable]: value } }),
          new RegExp(`${key.replace('.', '\\.')}' from ${variable}: expected an http:// or https:// URL`),
          `${variable}=${value}`,
        );
      }
      const ok = await loadConfig({ cwd: tmpdir(), env: { [variable]: 'https://admin:pw@host:8443/api/v1' } });
      assert.ok(ok.config);
    }
  });

  test('a server address with a password but no scheme is rejected without printing the password', async () => {
    for (const value of ['alice:hunter2@shs:18080', 'http//alice:hunter2@shs']) {
      await assert.rejects(loadConfig({ cwd: tmpdir(), env: { SPOT_HISTORY_SERVER_URL: value } }), (e: Error) => {
        assert.match(e.message, /historyServer\.url' from SPOT_HISTORY_SERVER_URL: expected an http/);
        assert.doesNotMatch(e.message, /hunter2/);
        return true;
      });
    }
  });

  test('a server address with a query or fragment is rejected, the query not printed', async () => {
    for (const [variable, key] of [
      ['SPOT_HISTORY_SERVER_URL', 'historyServer.url'],
      ['SPOT_ELASTICSEARCH_URL', 'elasticsearch.url'],
      ['SPOT_YARN_URL', 'yarn.url'],
    ] as const) {
      for (const value of ['http://shs:18080/?token=SECRET', 'http://shs:18080/#SECRET']) {
        await assert.rejects(loadConfig({ cwd: tmpdir(), env: { [variable]: value } }), (e: Error) => {
          assert.match(
            e.message,
            new RegExp(`${key.replace('.', '\\.')}' from ${variable}: must be the server address alone`),
          );
          assert.doesNotMatch(e.message, /SECRET/);
          return true;
        });
      }
    }
  });

  test('times past what a timer holds, spans past a century and absurd concurrency are config errors', async () => {
    for (const [variable, value, message] of [
      [
        'SPOT_CRAWLER_SLEEP_SECONDS',
        '9999999999',
        /crawler\.sleepSeconds' from SPOT_CRAWLER_SLEEP_SECONDS: must be 2147483 or less/,
      ],
      ['SPOT_YARN_SLEEP_SECONDS', '2147484', /yarn\.sleepSeconds' .*: must be 2147483 or less/],
      ['SPOT_HISTORY_SERVER_TIMEOUT_MS', '2147483648', /historyServer\.timeoutMs' .*: must be 2147483647 or less/],
      ['SPOT_SUBMIT_ADVICE_TIMEOUT_MS', '3000000000', /submit\.adviceTimeoutMs' .*: must be 2147483647 or less/],
      ['SPOT_ELASTICSEARCH_TIMEOUT_MS', '3000000000', /elasticsearch\.timeoutMs' .*: must be 2147483647 or less/],
      ['SPOT_CRAWLER_LOOKBACK_HOURS', '1e12', /crawler\.lookbackHours' .*: must be 878400 or less/],
      ['SPOT_CRAWLER_CONCURRENCY', '200000', /crawler\.concurrency' .*: must be 64 or less/],
    ] as const) {
      await assert.rejects(loadConfig({ cwd: tmpdir(), env: { [variable]: value } }), message, `${variable}=${value}`);
    }
    const max = await loadConfig({ cwd: tmpdir(), env: { SPOT_CRAWLER_SLEEP_SECONDS: '2147483' } });
    assert.equal(max.config.crawler.sleepSeconds, 2147483);
  });

  test('a completion timeout as long as the lookback would crawl nothing: a config error naming both', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_CRAWLER_LOOKBACK_HOURS: '0.5' } }),
      /crawler\.completionTimeoutSeconds' .*: must be less than crawler\.lookbackHours in seconds/,
    );
    const ok = await loadConfig({
      cwd: tmpdir(),
      env: { SPOT_CRAWLER_LOOKBACK_HOURS: '0.5', SPOT_CRAWLER_COMPLETION_TIMEOUT_SECONDS: '60' },
    });
    assert.equal(ok.config.crawler.lookbackHours, 0.5);
  });

  test('a deadline objective without its deadline is a config error naming the key to set', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_OBJECTIVE: 'deadline' } }),
      /advisor\.deadlineSeconds' .*: objective deadline needs the deadline: set advisor\.deadlineSeconds/,
    );
    const ok = await loadConfig({
      cwd: tmpdir(),
      env: { SPOT_ADVISOR_OBJECTIVE: 'deadline', SPOT_ADVISOR_DEADLINE_SECONDS: '600' },
    });
    assert.equal(ok.config.advisor.deadlineSeconds, 600);
  });

  test('a cluster name that makes index names longer than the servers allow is a config error', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ELASTICSEARCH_CLUSTER: 'c'.repeat(240) } }),
      /elasticsearch\.cluster' from SPOT_ELASTICSEARCH_CLUSTER: is too long: .* over the 255 bytes/,
    );
    const ok = await loadConfig({ cwd: tmpdir(), env: { SPOT_ELASTICSEARCH_CLUSTER: 'c'.repeat(235) } });
    assert.equal(ok.config.elasticsearch.cluster.length, 235);
  });

  test('finding thresholds out of order are a config error: a grade past them could never be reached', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_FINDINGS_SPILL: '2,1,0.5,0.1' } }),
      /findings\.spill' from SPOT_FINDINGS_SPILL: must rise from low to critical, as the defaults do: 0\.1, 0\.5, 1, 2$/,
    );
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_FINDINGS_OVER_ALLOCATION: '0.1,0.25,0.4,0.6' } }),
      /findings\.overAllocation' .*: must fall from low to critical/,
    );
    const ok = await loadConfig({ cwd: tmpdir(), env: { SPOT_FINDINGS_SPILL: '0.2,0.4,0.8,1.6' } });
    assert.deepEqual(ok.config.findings.spill, [0.2, 0.4, 0.8, 1.6]);
  });

  test('a misspelt SPOT_ variable of a known section is an error; SPOT_HOME is not a key', async () => {
    await assert.rejects(
      loadConfig({ cwd: tmpdir(), env: { SPOT_ADVISOR_MAX_SLOWDON: '2' } }),
      /SPOT_ADVISOR_MAX_SLOWDON/,
    );
    const ok = await loadConfig({
      cwd: tmpdir(),
      env: { SPOT_HOME: '/tmp/x', SPOT_TEST_ES_URL: 'http://127.0.0.1:1' },
    });
    assert.equal(ok.home, '/tmp/x');
    assert.equal(ok.warnings, undefined);
  });

  test('a SPOT_ variable of no known section is ignored with one warning line, from a kept config too', async () => {
    const typo = await loadConfig({
      cwd: tmpdir(),
      env: { SPOT_STROE_TYPE: 'elasticsearch', SPOT_STROE__BACKEND: 'x' },
    });
    assert.equal(typo.config.store.type, 'sqlite');
    assert.deepEqual(typo.warnings, [
      'SPOT_STROE_TYPE is not a Spot setting and is ignored (did you mean SPOT_STORE_TYPE?)',
      'SPOT_STROE__BACKEND is not a Spot setting and is ignored (a config key is SPOT_ + its path in upper snake ' +
        'case, e.g. SPOT_STORE_TYPE)',
    ]);
    await inTempDir(async (dir) => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SPOT_')));
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [SPOT_BIN, ...args], {
          cwd: dir,
          env: { ...env, SPOT_HOME: dir, SPOT_STROE_TYPE: 'elasticsearch' },
          input: '',
          encoding: 'utf8',
          ...HANG_GUARD,
        });
      const warning =
        'spot: warning: SPOT_STROE_TYPE is not a Spot setting and is ignored (did you mean SPOT_STORE_TYPE?)\n';
      // `spot import` keeps the validated config; `spot runs` then reads the kept one, and still says so.
      for (const r of [run('import', '-'), run('runs')]) {
        assert.equal(r.status, 0, ended(r));
        assert.equal(r.stderr, warning);
      }
    });
  });

  test('.spotrc.example.yml shows every key, each one set at its default or, with none, commented out', () => {
    const text = readFileSync(join(ROOT, '.spotrc.example.yml'), 'utf8');
    // What a user gets by removing the '# ' of every commented-out key line (and of the list items under one).
    const uncommented = text.replace(/^(\s*)# (\s*(?:[A-Za-z]\w*:(?:\s|$)|- ))/gm, '$1$2');
    const asIs = parseYaml(text) as unknown;
    const all = parseYaml(uncommented) as unknown;
    for (const [name, value] of [
      ['as is', asIs],
      ['uncommented', all],
    ] as const) {
      const parsed = configSchema.safeParse(value);
      assert.ok(parsed.success, `${name}: ${parsed.success ? '' : parsed.error.message}`);
    }
    const defaults = configSchema.parse({});
    const at = (obj: unknown, path: string[]) =>
      path.reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], obj);
    for (const { path } of configKeys()) {
      const key = path.join('.');
      const shown = at(all, path);
      assert.notEqual(shown, undefined, `the example file lacks ${key}`);
      const fallback = at(defaults, path);
      // The redaction list is long, and a copy pinned in a user's file would miss patterns added later.
      const setInFile = key !== 'redaction.patterns' && fallback !== undefined;
      assert.equal(at(asIs, path) !== undefined, setInFile, `${key} should be ${setInFile ? 'set' : 'commented out'}`);
      if (fallback !== undefined) assert.deepEqual(shown, fallback, `${key} is shown at a value not its default`);
    }
  });

  test('the README documents every config key and its env var', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const key of configKeys()) {
      assert.ok(readme.includes(key.path.join('.')), `README lacks ${key.path.join('.')}`);
      assert.ok(readme.includes(key.env), `README lacks ${key.env}`);
    }
  });

  test("the README's config table gives every key one row, with its variable and the schema's default", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('| key | environment variable | default | meaning |');
    assert.ok(start >= 0, 'the README has its config table');
    const table = readme.slice(start, readme.indexOf('\n\n', start)).split('\n').slice(2);
    const rows = new Map<string, { env: string; fallback: string }>();
    for (const line of table) {
      const [keys = '', envs = '', fallback = ''] = line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim());
      const named = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const envNames = named(envs);
      // Two keys may share a row (`certFile`, `keyFile`), their variables in the same order.
      named(keys).forEach((key, i) => {
        assert.ok(!rows.has(key), `${key} has two rows`);
        rows.set(key, { env: envNames[i] ?? '', fallback });
      });
    }
    const defaults = configSchema.parse({});
    // Defaults that the schema leaves unset because they are found at run time; the table says where from.
    const foundAtRunTime = ['store.path', 'submit.sparkSubmit'];
    for (const { path, env } of configKeys()) {
      const key = path.join('.');
      const row = rows.get(key);
      assert.ok(row, `the config table has no row for ${key}`);
      rows.delete(key);
      assert.equal(row.env, env, `${key}'s variable`);
      // The redaction list is long: the table names whose patterns it holds.
      if (key === 'redaction.patterns') continue;
      const value = path.reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], defaults);
      if (value === undefined) {
        if (!foundAtRunTime.includes(key)) assert.equal(row.fallback, '—', `${key} has no default`);
        continue;
      }
      const shown = Array.isArray(value) ? (value.length > 0 ? value.join(',') : '[]') : String(value);
      assert.equal(row.fallback, `\`${shown}\``, `${key}'s default`);
    }
    assert.deepEqual([...rows.keys()], [], 'rows for keys the schema does not have');
  });

  test('the CLI reports a config error in one line with exit 2', async () => {
    await inTempDir(async (dir) => {
      writeFileSync(join(dir, '.spotrc.yml'), 'store:\n  type: postgres\n');
      const r = spawnSync(process.execPath, [SPOT_BIN, 'runs'], {
        cwd: dir,
        env: { ...process.env, SPOT_HOME: dir },
        encoding: 'utf8',
        ...HANG_GUARD,
      });
      assert.equal(r.status, 2, ended(r));
      assert.match(
        r.stderr,
        /config key 'store\.type' in .*\.spotrc\.yml: must be one of "sqlite", "elasticsearch", "opensearch", got "postgres"$/m,
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stderr.trim().split('\n').length, 1);
    });
  });
});
