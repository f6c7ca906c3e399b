import type { TrainingRow } from '../../models/types.js';
import { mulberry32 } from '../../src/simulator/random.js';

/** Standard normal draw (Box–Muller). */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export const GIB = 1024 ** 3;

/** One run on executors of 2 cores: `sec` seconds on `gib` GiB of input. */
export const twoCoreRun = (executors: number, gib: number, sec: number, id = `r${executors}-${gib}`): TrainingRow => ({
  id,
  inputBytes: gib * GIB,
  executors,
  executorCores: 2,
  durationMs: sec * 1000,
});
/** The settings of `executors` executors of 2 cores, as a question asks them. */
export const twoCores = (executors: number) => ({ executors, executorCores: 2 });

/** Runs over a grid of executors × cores × sizes, duration from `truth` (seconds) with lognormal noise. */
export function history(
  truth: (executors: number, cores: number, bytes: number) => number,
  grid: { executors: number[]; cores: number[]; gib: number[] },
  noise = 0,
  seed = 1,
): TrainingRow[] {
  const r = mulberry32(seed);
  const rows: TrainingRow[] = [];
  for (const e of grid.executors)
    for (const c of grid.cores)
      for (const g of grid.gib) {
        const bytes = Math.round(g * GIB);
        const sec = truth(e, c, bytes) * Math.exp(noise * gauss(r));
        rows.push({ id: `r${rows.length}`, inputBytes: bytes, executors: e, executorCores: c, durationMs: sec * 1000 });
      }
  return rows;
}
