import type { JsonObject } from '../types.js';

// The YARN crawler's documents keep the original Spot's shapes (spot/yarn/yarn_wrapper.py), so its two YARN
// Kibana dashboards work on them unchanged: the ResourceManager's own field names, plus `spot` metadata.

/** Where a poll failed, as the original's error documents name it. */
export type YarnStage = 'yarn_cluster_stats' | 'yarn_apps' | 'yarn_scheduler_docs';

/** Scheduler document kinds, in `spot.doc_type`. */
export type SchedulerDocType =
  | 'queueCapacitiesByPartition'
  | 'queue_queueCapacitiesByPartition'
  | 'queue_resourceUsagesByPartition'
  | 'user_resourceUsagesByPartition'
  | 'user'
  | 'queue';

export type YarnMeta = { time_processed: string; yarn_host: string; doc_type?: SchedulerDocType };

/** A cluster document (one per poll), an application document, or a scheduler document. */
export type YarnDoc = JsonObject & { spot: YarnMeta };

/** A finished YARN application: the ResourceManager's app object, times as ISO-8601 UTC. Id = the YARN app id. */
export type YarnAppDoc = YarnDoc & {
  id: string;
  startedTime: string;
  finishedTime: string;
  queue?: string;
  user?: string;
  applicationType?: string;
  vcoreSeconds?: number;
  memorySeconds?: number;
};

export interface YarnErrorDoc {
  docId: string;
  spot: {
    time_processed: string;
    yarn_host: string;
    /** 'n/a', as in the History Server crawler's listing errors: tools that list error documents by app id show it. */
    spark_app_id: 'n/a';
    error: { type: string; message: string; stage: YarnStage };
  };
}

/** A ResourceManager answer without the shape the crawler needs (names the path that was wrong). */
export class YarnShapeError extends Error {
  override name = 'YarnShapeError';
}
