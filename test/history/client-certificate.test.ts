import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { refusesWithoutCertificate } from '../../src/history/client-certificate.js';
import { HistoryClient } from '../../src/history/client.js';
import { makeTlsFiles } from '../support/tls-certs.js';

// The probe the three clients make after a connection without a client certificate closed unanswered, against
// loopback TLS 1.3 servers: one that requires a certificate (its alert 116 is the answer) and one that does not (its
// session ticket is). The time limit is never what decides: both servers answer at once.

async function listen(server: Server): Promise<URL> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

test('a server that requires a client certificate is told from one that does not, by what it sends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spot-probe-'));
  try {
    const t = await makeTlsFiles(dir);
    const ca = readFileSync(t.ca);
    const tls = { key: readFileSync(t.serverKey), cert: readFileSync(t.serverCert), minVersion: 'TLSv1.3' as const };
    const strict = createServer({ ...tls, ca, requestCert: true, rejectUnauthorized: true });
    const open = createServer(tls);
    try {
      const hour = 3_600_000;
      assert.equal(await refusesWithoutCertificate(await listen(strict), { ca }, hour), true);
      assert.equal(await refusesWithoutCertificate(await listen(open), { ca }, hour), false);
      // A server certificate not trusted here is that failure, not a client certificate's.
      assert.equal(
        await refusesWithoutCertificate(
          new URL(`https://127.0.0.1:${(strict.address() as AddressInfo).port}`),
          {},
          hour,
        ),
        false,
      );
    } finally {
      strict.close();
      open.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a connect that timed out is not probed: a silent https port gets no second connection', async () => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => void sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const baseUrl = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const client = new HistoryClient({ baseUrl, timeoutMs: 50, retries: 0, retryBaseMs: 1, concurrency: 1 });
  try {
    await assert.rejects(client.getJson('applications'));
    assert.equal(sockets.length, 1, 'the request, and no probe after it');
  } finally {
    await client.close();
    for (const s of sockets) s.destroy();
    silent.close();
  }
});
