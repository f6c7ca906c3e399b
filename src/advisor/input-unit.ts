import type { Advice, RunRecord } from '../types.js';

// One input-size unit. The size a launch is advised for is what spot-submit measured before it (--spot-input-bytes,
// the input probe); a crawled run's own size is the sum of its stages' storage reads (src/documents/record.ts),
// which counts an input read twice, or a cached one never. The advisor compares a new launch with its history,
// so every run is put in the launch's unit: a run launched with advice learns under the size recorded with that
// advice, and other runs are scaled by the median ratio of the two sizes over the runs that have both.

export interface InputUnit {
  records: RunRecord[];
  /** Launch size over crawled size, from `linked` runs (1 when none). */
  ratio: number;
  linked: number;
}

export function inLaunchUnit(records: RunRecord[], advice: Pick<Advice, 'id' | 'inputBytes'>[]): InputUnit {
  const sizes = new Map<string, number>();
  for (const a of advice) if (a.inputBytes !== undefined && a.inputBytes > 0) sizes.set(a.id, a.inputBytes);
  const ratios: number[] = [];
  for (const r of records) {
    const launch = r.adviceId !== undefined ? sizes.get(r.adviceId) : undefined;
    if (launch !== undefined && r.inputBytes > 0) ratios.push(launch / r.inputBytes);
  }
  if (ratios.length === 0) return { records, ratio: 1, linked: 0 };
  ratios.sort((a, b) => a - b);
  const ratio = (ratios[(ratios.length - 1) >> 1]! + ratios[ratios.length >> 1]!) / 2;
  const out = records.map((r) => {
    const launch = r.adviceId !== undefined ? sizes.get(r.adviceId) : undefined;
    if (launch !== undefined) return launch === r.inputBytes ? r : { ...r, inputBytes: launch };
    return ratio === 1 ? r : { ...r, inputBytes: Math.round(r.inputBytes * ratio) };
  });
  return { records: out, ratio, linked: ratios.length };
}
