import { JOBS, type JobShape } from './cluster.js';
import { HELD_OUT_JOBS } from './held-out-jobs.js';
import { randomJobs } from './random-jobs.js';
import { SCHEDULES, type ScheduleName } from './schedules.js';
import { variantsNamed, type ClusterVariant } from './variants.js';

// bench/loop.ts's command line (its header lists the flags): which jobs, on which clusters, with which seeds and
// launch options. Kept apart from the loop so that a flag's reading is tested without running a loop.

export interface LoopArgs {
  /** The job shapes --shapes names (JOBS itself when it names none), then those a job name substring picks. */
  shaped: JobShape[];
  jobs: JobShape[];
  variants: ClusterVariant[];
  /** One entry per --seed; `undefined` alone: the default draws. */
  seeds: (string | undefined)[];
  /** --schedule: the input schedule on every cluster in place of the cluster's own. */
  schedule?: ScheduleName;
  verbose: boolean;
  noInputSize: boolean;
  unsetPartitions: boolean;
  dynamicAllocation: boolean;
  candidatesOf: Set<number>;
}

const SHAPES: Record<string, JobShape[]> = { four: JOBS, 'held-out': HELD_OUT_JOBS, all: [...JOBS, ...HELD_OUT_JOBS] };

/** Reads the loop's arguments (after the script's path); throws on a value it does not know, naming those it does. */
export function parseLoopArgs(argv: string[]): LoopArgs {
  const optionValue = (name: string): { value?: string; at: number } => {
    const at = argv.indexOf(name);
    if (at >= 0) return { value: argv[at + 1] ?? '', at: at + 1 };
    return { value: argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1), at: -1 };
  };
  const cluster = optionValue('--cluster');
  const seed = optionValue('--seed');
  const shapes = optionValue('--shapes');
  const candidates = optionValue('--candidates');
  const scheduleOpt = optionValue('--schedule');
  const randomCount = /^random(?::(\d+))?$/.exec(shapes.value ?? '');
  const shaped = randomCount ? randomJobs(Number(randomCount[1] ?? 20)) : SHAPES[shapes.value ?? 'four'];
  if (!shaped) throw new Error(`unknown --shapes ${shapes.value}; one of: ${Object.keys(SHAPES).join(', ')}, random:N`);
  const schedule = scheduleOpt.value as ScheduleName | undefined;
  if (schedule !== undefined && !Object.hasOwn(SCHEDULES, schedule))
    throw new Error(`unknown --schedule ${schedule}; one of: ${Object.keys(SCHEDULES).join(', ')}`);
  const valueAt = [cluster.at, seed.at, shapes.at, candidates.at, scheduleOpt.at];
  const wanted = argv.filter((a, i) => !a.startsWith('--') && !valueAt.includes(i));
  return {
    shaped,
    jobs: shaped.filter((j) => wanted.length === 0 || wanted.some((w) => j.name.includes(w))),
    variants: variantsNamed((cluster.value ?? 'default').split(',').filter(Boolean)),
    seeds: seed.value ? seed.value.split(',').filter(Boolean) : [undefined],
    ...(schedule ? { schedule } : {}),
    verbose: argv.includes('--verbose'),
    noInputSize: argv.includes('--no-input-size'),
    unsetPartitions: argv.includes('--unset-partitions'),
    dynamicAllocation: argv.includes('--dynamic-allocation'),
    candidatesOf: new Set((candidates.value ?? '').split(',').filter(Boolean).map(Number)),
  };
}
