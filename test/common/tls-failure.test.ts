import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:https';
import { request } from 'undici';
import { tlsFailureText } from '../../src/common/tls-failure.js';
import { type LoopbackHttp, plainHttp } from '../support/loopback-http.js';

// What each client meets when it speaks TLS to a plain-HTTP port, through the two HTTP stacks Spot uses: undici
// (History Server, ResourceManager, Elasticsearch) and Node's https module.

let server: LoopbackHttp;
let url: string;

before(async () => {
  server = await plainHttp();
  url = `https://127.0.0.1:${server.port}/`;
});
after(() => server.close());

const PLAIN = 'TLS handshake failed (wrong version number): does the server speak https? try http://';

/** The error a request to `url` fails with. */
async function failure(send: () => Promise<unknown>): Promise<unknown> {
  try {
    await send();
  } catch (err) {
    return err;
  }
  assert.fail('the request succeeded');
}

describe('tlsFailureText', () => {
  test("undici's error, bare and wrapped as fetch wraps it: OpenSSL's reason and the http:// hint", async () => {
    const err = await failure(() => request(url));
    assert.equal(tlsFailureText(err), PLAIN);
    assert.equal(tlsFailureText(new TypeError('fetch failed', { cause: err })), PLAIN);
  });

  test("Node's https module's EPROTO, whose message quotes OpenSSL's line", async () => {
    const err = await failure(
      () => new Promise((resolve, reject) => get(url, (res) => res.resume().on('end', resolve)).on('error', reject)),
    );
    assert.equal((err as { code?: string }).code, 'EPROTO');
    assert.equal(tlsFailureText(err), PLAIN);
  });

  test('not a TLS failure: a refused connection, a refused certificate (certificateText words it)', () => {
    assert.equal(tlsFailureText(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), undefined);
    const cert = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    assert.equal(tlsFailureText(cert), undefined);
  });
});
