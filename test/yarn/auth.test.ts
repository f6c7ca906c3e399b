import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { yarnClient } from '../../src/yarn/client.js';

// The ResourceManager's own credentials reach it: a loopback server that answers only the right ones.

const METRICS = { clusterMetrics: { appsSubmitted: 3 } };

async function gatedRm(allow: (req: IncomingMessage) => boolean): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    if (!allow(req)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(METRICS));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const base = { timeoutMs: 30_000, retries: 0, retryBaseMs: 1 };

describe('ResourceManager auth', () => {
  test('yarn.bearerToken and yarn.headers from the environment reach the ResourceManager; without them it refuses', async () => {
    const rm = await gatedRm(
      (req) => req.headers.authorization === 'Bearer rm-token' && req.headers['x-gateway'] === 'spot',
    );
    const dir = mkdtempSync(join(tmpdir(), 'spot-yarn-auth-'));
    try {
      const { config } = await loadConfig({
        cwd: dir,
        env: { SPOT_YARN_BEARER_TOKEN: 'rm-token', SPOT_YARN_HEADERS: 'X-Gateway: spot' },
      });
      const ok = yarnClient({ url: rm.url, ...base, auth: config.yarn });
      assert.deepEqual(await ok.getJson('cluster/metrics'), METRICS);
      await ok.close();
      const none = yarnClient({ url: rm.url, ...base });
      await assert.rejects(none.getJson('cluster/metrics'), /401/);
      await none.close();
    } finally {
      rm.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('basic auth from the URL is used and never shown', async () => {
    const basic = `Basic ${Buffer.from('yarn:s3cret').toString('base64')}`;
    const rm = await gatedRm((req) => req.headers.authorization === basic);
    try {
      const c = yarnClient({ url: rm.url.replace('http://', 'http://yarn:s3cret@'), ...base });
      assert.deepEqual(await c.getJson('cluster/metrics'), METRICS);
      assert.doesNotMatch(c.baseUrl, /s3cret/);
      await c.close();
    } finally {
      rm.close();
    }
  });
});
