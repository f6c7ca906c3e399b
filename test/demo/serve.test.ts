import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoHistory } from '../../src/cli/demo-serve.js';
import { spot } from '../support/cli.js';
import { SPOT_BIN } from '../support/paths.js';

// `spot demo --serve`: the README's crawl example, run as written against the simulated History Server.

const homes: string[] = [];
const newHome = () => {
  const h = mkdtempSync(join(tmpdir(), 'spot-serve-'));
  homes.push(h);
  return h;
};
after(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/**
 * Starts `spot demo --serve` and resolves with the URL it prints, read from its output (no waiting on time). Its
 * SPOT_HOME is a folder not made yet: the server stores nothing, so none should be.
 */
async function serve(args: string[]) {
  const cwd = newHome();
  const home = join(cwd, 'spot-home');
  const child = spawn(process.execPath, [SPOT_BIN, 'demo', '--serve', ...args], {
    cwd,
    env: { ...process.env, SPOT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /crawl --once --history-server (\S+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before serving: ${stdout}${stderr}`)));
  });
  return { child, url, home, output: () => ({ stdout, stderr }) };
}

describe('spot demo --serve', () => {
  test('the README crawl example runs as written against it; SIGTERM stops it with exit 0', async () => {
    const { child, url, home: serverHome, output } = await serve(['--port', '0']);
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const home = newHome();
      const crawl = await spot(home, ['crawl', '--once', '--history-server', url]);
      assert.equal(crawl.code, 0, crawl.stderr);
      assert.match(crawl.stdout + crawl.stderr, /spot crawl: 18 new, 0 skipped, 0 failed/);
      const runs = await spot(home, ['runs', '--app', 'demo daily sales etl']);
      assert.equal(runs.stdout.trimEnd().split('\n').length, 19, runs.stdout);
      const predict = await spot(home, [
        'predict',
        '--app',
        'demo daily sales etl',
        '--executors',
        '16',
        '--executor-cores',
        '4',
        '--input-bytes',
        '50g',
      ]);
      assert.equal(predict.code, 0, predict.stderr);
    } finally {
      // 'close', not 'exit': the last line may still be in the pipe when the process is gone.
      const exited = once(child, 'close');
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, output().stderr);
      assert.match(output().stdout, /History Server stopped\.\n$/);
      assert.ok(!existsSync(serverHome), 'it stores nothing, so it makes no SPOT_HOME');
    }
  });

  test('SIGINT (Ctrl-C) sent the moment it says how to stop it: a normal stop, exit 0', async () => {
    const child = spawn(process.execPath, [SPOT_BIN, 'demo', '--serve', '--port', '0'], {
      cwd: newHome(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('Stop it with Ctrl-C.') && !child.killed) child.kill('SIGINT');
    });
    const [code, signal] = await once(child, 'close');
    assert.deepEqual([code, signal], [0, null], stdout);
    assert.match(stdout, /History Server stopped\.\n$/);
    // The commands the README says it prints to try on it: crawl, then runs, predict or report.
    for (const command of ['spot crawl --once', 'spot runs --app', 'spot predict --app', 'spot report --out'])
      assert.ok(stdout.includes(`  ${command}`), `${command} in:\n${stdout}`);
  });

  test('a port in use is one line, exit 1; --port without --serve is a usage error', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (blocker.address() as { port: number }).port;
      const busy = await spot(newHome(), ['demo', '--serve', '--port', String(port)]);
      assert.equal(busy.code, 1);
      assert.equal(
        busy.stderr,
        `spot: port ${port} on 127.0.0.1 is in use: pick another with --port N (0 picks a free one)\n`,
      );
    } finally {
      blocker.close();
    }
    const usage = await spot(newHome(), ['demo', '--port', '1234']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--port needs --serve/);
    const range = await spot(newHome(), ['demo', '--serve', '--port', '70000']);
    assert.equal(range.code, 2);
    assert.match(range.stderr, /--port must be at most 65535, got '70000'/);
    // --launches would be ignored by a server that launches nothing: said at once, not served for until Ctrl-C.
    // Whichever comes first, the exit or the server's first line of output (then it is stopped, and the test fails).
    const cwd = newHome();
    const child = spawn(process.execPath, [SPOT_BIN, 'demo', '--launches', '3', '--serve', '--port', '0'], {
      cwd,
      env: { ...process.env, SPOT_HOME: join(cwd, 'spot-home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const ended = once(child, 'close').then(([code]) => code as number);
    const served = once(child.stdout, 'data').then(() => 'served' as const);
    const first = await Promise.race([ended, served]);
    if (first === 'served') child.kill();
    assert.equal(first, 2);
    await ended;
    assert.equal(
      stderr,
      'spot: --launches and --serve cannot be combined: --serve launches nothing, it serves six days of runs ' +
        "(run 'spot demo --help' for usage)\n",
    );
  });

  test('the served history: runs of one job over the six days before now, all ended, at three settings', () => {
    const now = new Date('2024-03-10T00:20:00Z');
    const apps = demoHistory(now);
    assert.equal(apps.length, 18);
    assert.equal(new Set(apps.map((a) => a.id)).size, 18);
    for (const a of apps) {
      assert.ok(a.startMs + a.durationMs < now.getTime() - 1800_000, 'ended before the crawl window closes');
      assert.ok(a.startMs > now.getTime() - 168 * 3_600_000, 'inside the default look-back');
    }
    assert.deepEqual(
      [...new Set(apps.map((a) => a.executors))].sort((x, y) => x - y),
      [10, 20, 40],
    );
  });
});
