import type { LoadedConfig } from '../config/load.js';
import type { AdviseFn } from './advisor-seam.js';
import type { LaunchPlan } from './plan.js';

// The pre-launch phase as one unit: load the config, open the store, plan. Its result crosses a worker
// boundary, so it is plain data.

export type PrelaunchMessage =
  | { type: 'budget'; adviceTimeoutMs: number }
  | { type: 'done'; ok: true; plan: LaunchPlan; loaded: LoadedConfig }
  | { type: 'done'; ok: false; reason: string; loaded?: LoadedConfig };

export interface PrelaunchDeps {
  env: NodeJS.ProcessEnv;
  /** The config, when the caller has read it already. */
  loaded?: LoadedConfig;
  /** Told the time budget as soon as the config says what it is. */
  onBudget?: (adviceTimeoutMs: number) => void;
  advise?: AdviseFn;
  signal?: AbortSignal;
  /** Polled between steps (a worker cannot hear an abort event while it is busy). */
  shouldStop?: () => boolean;
}

export async function prelaunch(argv: string[], deps: PrelaunchDeps): Promise<Extract<PrelaunchMessage, { type: 'done' }>> {
  let loaded = deps.loaded;
  try {
    if (!loaded) {
      const { loadConfig } = await import('../config/load.js');
      loaded = await loadConfig({ env: deps.env });
      deps.onBudget?.(loaded.config.submit.adviceTimeoutMs);
    }
    const { openStore } = await import('../store/open.js');
    const store = await openStore(loaded);
    try {
      const { planLaunch } = await import('./plan.js');
      const plan = await planLaunch(argv, { config: loaded.config, store, env: deps.env, advise: deps.advise, signal: deps.signal, shouldStop: deps.shouldStop });
      return { type: 'done', ok: true, plan, loaded };
    } finally {
      await store.close().catch(() => undefined);
    }
  } catch (e) {
    return { type: 'done', ok: false, reason: oneLine(e), loaded };
  }
}

export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim();
}
