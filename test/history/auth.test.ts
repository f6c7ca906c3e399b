import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryClient } from '../../src/history/client.js';
import { historyAuth, splitCredentials, type KerberosModule } from '../../src/history/auth.js';
import { makeTlsFiles } from '../support/tls-certs.js';

// A History Server behind each kind of gate, on 127.0.0.1: the server checks the credentials itself, so
// wrong ones fail there. The apps listing is the one answer it gives.

const APPS = [{ id: 'app-1', name: 'etl', attempts: [] }];

function gate(check: (req: IncomingMessage) => boolean, challenge = 'Basic realm="shs"') {
  return (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const ok = check(req);
    res.writeHead(ok ? 200 : 401, {
      'content-type': 'application/json',
      ...(ok ? {} : { 'www-authenticate': challenge }),
    });
    res.end(JSON.stringify(ok ? APPS : { error: 'unauthorized' }));
  };
}

async function listen(server: Server, scheme = 'http'): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const client = (baseUrl: string, extra: Partial<ConstructorParameters<typeof HistoryClient>[0]> = {}) =>
  new HistoryClient({ baseUrl, timeoutMs: 30_000, retries: 0, retryBaseMs: 1, concurrency: 1, ...extra });

describe('History Server auth', () => {
  const servers: Server[] = [];
  let basicUrl: string;
  before(async () => {
    const s = createServer(gate((req) => req.headers.authorization === basic('spot', 'p@ss:word')));
    servers.push(s);
    basicUrl = await listen(s);
  });
  after(() => {
    for (const s of servers) s.close();
  });

  /** An https server on loopback that requires a client certificate its CA signed; its URL. */
  const mtlsServer = async (
    t: Awaited<ReturnType<typeof makeTlsFiles>>,
    handler: ReturnType<typeof gate>,
    maxVersion?: 'TLSv1.2',
  ): Promise<string> => {
    const s = createTlsServer(
      {
        key: readFileSync(t.serverKey),
        cert: readFileSync(t.serverCert),
        ca: readFileSync(t.ca),
        requestCert: true,
        rejectUnauthorized: true,
        ...(maxVersion ? { maxVersion } : {}),
      },
      handler,
    );
    servers.push(s as unknown as Server);
    return listen(s as unknown as Server, 'https');
  };

  test('basic auth from the config; a wrong password is refused by the server', async () => {
    const ok = client(basicUrl, { auth: { username: 'spot', password: 'p@ss:word' } });
    assert.deepEqual(await ok.getJson('applications'), APPS);
    await ok.close();
    const wrong = client(basicUrl, { auth: { username: 'spot', password: 'nope' } });
    // A 401 names the settings that answer it, as the ResourceManager's does (yarn/errors.ts).
    await assert.rejects(
      wrong.getJson('applications'),
      /History Server answered HTTP 401 for .*: set historyServer\.username and historyServer\.password \(or user:password@ in the URL\), or historyServer\.bearerToken, historyServer\.headers or historyServer\.kerberos, as the server asks$/,
    );
    await wrong.close();
    // A password without a user would send no credentials at all: said before any request, not a puzzling 401.
    const userless = client(basicUrl, { auth: { password: 'p@ss:word' } });
    await assert.rejects(
      userless.getJson('applications'),
      /^HistorySetupError: .*historyServer\.password is set without historyServer\.username/,
    );
    await userless.close();
    const fromUrl = client(basicUrl.replace('http://', 'http://spot@'), { auth: { password: 'p@ss:word' } });
    assert.deepEqual(await fromUrl.getJson('applications'), APPS);
    await fromUrl.close();
  });

  test('basic auth from the URL is used, then taken out of the URL and of every message', async () => {
    const withCreds = basicUrl.replace('http://', 'http://spot:p%40ss%3Aword@');
    const c = client(withCreds);
    assert.deepEqual(await c.getJson('applications'), APPS);
    assert.equal(c.baseUrl, `${basicUrl}/api/v1`);
    await c.close();
    const wrong = client(basicUrl.replace('http://', 'http://spot:s3cret-wrong@'));
    await assert.rejects(wrong.getJson('applications'), (e: Error) => {
      assert.doesNotMatch(e.message, /s3cret-wrong/);
      return true;
    });
    await wrong.close();
    assert.deepEqual(splitCredentials('https://u:p@shs:18080/api/v1'), {
      url: 'https://shs:18080/api/v1',
      username: 'u',
      password: 'p',
    });
  });

  test('a bearer token and extra headers are sent as configured', async () => {
    const s = createServer(
      gate((req) => req.headers.authorization === 'Bearer tok-1' && req.headers['x-api-key'] === 'k: 1'),
    );
    servers.push(s);
    const url = await listen(s);
    const ok = client(url, { auth: { bearerToken: 'tok-1', headers: ['X-Api-Key: k: 1'] } });
    assert.deepEqual(await ok.getJson('applications'), APPS);
    await ok.close();
    const noHeader = client(url, { auth: { bearerToken: 'tok-1' } });
    await assert.rejects(noHeader.getJson('applications'), /401/);
    await noHeader.close();
    const bad = client(url, { auth: { headers: ['no colon here'] } });
    await assert.rejects(
      bad.getJson('applications'),
      /historyServer.headers: 'no colon here' is not a 'Name: value' header/,
    );
    await bad.close();
  });

  test('a server certificate this machine does not trust: a settings error naming the CA key, not "cannot reach"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-shs-tls-'));
    try {
      const t = await makeTlsFiles(dir);
      const s = createTlsServer({ key: readFileSync(t.serverKey), cert: readFileSync(t.serverCert) }, (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(APPS));
      });
      servers.push(s as unknown as Server);
      const url = await listen(s as unknown as Server, 'https');
      for (const section of ['historyServer', 'yarn'] as const) {
        const untrusted = client(url, { retries: 3, auth: { section } });
        await assert.rejects(untrusted.getJson('applications'), (e: Error) => {
          assert.equal(e.name, 'HistorySetupError');
          assert.match(e.message, /\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): this machine does not trust/);
          // The CA file is historyServer's for both clients: the ResourceManager has no caFile key of its own.
          assert.ok(e.message.endsWith('set historyServer.caFile to the CA bundle (PEM) that signed it'), e.message);
          return true;
        });
        assert.equal(untrusted.stats.retries, 0, 'no retry: the next handshake would be refused the same way');
        await untrusted.close();
      }
      const trusted = client(url, { caFile: t.ca });
      assert.deepEqual(await trusted.getJson('applications'), APPS);
      await trusted.close();
      // The same port spoken to in plain HTTP: the reason says what the URL likely lacks.
      const plain = client(url.replace('https://', 'http://'), { retries: 0 });
      await assert.rejects(plain.getJson('applications'), /if the server speaks https, the URL must say https:\/\//);
      await plain.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a TLS client certificate is presented; without one the server refuses the connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-shs-mtls-'));
    try {
      const t = await makeTlsFiles(dir);
      const url = await mtlsServer(
        t,
        gate((req) => (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN === 'spot'),
      );
      const ok = client(url, { caFile: t.ca, auth: { certFile: t.clientCert, keyFile: t.clientKey } });
      assert.deepEqual(await ok.getJson('applications'), APPS);
      await ok.close();
      // TLS 1.3: the refusal comes after the handshake, as an alert or a reset; either way it is named, not retried.
      for (const section of ['historyServer', 'yarn'] as const) {
        const without = client(url, { caFile: t.ca, retries: 3, auth: { section } });
        await assert.rejects(without.getJson('applications'), (e: Error) => {
          assert.equal(e.name, 'HistorySetupError');
          assert.equal(
            e.message,
            'cannot use the History Server settings: the server requires a TLS client certificate and none is set: ' +
              `set ${section}.certFile and ${section}.keyFile (PEM files of a certificate its CA signed, and its key)`,
          );
          return true;
        });
        assert.equal(without.stats.retries, 0);
        await without.close();
      }
      const half = client(url, { caFile: t.ca, auth: { certFile: t.clientCert } });
      // A setting of this machine, not the server's host or port: said as such, naming the keys of its section.
      await assert.rejects(
        half.getJson('applications'),
        /^HistorySetupError: cannot use the History Server settings: historyServer\.certFile and historyServer\.keyFile go together/,
      );
      await half.close();
      const yarnHalf = client(url, { caFile: t.ca, auth: { certFile: t.clientCert, section: 'yarn' } });
      await assert.rejects(yarnHalf.getJson('applications'), /yarn\.certFile and yarn\.keyFile go together/);
      await yarnHalf.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TLS 1.2: a server that requires a client certificate ends the handshake; with none set, the line names the keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-shs-mtls12-'));
    try {
      const t = await makeTlsFiles(dir);
      const url = await mtlsServer(
        t,
        gate(() => true),
        'TLSv1.2',
      );
      const without = client(url, { caFile: t.ca, auth: { section: 'yarn' } });
      await assert.rejects(
        without.getJson('applications'),
        /\(sslv3 alert handshake failure\): .*; or, if the server requires a TLS client certificate, set yarn\.certFile and yarn\.keyFile$/,
      );
      await without.close();
      const ok = client(url, { caFile: t.ca, auth: { certFile: t.clientCert, keyFile: t.clientKey } });
      assert.deepEqual(await ok.getJson('applications'), APPS);
      await ok.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a server that refuses the client certificate sent (another CA signed it): one line naming the keys, not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-shs-mtls-wrong-'));
    try {
      const t = await makeTlsFiles(dir);
      mkdirSync(join(dir, 'other'));
      const other = await makeTlsFiles(join(dir, 'other')); // a client certificate of a CA the server does not trust
      // Node's server drops the connection without an alert, after the handshake (TLS 1.3) or during it (TLS 1.2).
      for (const maxVersion of [undefined, 'TLSv1.2'] as const) {
        const url = await mtlsServer(
          t,
          gate(() => true),
          maxVersion,
        );
        for (const section of ['historyServer', 'yarn'] as const) {
          const wrong = client(url, {
            caFile: t.ca,
            retries: 3,
            auth: { section, certFile: other.clientCert, keyFile: other.clientKey },
          });
          await assert.rejects(wrong.getJson('applications'), (e: Error) => {
            assert.equal(e.name, 'HistorySetupError', `${maxVersion}: ${e.message}`);
            assert.equal(
              e.message,
              'cannot use the History Server settings: the server refused the TLS client certificate of ' +
                `${section}.certFile ${other.clientCert}: set ${section}.certFile and ${section}.keyFile to a ` +
                'certificate signed by a CA the server trusts, and its key',
            );
            return true;
          });
          assert.equal(wrong.stats.retries, 0);
          await wrong.close();
        }
        // The certificate its CA signed still passes: the line is about the certificate, not the server.
        const ok = client(url, { caFile: t.ca, auth: { certFile: t.clientCert, keyFile: t.clientKey } });
        assert.deepEqual(await ok.getJson('applications'), APPS);
        await ok.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a server that refuses the client certificate with an alert (OpenSSL's): the alert's words in the line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-shs-mtls-alert-'));
    try {
      const t = await makeTlsFiles(dir);
      mkdirSync(join(dir, 'other'));
      const other = await makeTlsFiles(join(dir, 'other'));
      for (const version of ['-tls1_3', '-tls1_2'] as const) {
        // openssl s_server checks the client certificate itself and ends with alert 48 "unknown ca", as Jetty or
        // nginx do; its port is the one it prints.
        const server = spawn('openssl', [
          's_server',
          '-accept',
          '127.0.0.1:0',
          '-cert',
          t.serverCert,
          '-key',
          t.serverKey,
          '-CAfile',
          t.ca,
          '-Verify',
          '1',
          '-verify_return_error',
          '-www',
          version,
        ]);
        try {
          const port = await new Promise<string>((resolve, reject) => {
            let out = '';
            server.stdout.on('data', (d: Buffer) => {
              out += d.toString();
              const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
              if (m) resolve(m[1]!);
            });
            server.on('exit', (code) => reject(new Error(`openssl s_server exited (${code}): ${out}`)));
          });
          const wrong = client(`https://127.0.0.1:${port}`, {
            caFile: t.ca,
            retries: 3,
            auth: { certFile: other.clientCert, keyFile: other.clientKey },
          });
          await assert.rejects(wrong.getJson('applications'), (e: Error) => {
            assert.equal(e.name, 'HistorySetupError', `${version}: ${e.message}`);
            assert.equal(
              e.message,
              'cannot use the History Server settings: the server refused the TLS client certificate of ' +
                `historyServer.certFile ${other.clientCert} (tlsv1 alert unknown ca): set historyServer.certFile and ` +
                'historyServer.keyFile to a certificate signed by a CA the server trusts, and its key',
            );
            return true;
          });
          assert.equal(wrong.stats.retries, 0);
          await wrong.close();
        } finally {
          server.kill();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Kerberos: a SPNEGO token per request for HTTP@host; the server checks it', async () => {
    const made: string[] = [];
    const fake: KerberosModule = {
      GSS_MECH_OID_SPNEGO: 'spnego',
      initializeClient: async (service, { mechOID }) => ({
        step: async () => {
          made.push(`${service} ${String(mechOID)}`);
          return Buffer.from(`ticket-for-${service}`).toString('base64');
        },
      }),
    };
    const s = createServer(
      gate(
        (req) =>
          req.headers.authorization === `Negotiate ${Buffer.from('ticket-for-HTTP@127.0.0.1').toString('base64')}`,
        'Negotiate',
      ),
    );
    servers.push(s);
    const url = await listen(s);
    const auth = historyAuth(url, { kerberos: true }, async () => fake);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${url}/api/v1/applications`, {
        headers: await auth.headers(`${url}/api/v1/applications`),
      });
      assert.equal(res.status, 200);
    }
    assert.deepEqual(made, ['HTTP@127.0.0.1 spnego', 'HTTP@127.0.0.1 spnego']);
    const refused = await fetch(`${url}/api/v1/applications`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Negotiate');
  });

  test('Kerberos without the optional package says what to install', async () => {
    const c = client(basicUrl, { auth: { kerberos: true } });
    await assert.rejects(
      c.getJson('applications'),
      /^HistorySetupError: cannot use the History Server settings: historyServer.kerberos needs the optional package kerberos .*npm install kerberos/,
    );
    await c.close();
  });
});

const realShs = process.env.SPOT_TEST_SHS_URL;
test('a real History Server at SPOT_TEST_SHS_URL answers with the configured credentials', {
  skip: realShs ? false : 'SPOT_TEST_SHS_URL is not set',
}, async () => {
  const env = process.env;
  const c = client(realShs!, {
    caFile: env.SPOT_TEST_SHS_CA_FILE,
    auth: {
      username: env.SPOT_TEST_SHS_USERNAME,
      password: env.SPOT_TEST_SHS_PASSWORD,
      bearerToken: env.SPOT_TEST_SHS_BEARER_TOKEN,
      certFile: env.SPOT_TEST_SHS_CERT_FILE,
      keyFile: env.SPOT_TEST_SHS_KEY_FILE,
      kerberos: env.SPOT_TEST_SHS_KERBEROS === 'true',
    },
  });
  try {
    assert.ok(Array.isArray(await c.getJson('applications', { limit: '1' })));
  } finally {
    await c.close();
  }
});
