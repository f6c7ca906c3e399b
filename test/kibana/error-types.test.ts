import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorType } from '../../src/crawl/error-doc.js';
import {
  HistoryBadResponseError,
  HistoryHttpError,
  HistoryNotFoundError,
  HistoryTimeoutError,
  HistoryTlsError,
  HistoryUnreachableError,
} from '../../src/history/errors.js';
import { StoreError } from '../../src/store/errors.js';

// The original's error alert filters on spot.error.type (leaving out HTTPError): History Server failures keep
// the names its `requests` client gave them.

test('History Server failures are typed as the original typed them; other errors keep their class name', () => {
  const url = 'http://shs/api/v1/applications/x';
  assert.equal(errorType(new HistoryHttpError(url, 500, 'boom')), 'HTTPError');
  assert.equal(errorType(new HistoryNotFoundError(url, 'no such app')), 'HTTPError');
  assert.equal(errorType(new HistoryTimeoutError(url, 1000)), 'Timeout');
  assert.equal(errorType(new HistoryUnreachableError(url, 'ECONNRESET')), 'ConnectionError');
  // requests raised SSLError (a ConnectionError) for a handshake that failed
  assert.equal(errorType(new HistoryTlsError(url, 'TLS handshake failed (wrong version number)')), 'SSLError');
  assert.equal(errorType(new HistoryBadResponseError(url, 'HTML instead of JSON')), 'JSONDecodeError');
  assert.equal(errorType(new StoreError('refused')), 'StoreError');
  assert.equal(errorType(new TypeError('x')), 'TypeError');
});
