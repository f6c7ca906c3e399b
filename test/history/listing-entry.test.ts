import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkListingEntry } from '../../src/history/schema.js';

// A listing entry is checked before anything is built from it, so that its problem is filed as the listing's
// (stage `listing`), naming the field, rather than failing later where the store is blamed.

const attempt = {
  startTime: '2024-01-31T10:00:00.000GMT',
  endTime: '2024-01-31T11:00:00.000GMT',
  endTimeEpoch: 1706698800000,
  completed: true,
};

test('a completed attempt without an end time is a bad entry naming the field', () => {
  const noEnd = { id: 'app-1', name: 'x', attempts: [{ ...attempt, endTime: undefined, endTimeEpoch: undefined }] };
  assert.deepEqual(checkListingEntry(noEnd), {
    ok: false,
    id: 'app-1',
    name: 'x',
    problem: 'attempts.0.endTime: a completed attempt needs its end time',
  });
});

test('an attempt still running, or one Spark left incomplete (its end -1), needs none; an end in either form will do', () => {
  const dead = { ...attempt, endTime: '1969-12-31T23:59:59.999GMT', endTimeEpoch: -1, completed: false };
  const entries = [
    { id: 'app-2', name: 'x', attempts: [attempt, dead] },
    { id: 'app-3', name: 'x', attempts: [{ ...attempt, endTimeEpoch: undefined }] },
    { id: 'app-4', name: 'x', attempts: [{ ...attempt, endTime: undefined }] },
  ];
  for (const e of entries) assert.equal(checkListingEntry(e).ok, true, e.id);
});
