// Time of one model selection on a long history, as spot-submit's launch path runs it (the duration family, 100 runs
// of a simulated job, queried at the median input size). Baselines run interleaved in the same process: the same
// call into other copies of models/, so machine load affects both alike. A baseline lives inside the repository
// (tmp/ is ignored by git) so that its imports find node_modules:
//   mkdir -p tmp/base && git archive <commit> models src/types.ts | tar -x -C tmp/base
// Prints figures, asserts nothing.
// Usage: npm run bench -- select, or node --import tsx bench/select.ts [--runs N] [--tries N] [--baseline DIR ...]
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { simulatedHistory } from './accuracy/simulated.js';
import type { TrainingRow } from '../models/types.js';

const arg = (name: string) => process.argv.flatMap((a, i) => (a === name ? [process.argv[i + 1]!] : []));
const RUNS = Number(arg('--runs')[0] ?? 100);
const TRIES = Number(arg('--tries')[0] ?? 40);

interface Select {
  label: string;
  run(rows: TrainingRow[], queryBytes: number): unknown;
}

async function load(label: string, dir: string): Promise<Select> {
  const m = (await import(pathToFileURL(resolve(dir, 'models', 'select.ts')).href)) as {
    selectModel: (rows: TrainingRow[], opts: object) => unknown;
    launchSpecs?: () => { constrained: boolean }[];
  };
  // Trees before models/family.ts passed the advisor's family (the constrained launch specs); since, it is the default.
  const specs = m.launchSpecs?.().filter((s) => s.constrained);
  return { label, run: (rows, queryBytes) => m.selectModel(rows, specs ? { queryBytes, specs } : { queryBytes }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const selects = [await load('this tree', '.'), ...(await Promise.all(arg('--baseline').map((d) => load(d, d))))];
const histories = Array.from({ length: TRIES }, (_, i) => simulatedHistory(RUNS, i + 1));
const times = new Map<string, number[]>(selects.map((s) => [s.label, []]));
// CPU time too: on a loaded machine the wall time mostly measures the other processes.
const cpu = new Map<string, number[]>(selects.map((s) => [s.label, []]));
// One warm-up each: the first call pays for compiling the code, which a fresh spot-submit also pays.
for (const s of selects) s.run(histories[0]!, histories[0]![0]!.inputBytes);
for (const h of histories) {
  const queryBytes = median(h.map((r) => r.inputBytes));
  for (const s of selects) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    s.run(h, queryBytes);
    const c = process.cpuUsage(c0);
    times.get(s.label)!.push(performance.now() - t0);
    cpu.get(s.label)!.push((c.user + c.system) / 1000);
  }
}
console.log(`selectModel on ${RUNS} runs, duration family, ${TRIES} histories: wall ms median / max, CPU ms median`);
for (const s of selects) {
  const t = times.get(s.label)!;
  const c = cpu.get(s.label)!;
  console.log(
    `  ${s.label.padEnd(24)} ${median(t).toFixed(1).padStart(7)} / ${Math.max(...t)
      .toFixed(1)
      .padStart(6)}   ${median(c).toFixed(1).padStart(6)}`,
  );
}
