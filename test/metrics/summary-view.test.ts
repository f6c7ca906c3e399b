import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocuments } from '../../src/documents/build.js';
import { SUMMARY_FLAGS, SUMMARY_NUMBERS, summaryView } from '../../src/metrics/summary-view.js';
import { syntheticApp } from '../../src/simulator/apps.js';
import { toAttempts } from '../report/fill.js';

// The typed view of attempt.aggs.summary: every name in its table is a field the metrics write (a renamed
// metric field fails here, not as a blank chart), and what is not a finite number (or a boolean) is absent.

test('every figure of the view is read from a field the crawl writes', async () => {
  const sim = syntheticApp({
    id: 'application_1709251200000_0001',
    name: 'view',
    startMs: Date.UTC(2024, 2, 1),
    durationMs: 600_000,
    executors: 4,
    executorCores: 2,
    inputBytes: 2 ** 31,
    idleExecutors: 1,
    stages: 3,
  });
  const { aggs } = await buildDocuments(toAttempts(sim), {
    historyHost: 'shs.test',
    now: new Date(Date.UTC(2024, 2, 2)),
  });
  const summary = aggs[0]!.attempt.aggs.summary;
  const view = summaryView(summary);
  for (const [k, field] of [...Object.entries(SUMMARY_NUMBERS), ...Object.entries(SUMMARY_FLAGS)]) {
    assert.ok(field in summary, `${field} is in the summary`);
    assert.equal(view[k as keyof typeof view], summary[field], k);
  }
  assert.equal(view.idleExecutors, 1);
  assert.equal(view.dynamicAllocation, false);
});

test('a field that is missing, not finite or of another type is left out', () => {
  assert.deepEqual(summaryView(undefined), {});
  assert.deepEqual(
    summaryView({
      estimated_core_efficiency: '0.5',
      idle_executors: null,
      allocated_core_hours: 2,
      dynamic_allocation: 'true',
      input_bytes: 0,
    }),
    { allocatedCoreHours: 2, inputBytes: 0 },
  );
});
