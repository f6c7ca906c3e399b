import { defaultClassification } from '../documents/classify.js';
import type { JsonObject, JsonValue } from '../types.js';
import { YarnShapeError, type SchedulerDocType, type YarnAppDoc, type YarnDoc, type YarnMeta } from './types.js';

// ResourceManager answers → the original Spot's YARN documents: one cluster document per poll (metrics, app
// counts by type and state, a scheduler summary), one document per finished application, and scheduler
// documents per partition, queue and user. Pure functions; a shape they cannot use throws YarnShapeError.

export interface DocContext {
  now: Date;
  yarnHost: string;
}

const meta = (ctx: DocContext, docType?: SchedulerDocType): YarnMeta => ({
  time_processed: ctx.now.toISOString(),
  yarn_host: ctx.yarnHost,
  ...(docType ? { doc_type: docType } : {}),
});

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectAt(v: unknown, path: string[], what: string): JsonObject {
  let at: unknown = v;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  if (!isObject(at)) throw new YarnShapeError(`${what}: no object at ${path.join('.')}`);
  return at;
}

/** A list the ResourceManager wraps in an object (`{"queue": [...]}`); an empty one comes as `{}` or null. */
function listAt(v: unknown, key: string): JsonObject[] {
  const list = isObject(v) ? v[key] : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

function without(o: JsonObject, ...keys: string[]): JsonObject {
  const copy: JsonObject = { ...o };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * `appStatInfo.<type>.<STATE>` from one appstatistics answer per application type. States are upper-cased:
 * the dashboards use YARN's enum names (`RUNNING`), which some answers spell in lower case.
 */
export function appStatInfo(answers: Record<string, unknown>): JsonObject {
  const info: JsonObject = {};
  for (const [type, answer] of Object.entries(answers)) {
    const counts: JsonObject = {};
    for (const item of listAt(objectAt(answer, ['appStatInfo'], `appstatistics (${type})`), 'statItem')) {
      if (typeof item.state === 'string' && typeof item.count === 'number')
        counts[item.state.toUpperCase()] = item.count;
    }
    info[type] = counts;
  }
  return info;
}

/** The scheduler in one object, queues keyed by name, without the per-partition detail of the scheduler documents. */
export function schedulerSummary(answer: unknown): JsonObject {
  const info = objectAt(answer, ['scheduler', 'schedulerInfo'], 'cluster/scheduler');
  const queues: JsonObject = {};
  for (const q of listAt(info.queues, 'queue')) {
    if (typeof q.queueName === 'string') queues[q.queueName] = without(q, 'capacities', 'resources', 'users');
  }
  return { ...without(info, 'capacities', 'health'), queues };
}

export function clusterDoc(
  metrics: unknown,
  statInfo: JsonObject,
  scheduler: JsonObject | undefined,
  ctx: DocContext,
): YarnDoc {
  const doc: YarnDoc = {
    clusterMetrics: objectAt(metrics, ['clusterMetrics'], 'cluster/metrics'),
    appStatInfo: statInfo,
    spot: meta(ctx),
  };
  if (scheduler) doc.schedulerInfo = scheduler;
  return doc;
}

/**
 * Scheduler documents as the original wrote them, for the top-level queues: the cluster's capacities per
 * partition, then per queue its capacities and usage per partition, its users (usage per partition, then the
 * user) and the queue itself.
 */
export function schedulerDocs(answer: unknown, ctx: DocContext): YarnDoc[] {
  const info = objectAt(answer, ['scheduler', 'schedulerInfo'], 'cluster/scheduler');
  const docs: YarnDoc[] = [];
  const add = (fields: JsonObject, type: SchedulerDocType) => docs.push({ ...fields, spot: meta(ctx, type) });
  for (const cap of listAt(info.capacities, 'queueCapacitiesByPartition')) add(cap, 'queueCapacitiesByPartition');
  for (const queue of listAt(info.queues, 'queue')) {
    const queueName = (queue.queueName ?? null) as JsonValue;
    for (const cap of listAt(queue.capacities, 'queueCapacitiesByPartition'))
      add({ ...cap, queueName }, 'queue_queueCapacitiesByPartition');
    for (const use of listAt(queue.resources, 'resourceUsagesByPartition'))
      add({ ...use, queueName }, 'queue_resourceUsagesByPartition');
    for (const user of listAt(queue.users, 'user')) {
      const username = (user.username ?? null) as JsonValue;
      for (const use of listAt(user.resources, 'resourceUsagesByPartition')) {
        add({ ...use, queueName, username }, 'user_resourceUsagesByPartition');
      }
      add({ ...without(user, 'resources'), queueName }, 'user');
    }
    add(without(queue, 'capacities', 'resources', 'users'), 'queue');
  }
  return docs;
}

/** The apps of a cluster/apps answer; `{"apps": null}` is how the ResourceManager says there are none. */
export function appList(answer: unknown): unknown[] {
  if (!isObject(answer) || !('apps' in answer)) throw new YarnShapeError('cluster/apps: no "apps" in the answer');
  if (answer.apps === null) return [];
  const list = isObject(answer.apps) ? answer.apps.app : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new YarnShapeError('cluster/apps: apps.app is not a list');
  return list;
}

/** One application document; throws YarnShapeError for an app without an id or a finish time. */
export function appDoc(app: unknown, ctx: DocContext): YarnAppDoc {
  if (!isObject(app)) throw new YarnShapeError('cluster/apps: an app is not an object');
  const id = app.id;
  if (typeof id !== 'string' || !id) throw new YarnShapeError('cluster/apps: an app has no id');
  const started = app.startedTime;
  const finished = app.finishedTime;
  if (typeof finished !== 'number' || !Number.isFinite(finished) || finished <= 0) {
    throw new YarnShapeError(`cluster/apps: ${id} has no finishedTime`);
  }
  const name = typeof app.name === 'string' ? app.name : '';
  const { classification, tag } = defaultClassification(name);
  return {
    ...app,
    id,
    startedTime:
      typeof started === 'number' && started > 0 ? new Date(started).toISOString() : new Date(finished).toISOString(),
    finishedTime: new Date(finished).toISOString(),
    app_specific_data: { classification, tag },
    spot: meta(ctx),
  } as YarnAppDoc;
}
