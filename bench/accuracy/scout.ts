import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingRow } from '../../models/types.js';
import { extrapolateInCores, leaveOneOut, toOtherSizes, type Case, type Cell } from './cells.js';

// Real Spark runs from the Scout dataset (bench/data/scout/README.md): each history is one workload on one VM
// type at many cluster sizes. The dataset does not record Spark's settings; as its paper describes, one
// executor per node uses all of the node's vCPUs.

const GIB = 1024 ** 3;
const VMS: Record<string, { cores: number; memGiB: number }> = {
  'm4.large': { cores: 2, memGiB: 8 },
  'c4.xlarge': { cores: 4, memGiB: 7.5 },
  'c4.large': { cores: 2, memGiB: 3.75 },
  'r4.large': { cores: 2, memGiB: 15.25 },
  'm4.xlarge': { cores: 4, memGiB: 16 },
  'r4.xlarge': { cores: 4, memGiB: 30.5 },
};

interface Run extends TrainingRow {
  vm: string;
  workload: string;
  datasize: string;
}

function load(): Run[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'scout', 'runs.csv');
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (f: string[], name: string) => f[cols.indexOf(name)]!;
  return lines.flatMap((line) => {
    const f = line.split(',');
    const vm = VMS[at(f, 'vm')];
    if (!vm || at(f, 'completed') !== 'true') return [];
    const nodes = Number(at(f, 'nodes'));
    // spark-perf jobs report no input size; their two inputs are told apart by label only.
    const bytes = Number(at(f, 'input_bytes')) || 0;
    return [
      {
        id: `${nodes}_${at(f, 'vm')}_${at(f, 'workload')}_${at(f, 'datasize')}`,
        vm: at(f, 'vm'),
        workload: at(f, 'workload'),
        datasize: at(f, 'datasize'),
        inputBytes: bytes,
        executors: nodes,
        executorCores: vm.cores,
        executorMemoryBytes: vm.memGiB * GIB,
        durationMs: Number(at(f, 'elapsed_s')) * 1000,
      },
    ];
  });
}

function groupBy(runs: Run[], key: (r: Run) => string, minRuns: number): Run[][] {
  const m = new Map<string, Run[]>();
  for (const r of runs) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return [...m.values()].filter((h) => h.length >= minRuns);
}

export function scoutCells(): { cells: Cell[]; summary: string } {
  const runs = load();
  const bySize = groupBy(runs, (r) => `${r.vm} ${r.workload} ${r.datasize}`, 5);
  // Across input sizes: the workloads whose two inputs have known sizes, both sizes in one history.
  const bothSizes = groupBy(
    runs.filter((r) => r.inputBytes > 0),
    (r) => `${r.vm} ${r.workload}`,
    8,
  ).filter((h) => new Set(h.map((r) => r.datasize)).size === 2);
  // Each case names the VM type its runs ran on and their workload (bench/accuracy --by-cluster, --by-workload).
  const labelled = (cases: Case[]) =>
    cases.map((c) => {
      const { vm, workload } = c.history[0] as Run;
      return { ...c, cluster: vm, workload };
    });
  const cells: Cell[] = [
    { name: 'Scout: cluster size from 3 smallest', cases: labelled(extrapolateInCores(bySize, 3)) },
    { name: 'Scout: cluster size from 4 smallest', cases: labelled(extrapolateInCores(bySize, 4)) },
    { name: 'Scout: leave-one-out', cases: labelled(leaveOneOut(bySize)) },
    { name: 'Scout: across input sizes (leave-one-out)', cases: labelled(leaveOneOut(bothSizes)) },
    { name: 'Scout: to the other input size', cases: labelled(toOtherSizes(bothSizes)) },
  ];
  const summary = `Scout: ${runs.length} completed real runs; ${bySize.length} histories of one input size, ${bothSizes.length} with two`;
  return { cells, summary };
}
