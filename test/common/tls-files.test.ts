import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { tlsFilesProblem } from '../../src/common/tls-files.js';

// What the clients' own tests (History Server, ResourceManager, Elasticsearch) do not make: an encrypted key, which
// Spot has no passphrase setting for.

test('an encrypted key is named as one, with how to write it unencrypted, and nothing of its content', () => {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const problem = tlsFilesProblem({
    key: { key: 'yarn.keyFile', path: '/etc/spot/rm.key', pem: Buffer.from(privateKey) },
  });
  assert.equal(
    problem,
    'yarn.keyFile /etc/spot/rm.key is an encrypted key: Spot needs it unencrypted (openssl pkey -in it -out a new file)',
  );
});
