import type { SpawnSyncReturns } from 'node:child_process';

/**
 * spawnSync options that end a child only a hang keeps running, so such a test fails, saying so, instead of
 * blocking the whole run. The limit is far above what any of these commands takes on a loaded machine: it is no
 * measure of speed. SIGKILL, as a hung child may be one that ignores or waits out a gentler signal.
 */
export const HANG_GUARD = { timeout: 600_000, killSignal: 'SIGKILL' } as const;

/**
 * How a spawnSync child ended and what it wrote to stderr, for an assertion's message: a child the hang guard
 * killed (no exit status, a signal) is named as such rather than showing as an empty message.
 */
export function ended(r: SpawnSyncReturns<string | Buffer>): string {
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const how =
    r.signal === null
      ? `exit ${r.status}`
      : `killed by ${r.signal}${timedOut ? ' when its time limit ran out: it hung' : ''}`;
  return `${how}; stderr: ${r.stderr ?? ''}`;
}
