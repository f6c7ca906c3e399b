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

/** Scheduler types whose queues are read; the others give a cluster document without queues and a warning. */
type SchedulerKind = 'capacity' | 'fair' | { unknown: string };

function schedulerKind(info: JsonObject): SchedulerKind {
  if (info.type === 'capacityScheduler' || (info.type === undefined && 'queues' in info)) return 'capacity';
  if (info.type === 'fairScheduler' || (info.type === undefined && isObject(info.rootQueue))) return 'fair';
  return { unknown: typeof info.type === 'string' ? info.type : JSON.stringify(info.type ?? null) };
}

/** Why a scheduler answer gives no scheduler documents (a type that is neither Capacity nor Fair), or undefined. */
export function schedulerWarning(answer: unknown): string | undefined {
  const info = objectAt(answer, ['scheduler', 'schedulerInfo'], 'cluster/scheduler');
  const kind = schedulerKind(info);
  if (typeof kind === 'string') return undefined;
  return (
    `scheduler type ${kind.unknown} is not read (only capacityScheduler and fairScheduler are): ` +
    'no scheduler documents, no queues in the cluster document'
  );
}

/** A Fair Scheduler queue's children: `{"queue": [...]}` (Hadoop 3) or a bare list (Hadoop 2). */
function fairChildren(queue: JsonObject): JsonObject[] {
  const children = queue.childQueues;
  return Array.isArray(children) ? children.filter(isObject) : listAt(children, 'queue');
}

/**
 * A Fair Scheduler queue under the Capacity Scheduler's names where both have the field (`resourcesUsed`,
 * `numActiveApplications`, `numPendingApplications`, `numApplications`, `maxApplications`, and
 * `absoluteUsedCapacity` as the percentage of the cluster's memory it uses), its own fields kept beside them.
 */
function fairQueue(queue: JsonObject): JsonObject {
  const q = without(queue, 'childQueues');
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const used = isObject(queue.usedResources) ? num(queue.usedResources.memory) : undefined;
  const total = isObject(queue.clusterResources) ? num(queue.clusterResources.memory) : undefined;
  const active = num(queue.numActiveApps);
  const pending = num(queue.numPendingApps);
  const mapped: JsonObject = {};
  if (isObject(queue.usedResources)) mapped.resourcesUsed = queue.usedResources;
  if (active !== undefined) mapped.numActiveApplications = active;
  if (pending !== undefined) mapped.numPendingApplications = pending;
  if (active !== undefined && pending !== undefined) mapped.numApplications = active + pending;
  if (num(queue.maxApps) !== undefined) mapped.maxApplications = queue.maxApps as number;
  if (used !== undefined && total) mapped.absoluteUsedCapacity = (used / total) * 100;
  return { ...q, ...mapped };
}

/** The scheduler in one object, queues keyed by name, without the per-partition detail of the scheduler documents. */
export function schedulerSummary(answer: unknown): JsonObject {
  const info = objectAt(answer, ['scheduler', 'schedulerInfo'], 'cluster/scheduler');
  const kind = schedulerKind(info);
  const queues: JsonObject = {};
  if (kind === 'fair') {
    const root = isObject(info.rootQueue) ? info.rootQueue : {};
    for (const q of fairChildren(root)) if (typeof q.queueName === 'string') queues[q.queueName] = fairQueue(q);
    return { ...without(info, 'rootQueue'), ...fairQueue(root), type: 'fairScheduler', queues };
  }
  if (kind !== 'capacity') return info;
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
 * user) and the queue itself. The Fair Scheduler has no partitions nor users: one `queue` document per
 * top-level queue (fairQueue's fields). Other scheduler types give none (schedulerWarning says so).
 */
export function schedulerDocs(answer: unknown, ctx: DocContext): YarnDoc[] {
  const info = objectAt(answer, ['scheduler', 'schedulerInfo'], 'cluster/scheduler');
  const docs: YarnDoc[] = [];
  const add = (fields: JsonObject, type: SchedulerDocType) => docs.push({ ...fields, spot: meta(ctx, type) });
  const kind = schedulerKind(info);
  if (kind === 'fair') {
    for (const q of fairChildren(isObject(info.rootQueue) ? info.rootQueue : {})) add(fairQueue(q), 'queue');
    return docs;
  }
  if (kind !== 'capacity') return docs;
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

/** Milliseconds a Date holds (±8.64e15). */
const validTime = (ms: number) => Number.isFinite(new Date(ms).getTime());

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
  // A time a Date cannot hold (past year 275760) would fail later with JavaScript's bare "Invalid time value".
  if (typeof finished !== 'number' || !validTime(finished) || finished <= 0) {
    throw new YarnShapeError(`cluster/apps: ${id} has no finishedTime (got ${JSON.stringify(finished) ?? 'none'})`);
  }
  const name = typeof app.name === 'string' ? app.name : '';
  const { classification, tag } = defaultClassification(name);
  return {
    ...app,
    id,
    startedTime:
      typeof started === 'number' && started > 0 && validTime(started)
        ? new Date(started).toISOString()
        : new Date(finished).toISOString(),
    finishedTime: new Date(finished).toISOString(),
    app_specific_data: { classification, tag },
    spot: meta(ctx),
  } as YarnAppDoc;
}
