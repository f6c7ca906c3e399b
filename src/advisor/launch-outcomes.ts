import type { Advice, RunRecord } from '../types.js';

// What spot-submit saw of a launch decides what its run can teach. The run's own record cannot always tell: a
// driver that throws before its first job (a missing input path) leaves the log of a complete application with no
// failed stage, so it was learnt as a good run of a few seconds and anchored the next steps (an outside closed
// loop: after two such launches the advice cut the executors again and put the baseline at 10 s where it takes
// 28 s). A launch stopped by a signal spot-submit passed on (Ctrl-C, a scheduler's kill) says nothing about its
// settings either way: it is neither a duration nor a failure they caused.

/** The runs with what their launches' outcomes say: failed where spark-submit failed, gone where it was stopped. */
export function withLaunchOutcomes(records: RunRecord[], advice: Pick<Advice, 'id' | 'outcome'>[]): RunRecord[] {
  const outcomes = new Map(advice.flatMap((a) => (a.outcome ? [[a.id, a.outcome] as const] : [])));
  return records.flatMap((r) => {
    const outcome = r.adviceId !== undefined ? outcomes.get(r.adviceId) : undefined;
    if (!outcome) return [r];
    if (outcome.stoppedBy !== undefined) return [];
    const failed = outcome.exitCode !== undefined && outcome.exitCode !== 0;
    return failed && r.succeeded ? [{ ...r, succeeded: false }] : [r];
  });
}
