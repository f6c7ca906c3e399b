import { advise } from '../advisor/advise.js';
import { readJobHistory } from '../advisor/job-history.js';
import { adviceOutcomes } from '../advisor/outcomes.js';
import { runSettings } from '../advisor/features.js';
import type { SpotConfig } from '../config/schema.js';
import type { RunStore } from '../store/types.js';
import { cachingSelect, type ModelSource } from './model-cache.js';

// Fitting a job's model when its runs are stored (spot crawl, spot import, spot-submit's crawl after the run),
// so that its next launch finds it kept and only looks it up. The model is selected by the advisor's own path,
// for the question a launch without a measured input asks (the largest input of the runs it learns from, advise.ts):
// the same rows, options and input-size point, so the launch's fingerprint matches. Advice is computed and thrown
// away.

/**
 * Fits (or finds still fresh) and keeps one job's model; undefined when the store keeps none or the job has no runs.
 */
export async function prefitJob(
  store: RunStore,
  config: SpotConfig,
  app: string,
  now = new Date(),
): Promise<ModelSource | undefined> {
  if (!store.putModel) return undefined;
  const { records, launched, kept } = await readJobHistory(store, app);
  const latest = records[0];
  if (!latest) return undefined;
  const models = cachingSelect(app, kept, () => now);
  const baseline = { ...runSettings(latest) };
  // The what-if's run is left out: it changes the advice, not the model selection this keeps.
  advise({
    app,
    baseline,
    pinned: [],
    records,
    outcomes: adviceOutcomes(records, launched),
    config: config.advisor,
    now,
    select: models.select,
  });
  for (const m of models.state.fresh) await store.putModel(m);
  return models.state.source;
}

/** Prefits each job of the given keys, one after the other; a job that fails is left to its next launch. */
export async function prefitJobs(
  store: RunStore,
  config: SpotConfig,
  apps: Iterable<string>,
): Promise<{ fitted: number; fresh: number }> {
  const out = { fitted: 0, fresh: 0 };
  for (const app of new Set(apps)) {
    const source = await prefitJob(store, config, app).catch(() => undefined);
    if (source?.source === 'store') out.fresh += 1;
    else if (source) out.fitted += 1;
  }
  return out;
}

/**
 * Fits the models of the jobs whose runs a crawl just stored (those of the newest `stored` runs), so that their next
 * spot-submit launch only looks them up; a job the crawl backfilled further back is fitted by its next launch.
 */
export async function prefitNewest(
  store: RunStore,
  config: SpotConfig,
  stored: number,
): Promise<{ fitted: number; fresh: number }> {
  const newest = await store.records({ limit: stored });
  return prefitJobs(
    store,
    config,
    newest.map((r) => r.app),
  );
}
