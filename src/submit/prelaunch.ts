import type { LoadedConfig } from '../config/load.js';
import type { RunStore } from '../store/types.js';
import type { SubmitArgs } from './args.js';
import type { AdviseFn } from './advisor-seam.js';
import type { LaunchPlan } from './plan.js';

// The pre-launch phase as one unit: load the config, open the store, plan. Its result crosses a process
// boundary, so it is plain data.

export type PrelaunchResult =
  | { type: 'done'; ok: true; plan: LaunchPlan; loaded: LoadedConfig }
  | { type: 'done'; ok: false; reason: string; loaded?: LoadedConfig };

export interface PrelaunchDeps {
  env: NodeJS.ProcessEnv;
  /** The config, when the caller has read it already. */
  loaded?: LoadedConfig;
  /** Store the advice record (default: yes, except for --spot-dry-run). */
  record?: boolean;
  advise?: AdviseFn;
  /**
   * The store, when the caller keeps one open (the advice process opens it once per launch); else opened and closed
   * here.
   */
  store?: RunStore;
}

export async function prelaunch(argv: string[] | SubmitArgs, deps: PrelaunchDeps): Promise<PrelaunchResult> {
  let loaded = deps.loaded;
  try {
    if (!loaded) {
      const { loadConfig } = await import('../config/load.js');
      loaded = await loadConfig({ env: deps.env });
    }
    const store = deps.store ?? (await (await import('../compose.js')).openStore(loaded));
    try {
      const { planLaunch } = await import('./plan.js');
      const plan = await planLaunch(argv, {
        config: loaded.config,
        store,
        env: deps.env,
        advise: deps.advise,
        record: deps.record,
      });
      return { type: 'done', ok: true, plan, loaded };
    } finally {
      if (!deps.store) await store.close().catch(() => undefined);
    }
  } catch (e) {
    return { type: 'done', ok: false, reason: oneLine(e), loaded };
  }
}

export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim();
}
