import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  appDoc,
  appList,
  appStatInfo,
  clusterDoc,
  schedulerDocs,
  schedulerSummary,
  schedulerWarning,
} from '../../src/yarn/documents.js';
import { YarnShapeError } from '../../src/yarn/types.js';
import { fixtureApps, yarnFixture } from '../support/rm-server.js';

// The original Spot's YARN documents, built from Hadoop's own ResourceManager responses (test/fixtures/yarn).

const ctx = { now: new Date('2024-05-01T10:00:00.000Z'), yarnHost: 'rm.example.com' };

describe('YARN documents', () => {
  test('cluster document: metrics, app counts by type and upper-cased state, scheduler summary, spot metadata', () => {
    const stats = appStatInfo({ all: yarnFixture('appstatistics.json'), SPARK: { appStatInfo: { statItem: [] } } });
    const doc = clusterDoc(
      yarnFixture('cluster-metrics.json'),
      stats,
      schedulerSummary(yarnFixture('scheduler.json')),
      ctx,
    );
    assert.deepEqual(doc.appStatInfo, { all: { ACCEPTED: 4, RUNNING: 1, FINISHED: 7 }, SPARK: {} });
    assert.equal((doc.clusterMetrics as Record<string, number>).totalVirtualCores, 8);
    assert.equal((doc.clusterMetrics as Record<string, number>).allocatedMB, 0);
    assert.deepEqual(doc.spot, { time_processed: '2024-05-01T10:00:00.000Z', yarn_host: 'rm.example.com' });
    const info = doc.schedulerInfo as {
      queues: Record<string, Record<string, unknown>>;
      capacities?: unknown;
      health?: unknown;
    };
    assert.deepEqual(Object.keys(info.queues), ['a', 'b']);
    assert.equal(info.capacities, undefined);
    assert.equal(info.health, undefined);
    for (const q of Object.values(info.queues))
      for (const k of ['capacities', 'resources', 'users']) assert.equal(q[k], undefined);
    assert.equal(info.queues.a!.absoluteCapacity, 12.5);
  });

  test('scheduler documents per partition, queue and user, typed by spot.doc_type', () => {
    const docs = schedulerDocs(yarnFixture('scheduler.json'), ctx);
    const types = docs.map((d) => `${d.spot.doc_type}:${String(d.queueName ?? '')}`);
    assert.deepEqual(types, [
      'queueCapacitiesByPartition:',
      'queue_queueCapacitiesByPartition:a',
      'queue_resourceUsagesByPartition:a',
      'user_resourceUsagesByPartition:a',
      'user:a',
      'queue:a',
      'queue_queueCapacitiesByPartition:b',
      'queue_resourceUsagesByPartition:b',
      'queue:b', // b answers "users": {} (no user key): no user documents, no failure
    ]);
    const user = docs.find((d) => d.spot.doc_type === 'user')!;
    assert.equal(user.username, 'user1');
    assert.equal(user.resources, undefined);
    const userUse = docs.find((d) => d.spot.doc_type === 'user_resourceUsagesByPartition')!;
    assert.equal(userUse.username, 'user1');
    assert.deepEqual(userUse.amUsed, { memory: 1024, vCores: 1 });
    const queueA = docs.find((d) => d.spot.doc_type === 'queue' && d.queueName === 'a')!;
    assert.deepEqual(queueA.resourcesUsed, { memory: 0, vCores: 0 });
    assert.equal(queueA.usedCapacity, 0);
    assert.equal(docs[0]!.partitionName, '');
    for (const d of docs) assert.equal(d.spot.yarn_host, 'rm.example.com');
  });

  test('Fair Scheduler: a queue document per top-level queue, under the Capacity Scheduler names where both have one', () => {
    const fair = yarnFixture('scheduler-fair.json');
    assert.equal(schedulerWarning(fair), undefined);
    const docs = schedulerDocs(fair, ctx);
    assert.deepEqual(
      docs.map((d) => `${d.spot.doc_type}:${String(d.queueName)}`),
      ['queue:root.default', 'queue:root.sample_queue'],
    );
    const q = docs[0]!;
    assert.deepEqual(q.resourcesUsed, { memory: 2048, vCores: 2 });
    assert.equal(q.numActiveApplications, 1);
    assert.equal(q.numPendingApplications, 2);
    assert.equal(q.numApplications, 3);
    assert.equal(q.maxApplications, 2147483647);
    assert.equal(q.absoluteUsedCapacity, 25);
    assert.deepEqual(q.fairResources, { memory: 8192, vCores: 8 });
    assert.equal(docs[1]!.childQueues, undefined);
    const summary = schedulerSummary(fair);
    assert.equal(summary.type, 'fairScheduler');
    assert.equal(summary.queueName, 'root');
    assert.equal(summary.rootQueue, undefined);
    assert.deepEqual(Object.keys(summary.queues as object), ['root.default', 'root.sample_queue']);
    // Hadoop 2 lists child queues bare
    const info = (fair.scheduler as { schedulerInfo: { rootQueue: { childQueues: unknown } } }).schedulerInfo;
    info.rootQueue.childQueues = (info.rootQueue.childQueues as { queue: unknown }).queue;
    assert.equal(schedulerDocs(fair, ctx).length, 2);
  });

  test('a scheduler type that is neither Capacity nor Fair: no scheduler documents, a warning', () => {
    const fifo = { scheduler: { schedulerInfo: { type: 'fifoScheduler', capacity: 1, usedCapacity: 0 } } };
    assert.deepEqual(schedulerDocs(fifo, ctx), []);
    assert.match(schedulerWarning(fifo)!, /^scheduler type fifoScheduler is not read/);
    assert.equal(schedulerSummary(fifo).type, 'fifoScheduler');
    assert.equal(schedulerWarning(yarnFixture('scheduler.json')), undefined);
  });

  test('application documents: times as ISO-8601 UTC, the default classification, id = YARN app id', () => {
    const [first] = appList(yarnFixture('apps.json')).map((a) => appDoc(a, ctx));
    assert.equal(first!.id, 'application_1326815542473_0001');
    assert.equal(first!.startedTime, new Date(1326815573334).toISOString());
    assert.equal(first!.finishedTime, new Date(1326815598530).toISOString());
    assert.equal(first!.vcoreSeconds, 103);
    assert.equal(first!.queue, 'default');
    assert.deepEqual(first!.app_specific_data, {
      classification: { app: 'word count', type: 'word count', 1: 'word', 2: 'count' },
      tag: 'word count',
    });
  });

  test('{"apps": null} is no apps; an answer without apps, or an app without id or finish time, is a YarnShapeError', () => {
    assert.deepEqual(appList({ apps: null }), []);
    assert.deepEqual(appList({ apps: {} }), []);
    assert.throws(() => appList({ clusterMetrics: {} }), YarnShapeError);
    assert.throws(() => appList({ apps: { app: 'x' } }), YarnShapeError);
    const app = fixtureApps()[0]!;
    assert.throws(() => appDoc({ ...app, id: undefined }, ctx), /no id/);
    assert.throws(() => appDoc({ ...app, finishedTime: 0 }, ctx), /no finishedTime/);
    assert.throws(
      () => clusterDoc({ metrics: {} }, {}, undefined, ctx),
      /cluster\/metrics: no object at clusterMetrics/,
    );
    assert.throws(() => schedulerDocs({ scheduler: null }, ctx), YarnShapeError);
  });
});
