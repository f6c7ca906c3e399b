import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskUrlCredentials, withoutUserInfo } from '../../src/common/url-credentials.js';

const mask = (s: string) => maskUrlCredentials(s, '***');

test('a URL password is masked and its user kept', () => {
  assert.equal(mask('http://alice:hunter2@shs:18080/api'), 'http://alice:***@shs:18080/api');
  assert.equal(mask('jdbc:mysql://u:PASS@db/x'), 'jdbc:mysql://u:***@db/x');
});

test('a password holding an @ is masked whole', () => {
  assert.equal(mask('http://alice:hun@ter2@shs:18080'), 'http://alice:***@shs:18080');
  assert.equal(withoutUserInfo('http://alice:hun@ter2@shs:18080/x'), 'http://shs:18080/x');
});

test('user:password@host without a scheme, or with a mistyped one, is masked', () => {
  assert.equal(mask('alice:hunter2@shs:18080'), 'alice:***@shs:18080');
  assert.equal(mask('http//alice:hunter2@shs'), 'http//alice:***@shs');
  assert.equal(mask('url "alice:hunter2@shs"'), 'url "alice:***@shs"');
  assert.equal(mask('--history-server=alice:hunter2@shs'), '--history-server=alice:***@shs');
});

test('secret query parameters are masked', () => {
  assert.equal(mask('http://shs/x?token=abc&page=2'), 'http://shs/x?token=***&page=2');
});

test('text without credentials is left as it is', () => {
  for (const s of ['alice@example.com', 'http://shs:18080/api/v1', 'registry/spark:3.5@sha256:0123abcd', '12:30']) {
    assert.equal(mask(s), s);
  }
});
