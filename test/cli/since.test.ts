import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/context.js';
import { parseSince } from '../../src/cli/since.js';

// --since of `spot crawl` and `spot report`, against an injected clock.

const NOW = new Date('2026-12-04T12:00:00Z');

test('a date or date-time up to now is read as UTC when it names no zone', () => {
  assert.equal(parseSince('2026-12-01', NOW).toISOString(), '2026-12-01T00:00:00.000Z');
  assert.equal(parseSince('2026-12-04 11:30', NOW).toISOString(), '2026-12-04T11:30:00.000Z');
  assert.equal(parseSince('2026-12-04T12:00:00Z', NOW).toISOString(), NOW.toISOString());
});

test('a date after now is a usage error that says so; a date that is no date says what is expected', () => {
  assert.throws(
    () => parseSince('2099-01-01', NOW),
    (e: unknown) =>
      e instanceof UsageError && e.message === '--since 2099-01-01 is in the future: no app has ended since then',
  );
  assert.throws(() => parseSince('2026-12-04T12:00:01Z', NOW), /is in the future/);
  assert.throws(() => parseSince('2026-02-30', NOW), /must be an ISO date/);
});
