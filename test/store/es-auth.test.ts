import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElasticsearchStore } from '../../src/store/elasticsearch.js';
import { ElasticsearchYarnStore } from '../../src/store/elasticsearch-yarn.js';
import { elasticsearchSchema } from '../../src/config/schema.js';
import { startEsStandin } from '../support/es-standin.js';
import { FLAVOURS } from '../support/es-protocol.js';
import { signerFor } from '../../src/store/es/auth.js';
import { EsHttp } from '../../src/store/es/http.js';
import { makeTlsFiles } from '../support/tls-certs.js';

// Each kind of credentials against a stand-in that checks them as its server does: a wrong secret must
// fail there, not only a missing one.

const open = (config: Record<string, unknown>) => ElasticsearchStore.open(elasticsearchSchema.parse(config));

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe('elasticsearch auth', () => {
  test('a bearer token is sent; a wrong one is refused with the challenge named', async () => {
    const es = await startEsStandin({ auth: { bearer: 'tok-123' } });
    try {
      await (await open({ url: es.url, bearerToken: 'tok-123' })).close();
      await assert.rejects(open({ url: es.url, bearerToken: 'tok-999' }), (e: Error) => {
        assert.match(
          e.message,
          /refused the request \(401 security_exception\).*the server asks for Basic realm="security"/,
        );
        assert.doesNotMatch(e.message, /tok-999/, 'the token is never echoed');
        return true;
      });
    } finally {
      await es.close();
    }
  });

  test('OpenSearch security refuses without credentials in its own words', async () => {
    const es = await startEsStandin({ flavour: 'opensearch-2', auth: { username: 'admin', password: 'pw' } });
    try {
      await assert.rejects(open({ url: es.url }), /refused the request \(401\).*OpenSearch Security/);
      const store = await open({ url: es.url, username: 'admin', password: 'pw' });
      assert.equal(store.server?.product, 'opensearch');
      await store.close();
    } finally {
      await es.close();
    }
  });

  test('user:password@ in the URL is basic auth, and no message repeats the password', async () => {
    const es = await startEsStandin({ auth: { username: 'spot', password: 'p@ss' } });
    try {
      await (await open({ url: es.url.replace('http://', 'http://spot:p%40ss@') })).close();
      await assert.rejects(open({ url: es.url.replace('http://', 'http://spot:wrong-pw@') }), (e: Error) => {
        assert.match(e.message, /refused the request \(401/);
        assert.doesNotMatch(e.message, /wrong-pw/);
        return true;
      });
    } finally {
      await es.close();
    }
  });

  test('two kinds of credentials at once, or a password without a user, are configuration mistakes', async () => {
    await assert.rejects(open({ url: 'http://127.0.0.1:1', apiKey: 'k', bearerToken: 't' }), (e: Error) => {
      assert.equal(e.name, 'ConfigError');
      assert.match(e.message, /choose one of .*\(got apiKey, bearer\)/);
      return true;
    });
    await assert.rejects(open({ url: 'http://127.0.0.1:1', password: 'p' }), (e: Error) => {
      assert.equal(e.name, 'ConfigError');
      assert.match(e.message, /elasticsearch\.password is set without elasticsearch\.username/);
      return true;
    });
  });

  test('OpenSearch Serverless (awsService aoss) is refused as the store opens, in one line, before any request', async () => {
    const es = await startEsStandin({ flavour: 'opensearch-2' });
    try {
      for (const opening of [
        open({ url: es.url, awsRegion: 'eu-west-1', awsService: 'aoss' }),
        ElasticsearchYarnStore.open(elasticsearchSchema.parse({ url: es.url, awsService: 'aoss' })),
      ]) {
        await assert.rejects(opening, (e: Error) => {
          assert.equal(
            e.message,
            'elasticsearch.awsService is aoss, but Spot does not support Amazon OpenSearch Serverless as a store ' +
              '(its collections answer no GET / nor _refresh, and time-series ones take no document ids): use an ' +
              'OpenSearch Service domain (awsService: es) or a cluster of your own',
          );
          return true;
        });
      }
      assert.deepEqual(es.requests, []);
    } finally {
      await es.close();
    }
  });

  test('AWS SigV4 (aoss): a signed request, with the body hash aoss wants, passes the signature check', async () => {
    const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const es = await startEsStandin({
      flavour: 'opensearch-2',
      auth: { sigv4: { region: 'eu-west-1', service: 'aoss', ...creds } },
    });
    try {
      const config = elasticsearchSchema.parse({ url: es.url, awsRegion: 'eu-west-1', awsService: 'aoss' });
      await withEnv(
        {
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_SESSION_TOKEN: undefined,
        },
        async () => {
          const client = new EsHttp({ url: es.url, timeoutMs: 10_000, signer: signerFor(config) });
          try {
            const res = await client.call({ method: 'PUT', path: 'signed', body: {} });
            assert.equal(res.status, 200);
          } finally {
            await client.close();
          }
        },
      );
    } finally {
      await es.close();
    }
  });

  test('AWS SigV4 (es): signed requests pass a signature check; a wrong secret key fails it', async () => {
    const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const es = await startEsStandin({
      flavour: 'opensearch-2',
      auth: { sigv4: { region: 'eu-west-1', service: 'es', ...creds } },
    });
    try {
      const config = { url: es.url, awsRegion: 'eu-west-1', awsService: 'es' };
      await withEnv(
        {
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_SESSION_TOKEN: undefined,
        },
        async () => {
          const store = await open(config);
          const { aggDoc } = await import('./factories.js');
          await store.putAgg([aggDoc('signed')]); // a bulk body is signed too
          assert.equal((await store.getAgg('signed')).length, 1);
          await store.close();
        },
      );
      await withEnv(
        { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: 'wrong', AWS_SESSION_TOKEN: undefined },
        async () => {
          await assert.rejects(
            open(config),
            /refused the request \(403\) while opening the store: The request signature we calculated does not match/,
          );
        },
      );
    } finally {
      await es.close();
    }
  });

  test("AWS SigV4 with the SDK's credential chain: credentials that rotate (instance profile, IRSA) are asked for per request", async () => {
    const sigv4 = { region: 'eu-west-1', service: 'es' as const, accessKeyId: 'ASIAFIRST', secretAccessKey: 'first' };
    const es = await startEsStandin({ flavour: 'opensearch-2', auth: { sigv4 } });
    let current = { accessKeyId: 'ASIAFIRST', secretAccessKey: 'first', sessionToken: 'token-1' };
    const config = elasticsearchSchema.parse({ url: es.url, awsRegion: 'eu-west-1' });
    const signer = signerFor(config, {}, async () => ({ defaultProvider: () => async () => current }));
    const http = new EsHttp({ url: es.url, timeoutMs: 30_000, signer });
    try {
      assert.equal((await http.call({ method: 'GET', path: '' })).status, 200);
      // hours later the chain has fetched new credentials, and the old ones are refused
      current = { accessKeyId: 'ASIASECOND', secretAccessKey: 'second', sessionToken: 'token-2' };
      Object.assign(sigv4, { accessKeyId: 'ASIASECOND', secretAccessKey: 'second' });
      assert.equal((await http.call({ method: 'GET', path: '' })).status, 200);
    } finally {
      await http.close();
      await es.close();
    }
  });

  test('TLS 1.2: a cluster that requires a client certificate ends the handshake; with none set, the line names the keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-es-mtls12-'));
    try {
      const t = await makeTlsFiles(dir);
      const pem = (file: string) => readFileSync(file, 'utf8');
      const tls = {
        key: pem(t.serverKey),
        cert: pem(t.serverCert),
        clientCa: pem(t.ca),
        maxVersion: 'TLSv1.2' as const,
      };
      const es = await startEsStandin({ tls });
      try {
        // Alert 40 is also what no shared cipher gets: both causes are said.
        await assert.rejects(
          open({ url: es.url, caFile: t.ca }),
          /TLS handshake failed \(sslv3 alert handshake failure\): .*; or, if the server requires a TLS client certificate, set elasticsearch\.certFile and elasticsearch\.keyFile$/,
        );
        await (await open({ url: es.url, caFile: t.ca, certFile: t.clientCert, keyFile: t.clientKey })).close();
      } finally {
        await es.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cluster that drops a connection but wants no client certificate is not said to want one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-es-tls-'));
    try {
      const t = await makeTlsFiles(dir);
      const pem = (file: string) => readFileSync(file, 'utf8');
      const es = await startEsStandin({
        tls: { key: pem(t.serverKey), cert: pem(t.serverCert) },
        requestFault: () => 'reset',
      });
      try {
        await assert.rejects(open({ url: es.url, caFile: t.ca }), (e: Error) => {
          assert.match(e.message, /^cannot reach the cluster at .*: other side closed$/);
          return true;
        });
      } finally {
        await es.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('AWS SigV4 without credentials says where to put them', async () => {
    await withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, async () => {
      const es = await startEsStandin({ flavour: 'opensearch-2' });
      try {
        await assert.rejects(
          open({ url: es.url, awsRegion: 'eu-west-1' }),
          /no AWS credentials were found: set AWS_ACCESS_KEY_ID/,
        );
      } finally {
        await es.close();
      }
    });
  });

  test('a cluster that requires a client certificate takes ours and refuses a connection without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-es-mtls-'));
    try {
      const t = await makeTlsFiles(dir);
      const pem = (file: string) => readFileSync(file, 'utf8');
      const es = await startEsStandin({ tls: { key: pem(t.serverKey), cert: pem(t.serverCert), clientCa: pem(t.ca) } });
      try {
        await (await open({ url: es.url, caFile: t.ca, certFile: t.clientCert, keyFile: t.clientKey })).close();
        // TLS 1.3: the refusal comes after the handshake, as an alert or a reset; either way it is named, once.
        await assert.rejects(open({ url: es.url, caFile: t.ca, retries: 3 }), (e: Error) => {
          assert.equal(e.name, 'StoreError');
          assert.equal(
            e.message,
            `cannot reach the cluster at ${es.url} (opening the store): the server requires a TLS client certificate ` +
              'and none is set: set elasticsearch.certFile and elasticsearch.keyFile (PEM files of a certificate its ' +
              'CA signed, and its key)',
          );
          return true;
        });
        await assert.rejects(
          open({ url: es.url, caFile: t.ca, certFile: t.clientCert }),
          /certFile and elasticsearch.keyFile go together/,
        );
        // Files there but unusable: the key and the path, before any request, not OpenSSL's words about a
        // connection (nor, for a CA bundle, a certificate "not trusted" because Node dropped the bundle unread).
        const unusable: [Record<string, string>, RegExp][] = [
          [
            { certFile: t.clientCert, keyFile: t.serverKey },
            /^elasticsearch\.keyFile \S+server\.key is not the key of elasticsearch\.certFile \S+client\.pem \(key values mismatch\)$/,
          ],
          [
            { certFile: t.clientCert, keyFile: t.clientCert },
            /^elasticsearch\.keyFile \S+client\.pem is not a PEM private key/,
          ],
          [
            { certFile: t.clientKey, keyFile: t.clientKey },
            /^elasticsearch\.certFile \S+client\.key is not a PEM certificate/,
          ],
          [{ caFile: t.clientKey }, /^elasticsearch\.caFile \S+client\.key holds no PEM certificate/],
        ];
        for (const [files, says] of unusable) {
          await assert.rejects(open({ url: es.url, caFile: t.ca, ...files }), (e: Error) => {
            assert.equal(e.name, 'StoreError');
            assert.match(e.message, says);
            assert.doesNotMatch(e.message, /-----BEGIN|PRIVATE KEY/);
            return true;
          });
        }
      } finally {
        await es.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a cluster that refuses the client certificate sent (another CA signed it): one line naming the keys, no retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spot-es-mtls-wrong-'));
    try {
      const t = await makeTlsFiles(dir);
      mkdirSync(join(dir, 'other'));
      const other = await makeTlsFiles(join(dir, 'other')); // a client certificate of a CA the cluster does not trust
      const pem = (file: string) => readFileSync(file, 'utf8');
      // The stand-in (Node's https server) drops the connection without an alert: during the handshake in TLS 1.2,
      // after it in TLS 1.3.
      for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
        const es = await startEsStandin({
          tls: { key: pem(t.serverKey), cert: pem(t.serverCert), clientCa: pem(t.ca), maxVersion },
        });
        try {
          const pauses: number[] = [];
          const config = elasticsearchSchema.parse({
            url: es.url,
            caFile: t.ca,
            certFile: other.clientCert,
            keyFile: other.clientKey,
            retries: 3,
          });
          await assert.rejects(
            ElasticsearchStore.open(config, { retrySleep: async (ms) => void pauses.push(ms) }),
            (e: Error) => {
              assert.equal(e.name, 'StoreError', `${maxVersion}: ${e.message}`);
              assert.equal(
                e.message,
                `cannot reach the cluster at ${es.url} (opening the store): the server refused the TLS client ` +
                  `certificate of elasticsearch.certFile ${other.clientCert}: set elasticsearch.certFile and ` +
                  'elasticsearch.keyFile to a certificate signed by a CA the server trusts, and its key',
              );
              return true;
            },
          );
          assert.deepEqual(pauses, [], maxVersion);
          await (await open({ url: es.url, caFile: t.ca, certFile: t.clientCert, keyFile: t.clientKey })).close();
        } finally {
          await es.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const flavour of FLAVOURS) {
    test(`${flavour}: a role without a privilege Spot needs is named by the server's reason, not taken for bad credentials`, async () => {
      const es = await startEsStandin({
        flavour,
        auth: { username: 'spot', password: 'pw' },
        deniedActions: ['indices:admin/index_template/put'],
      });
      try {
        await assert.rejects(open({ url: es.url, username: 'spot', password: 'pw' }), (e: Error) => {
          assert.match(e.message, /refused the request \(403 security_exception\) while opening the store: /);
          assert.match(e.message, /\[indices:admin\/index_template\/put\]/, 'the action refused');
          if (!flavour.startsWith('opensearch')) assert.match(e.message, /manage_index_templates/);
          assert.match(e.message, /their roles lack the privilege/);
          assert.doesNotMatch(e.message, /check elasticsearch\.apiKey/);
          return true;
        });
      } finally {
        await es.close();
      }
    });
  }
});
