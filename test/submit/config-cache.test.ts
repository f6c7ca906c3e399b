import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { CONFIG_CACHE_FILE, cachedConfig, configInput, keepConfig } from '../../src/submit/config-cache.js';
import { runSubmit, sandbox } from './run-submit.js';

// The launch path's config cache: a config validated once is taken as it was for exactly the same file text,
// SPOT_* variables and build; anything else is validated again, and a bad config is never kept.

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'spot-config-cache-'));
  const home = join(dir, 'home');
  const file = join(dir, '.spotrc.json');
  writeFileSync(file, JSON.stringify({ submit: { sparkSubmit: '/opt/spark/bin/spark-submit' } }), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { HOME: dir, SPOT_HOME: home };
  return { dir, home, file, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function validated(env: NodeJS.ProcessEnv, cwd: string) {
  const input = configInput(env, { cwd, buildId: 'build-1' });
  return { input, loaded: await loadConfig({ env, cwd }) };
}

describe('config cache (spot-submit advice process)', () => {
  test('a validated config is found again for the same file text, variables and build', async () => {
    const p = project();
    try {
      const { input, loaded } = await validated(p.env, p.dir);
      assert.equal(cachedConfig(input), undefined, 'nothing kept yet');
      keepConfig(input, loaded);
      const again = cachedConfig(configInput(p.env, { cwd: p.dir, buildId: 'build-1' }));
      assert.deepEqual(again?.config, loaded.config);
      assert.equal(again?.file, p.file);
      assert.equal(again?.config.submit.sparkSubmit, '/opt/spark/bin/spark-submit');
    } finally {
      p.cleanup();
    }
  });

  test('another file text, another SPOT_* variable or another build is validated again', async () => {
    const p = project();
    try {
      const { input, loaded } = await validated(p.env, p.dir);
      keepConfig(input, loaded);
      assert.equal(cachedConfig(configInput(p.env, { cwd: p.dir, buildId: 'build-2' })), undefined, 'another build');
      assert.equal(
        cachedConfig(configInput({ ...p.env, SPOT_ADVISOR_MODE: 'override' }, { cwd: p.dir, buildId: 'build-1' })),
        undefined,
        'another variable',
      );
      writeFileSync(p.file, JSON.stringify({ submit: { sparkSubmit: '/other/spark-submit' } }));
      assert.equal(cachedConfig(configInput(p.env, { cwd: p.dir, buildId: 'build-1' })), undefined, 'another text');
    } finally {
      p.cleanup();
    }
  });

  test('code run from source (no build id) keeps nothing', async () => {
    const p = project();
    try {
      const input = configInput(p.env, { cwd: p.dir, buildId: undefined });
      assert.equal(input.key, undefined);
      keepConfig(input, await loadConfig({ env: p.env, cwd: p.dir }));
      assert.equal(existsSync(join(p.home, CONFIG_CACHE_FILE)), false);
    } finally {
      p.cleanup();
    }
  });

  test('a config with a credential from a variable is not kept (the variable is meant to stay out of files)', async () => {
    const p = project();
    try {
      const env = { ...p.env, SPOT_ELASTICSEARCH_PASSWORD: 'hunter2' };
      const input = configInput(env, { cwd: p.dir, buildId: 'build-1' });
      assert.equal(input.key, undefined);
      keepConfig(input, await loadConfig({ env, cwd: p.dir }));
      assert.equal(existsSync(join(p.home, CONFIG_CACHE_FILE)), false);
    } finally {
      p.cleanup();
    }
  });

  test('so is one whose URL variable holds a password (user:password@), which the cache would write down', async () => {
    const p = project();
    try {
      for (const [name, url] of [
        ['SPOT_HISTORY_SERVER_URL', 'http://spot:hunter2@shs:18080'],
        ['SPOT_YARN_URL', 'http://yarn:hunter2@rm:8088'],
        ['SPOT_ELASTICSEARCH_URL', 'https://elastic:hunter2@es:9200'],
        ['SPOT_MENAS_URL', 'https://menas:hunter2@menas/menas/api'],
      ] as const) {
        const env = { ...p.env, [name]: url };
        const input = configInput(env, { cwd: p.dir, buildId: 'build-1' });
        assert.equal(input.key, undefined, name);
        keepConfig(input, await loadConfig({ env, cwd: p.dir }));
        assert.equal(existsSync(join(p.home, CONFIG_CACHE_FILE)), false, name);
      }
      // A user name alone is no secret: such a config is kept.
      const env = { ...p.env, SPOT_HISTORY_SERVER_URL: 'http://spot@shs:18080' };
      assert.notEqual(configInput(env, { cwd: p.dir, buildId: 'build-1' }).key, undefined);
    } finally {
      p.cleanup();
    }
  });

  test('a config that cannot be kept (a full disk, say) leaves no temporary file behind', async () => {
    const p = project();
    try {
      const { input, loaded } = await validated(p.env, p.dir);
      // Where the cache file should go, a folder that is not empty: the rename into place fails.
      mkdirSync(join(p.home, CONFIG_CACHE_FILE, 'x'), { recursive: true });
      keepConfig(input, loaded);
      assert.deepEqual(
        readdirSync(p.home).filter((n) => n.endsWith('.tmp')),
        [],
      );
    } finally {
      p.cleanup();
    }
  });

  test('a cache file others may write to is not trusted (it names the program spot-submit runs)', async () => {
    const p = project();
    try {
      const { input, loaded } = await validated(p.env, p.dir);
      keepConfig(input, loaded);
      chmodSync(join(p.home, CONFIG_CACHE_FILE), 0o666);
      assert.equal(cachedConfig(input), undefined);
      writeFileSync(join(p.home, CONFIG_CACHE_FILE), 'not json', { mode: 0o600 });
      chmodSync(join(p.home, CONFIG_CACHE_FILE), 0o600);
      assert.equal(cachedConfig(input), undefined, 'garbled: validated again');
      keepConfig(input, loaded);
      assert.deepEqual(cachedConfig(input)?.config, loaded.config, 'written afresh');
    } finally {
      p.cleanup();
    }
  });

  test('spot-submit: a bad config gives its one message on every launch and is never kept', async () => {
    // A budget no loaded machine runs out of: the test is about what is kept, not about time.
    const box = sandbox({ SPOT_SUBMIT_ADVICE_TIMEOUT_MS: '60000' });
    try {
      mkdirSync(box.home, { recursive: true, mode: 0o700 });
      const good = { advisor: { mode: 'fill' } };
      writeFileSync(join(box.dir, '.spotrc.json'), JSON.stringify(good), { mode: 0o600 });
      const args = ['--master', 'yarn', '--class', 'com.acme.Job', 'job.jar'];
      const first = await runSubmit(args, box);
      assert.equal(first.code, 0, first.stderr);
      assert.ok(existsSync(join(box.home, CONFIG_CACHE_FILE)), 'the valid config was kept');
      const kept = readFileSync(join(box.home, CONFIG_CACHE_FILE), 'utf8');
      writeFileSync(join(box.dir, '.spotrc.json'), JSON.stringify({ advisor: { mode: 'sometimes' } }));
      for (let i = 0; i < 2; i++) {
        const r = await runSubmit(args, box);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(
          r.launched?.filter((a, j, all) => a !== '--conf' && !all[j - 1]?.startsWith('--conf')),
          args,
          'launched unchanged but for its "no advice" tag',
        );
        assert.match(r.stderr, /advisor\.mode.*launching unchanged/);
      }
      assert.equal(readFileSync(join(box.home, CONFIG_CACHE_FILE), 'utf8'), kept, 'nothing kept of the bad config');
    } finally {
      box.cleanup();
    }
  });
});
