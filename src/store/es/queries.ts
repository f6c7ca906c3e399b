import type { RunFilter, TimeWindow } from '../../types.js';
import { DEFAULT_QUERY_LIMIT, MODELS_PER_JOB } from '../common.js';
import { all, type Query, type Sort } from './search.js';

// The searches the store makes, one builder per RunStore read. Every sort ends in a unique keyword
// (docId, id) so search_after paging neither skips nor repeats hits that share a time.

export interface SearchRequest {
  query: Query;
  sort: Sort;
  source?: string[];
  limit?: number;
}

const iso = (d: Date) => d.toISOString();
const newestAgg: Sort = [{ 'attempt.endTime': 'desc' }, { docId: 'asc' }];

export const knownIdsSearch = (window: TimeWindow): SearchRequest => ({
  query: all([{ range: { 'attempt.endTime': { gte: iso(window.from), lte: iso(window.to) } } }]),
  sort: [{ 'attempt.endTime': 'asc' }, { docId: 'asc' }],
  source: ['id'],
});

export const errorCountsSearch = (appIds: string[], since?: Date): SearchRequest => ({
  query: all([
    { terms: { 'spot.spark_app_id.keyword': appIds } },
    ...(since ? [{ range: { 'spot.time_processed': { gte: iso(since) } } }] : []),
  ]),
  sort: [{ docId: 'asc' }],
  source: ['spot.spark_app_id'],
});

export const latestEndSearch = (): SearchRequest => ({
  query: all([]),
  sort: newestAgg,
  source: ['attempt.endTime'],
  limit: 1,
});

/** `app` is an app name or a tag (job key), matched exactly on their keyword sub-fields. */
export function aggSearch(filter: RunFilter): SearchRequest {
  const filters: Query[] = [];
  if (filter.since) filters.push({ range: { 'attempt.endTime': { gte: iso(filter.since) } } });
  if (filter.app !== undefined) {
    const either = [
      { term: { 'name.keyword': filter.app } },
      { term: { 'app_specific_data.tag.keyword': filter.app } },
    ];
    filters.push({ bool: { should: either, minimum_should_match: 1 } });
  }
  return { query: all(filters), sort: newestAgg, limit: filter.limit ?? DEFAULT_QUERY_LIMIT };
}

export const aggOfAppSearch = (appId: string): SearchRequest => ({
  query: all([{ term: { 'id.keyword': appId } }]),
  sort: newestAgg,
});

export const errorsSearch = (filter: { limit?: number; since?: Date }): SearchRequest => ({
  query: all(filter.since ? [{ range: { 'spot.time_processed': { gte: iso(filter.since) } } }] : []),
  sort: [{ 'spot.time_processed': 'desc' }, { docId: 'asc' }],
  limit: filter.limit,
});

export const recordsSearch = (filter: { app?: string; limit?: number }): SearchRequest => ({
  query: all(filter.app === undefined ? [] : [{ term: { app: filter.app } }]),
  sort: [{ endTime: 'desc' }, { id: 'asc' }],
  limit: filter.limit,
});

/** Which of these run record ids are stored (at most a thousand at a time: the caller pages). */
export const recordIdsSearch = (ids: string[]): SearchRequest => ({
  query: all([{ terms: { id: ids } }]),
  sort: [{ id: 'asc' }],
  source: ['id'],
});

/** Every record's job key, to count runs per key exactly for any number of keys (no terms aggregation). */
export const appsSearch = (): SearchRequest => ({ query: all([]), sort: [{ id: 'asc' }], source: ['app'] });

export const adviceSearch = (filter: { app?: string; limit?: number }): SearchRequest => ({
  query: all(filter.app === undefined ? [] : [{ term: { app: filter.app } }]),
  sort: [{ createdAt: 'desc' }, { id: 'asc' }],
  limit: filter.limit,
});

export const modelsSearch = (app: string): SearchRequest => ({
  query: all([{ term: { app } }]),
  sort: [{ storedAt: 'desc' }, { query: 'asc' }],
  limit: MODELS_PER_JOB,
});
