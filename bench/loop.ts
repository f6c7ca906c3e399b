// The closed loop: 24 launches per job through spot-submit's own path (advice, override injection, a run on a
// simulated cluster whose behaviour is written apart from the advisor's models, the finished app crawled back).
// Prints, over the last 12 launches of each job, Spot's core-hours, memory-hours and run time against the fixed
// settings, the best grid setting per input (cheapest within 1.10× the fixed run time) and two rules of thumb in the
// same run. Memory-hours count each executor's whole container (bench/loop/cluster.ts): a launch that cuts cores
// but raises spark.executor.memory saves less of the cluster than its core-hours alone say.
// With --cluster NAME[,NAME] (or all) the same on clusters the advisor was not tuned on (bench/loop/variants.ts),
// ending with one line per cluster and job against the limits: no failure, median slowdown ≤ 1.10×, worst ≤ 1.30×.
// --seed S draws other input schedules and noise (the default draws are the figures the README quotes); several
// seeds (--seed S1,S2,...) print only the per cluster and job lines of each; several lines end with one over all.
// --no-input-size launches without --spot-input-bytes (spot-submit in front of a job with nothing else changed).
// --unset-partitions launches without spark.sql.shuffle.partitions (the job's code sets its fixed count at run time).
// --shapes held-out runs five job shapes the advisor was never tuned on (bench/loop/held-out-jobs.ts) instead of
// the four, --shapes all both; --shapes random:N draws N job shapes and clusters nobody picked
// (bench/loop/random-jobs.ts; random alone: 20). --candidates N[,N] prints, under launch N, every candidate the
// advisor weighed (its predicted point and high end, core-hours, why it was rejected) and the advice's reasons.
// --schedule jump100|tiny|huge|grow launches on another input schedule, on every cluster in place of its own
// (bench/loop/schedules.ts): every other input 100× the one before, 0.5–10 MiB, 1–7.4× the job's largest input, or
// from the bottom of its range to the top. --dynamic-allocation launches with the fixed count as
// spark.dynamicAllocation.maxExecutors alone (no --num-executors); the cluster runs at the ceiling Spot leaves.
// Usage: node --import tsx bench/loop.ts [job name substring ...] [--cluster all|NAME[,NAME]] [--seed S[,S]]
//        [--shapes four|held-out|all|random:N] [--no-input-size] [--unset-partitions] [--verbose] [--candidates N[,N]]
//        [--schedule jump100|tiny|huge|grow] [--dynamic-allocation]
import {
  bestGrid,
  expected,
  JOBS,
  runOnCluster,
  type ClusterRun,
  type ClusterSettings,
  type JobShape,
} from './loop/cluster.js';
import { parseLoopArgs, type LoopArgs } from './loop/options.js';
import { schedule, SCHEDULES } from './loop/schedules.js';
import { settingsText } from './loop/command-line.js';
import { runLoop, type LoopLaunch } from './loop/launch.js';
import { intervalCoverage } from '../src/advisor/outcomes.js';

const LAUNCHES = 24;
const SCORED = 12;
const GIB = 1024 ** 3;
let args: LoopArgs;
try {
  args = parseLoopArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench/loop: ${(e as Error).message}`);
  process.exit(2);
}
const { shaped, jobs, variants, seeds, verbose, noInputSize, unsetPartitions, dynamicAllocation, candidatesOf } = args;
const summary: string[] = [];
// With several seeds only the per cluster and job lines are printed.
const out = seeds.length > 1 ? (..._: unknown[]) => {} : console.log;
const pairs: {
  coreHours: number;
  memoryHours: number;
  worst: number;
  ok: boolean;
  within: number;
  of: number;
  over: number;
}[] = [];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const x = (v: number) => `${v.toFixed(2)}×`;
// With --schedule the launches' inputs lie outside the job's range or run through it in order: the line says so.
const scheduled = (inputs: number[]) => {
  const gib = (b: number) => Number((b / GIB).toPrecision(2));
  return args.schedule
    ? `, on schedule ${args.schedule} ${gib(Math.min(...inputs))}–${gib(Math.max(...inputs))} GiB`
    : '';
};

interface Row {
  name: string;
  runs: { run: ClusterRun; fixed: ClusterRun }[];
  extra?: string;
}

function figures(r: Row) {
  const ok = r.runs.filter((p) => !p.run.failed);
  const ch = sum(r.runs.map((p) => p.run.coreHours)) / sum(r.runs.map((p) => p.fixed.coreHours));
  const mh = sum(r.runs.map((p) => p.run.memoryHours)) / sum(r.runs.map((p) => p.fixed.memoryHours));
  const time = sum(r.runs.map((p) => p.run.durationMs)) / sum(r.runs.map((p) => p.fixed.durationMs));
  const slow = ok.map((p) => p.run.durationMs / p.fixed.durationMs);
  return { ch, mh, time, slow, failures: r.runs.length - ok.length };
}

function line(r: Row): string {
  const { ch, mh, time, slow, failures } = figures(r);
  return `  ${r.name.padEnd(30)} core-h ${x(ch).padStart(6)}  memory-h ${x(mh).padStart(6)}  time ${x(time).padStart(6)}  slowdown median ${x(median(slow))} worst ${x(Math.max(...slow))}  failed ${failures}${r.extra ? `  ${r.extra}` : ''}`;
}

function rule(job: JobShape, inputs: number[], pick: (inputBytes: number) => Partial<ClusterSettings>) {
  return inputs.map((bytes, i) => {
    const seed = `${job.seed ?? job.name}/${i}`;
    return {
      run: runOnCluster(job, bytes, { ...job.fixed, ...pick(bytes) }, seed),
      fixed: runOnCluster(job, bytes, job.fixed, seed),
    };
  });
}

for (const drawn of seeds)
  for (const variant of variants) {
    if (variant.name !== 'default' || variants.length > 1) out(`\n=== cluster ${variant.name}: ${variant.about}`);
    for (const shape of jobs) {
      const job = { ...variant.apply(shape), ...(drawn ? { seed: `${drawn}/${shape.name}` } : {}) };
      const inputs = args.schedule ? SCHEDULES[args.schedule](job, LAUNCHES) : schedule(job, LAUNCHES, variant.jump);
      const started = performance.now();
      const launches: LoopLaunch[] = await runLoop(job, inputs, {
        noInputSize,
        unsetPartitions,
        dynamicAllocation,
        candidatesOf,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const last = launches.slice(-SCORED);
      const lastInputs = last.map((l) => l.inputBytes);
      const f = job.fixed;
      out(
        `\n${job.name}: fixed ${dynamicAllocation ? 'up to ' : ''}${f.executors} × ${f.executorCores}, ${(f.executorMemoryBytes / GIB).toFixed(0)}g, ${f.shufflePartitions} partitions; inputs ${job.minGiB}–${job.maxGiB} GiB${scheduled(inputs)}; ${LAUNCHES} launches in ${seconds} s`,
      );
      if (verbose || candidatesOf.size) {
        for (const l of launches) {
          const s = l.settings;
          const b = bestGrid(job, l.inputBytes);
          const bs = b.settings;
          out(
            `    #${String(l.n).padStart(2)} ${(l.inputBytes / GIB).toFixed(1).padStart(6)} GiB  ${' '.repeat(Math.max(0, 3 - String(s.executors).length))}${settingsText(s)}  ` +
              `time ${x(l.run.durationMs / l.fixed.durationMs)} core-h ${x(l.run.coreHours / l.fixed.coreHours)} memory-h ${x(l.run.memoryHours / l.fixed.memoryHours)}${l.run.failed ? ' FAILED' : ''}  best ${settingsText(bs)} ${x(b.run.coreHours / expected(job, l.inputBytes, job.fixed).coreHours)}  ${l.detail ?? ''} ${(l.run.durationMs / 1000).toFixed(0)} s  ${(l.decidedBy ?? (l.failOpen ? 'fail-open' : '')).slice(0, 110)}`,
          );
          for (const c of l.candidates ?? []) out(`          ${c}`);
        }
      }
      out(`  over the last ${SCORED} launches, each against the fixed settings on the same input and noise:`);
      const tagged = launches.filter((l) => l.tagged).length;
      const failOpen = launches.filter((l) => l.failOpen).length;
      const adviceMs = median(launches.map((l) => l.adviceMs));
      // Every launch with a prediction, its run against the interval the advice gave for the settings that ran.
      const held = intervalCoverage(
        launches.flatMap((l) => (l.interval && !l.run.failed ? [{ ...l.interval, actualMs: l.run.durationMs }] : [])),
      );
      out(
        line({
          name: 'Spot',
          runs: last,
          extra: `tagged ${tagged}/${LAUNCHES}, fail-open ${failOpen}, advice ${adviceMs.toFixed(0)} ms (median), ran within the 80% interval ${held.within}/${held.of} (over its high end ${held.over})`,
        }),
      );
      const best = lastInputs.map((bytes) => ({
        run: bestGrid(job, bytes).run,
        fixed: expected(job, bytes, job.fixed),
      }));
      out(line({ name: 'best grid setting per input', runs: best }));
      out(line({ name: 'rule: 20 executors', runs: rule(job, lastInputs, () => ({ executors: 20 })) }));
      out(
        line({
          name: 'rule: clamp(GB/2, 8, 40) exec.',
          runs: rule(job, lastInputs, (b) => ({ executors: Math.min(40, Math.max(8, Math.round(b / 2e9))) })),
        }),
      );
      const spotCh = sum(last.map((l) => l.run.coreHours));
      const bestCh = sum(best.map((b) => b.run.coreHours));
      const spotMh = sum(last.map((l) => l.run.memoryHours));
      const bestMh = sum(best.map((b) => b.run.memoryHours));
      out(
        `  Spot against the best grid setting: ${x(spotCh / bestCh)} its core-hours, ${x(spotMh / bestMh)} its memory-hours`,
      );
      const f1 = figures({ name: 'Spot', runs: last });
      const fb = figures({ name: 'best', runs: best });
      const worst = Math.max(...f1.slow);
      const worstAll = Math.max(...figures({ name: 'Spot', runs: launches }).slow);
      const ok = f1.failures === 0 && median(f1.slow) <= 1.1 && worst <= 1.3 && tagged === LAUNCHES;
      pairs.push({ coreHours: f1.ch, memoryHours: f1.mh, worst, ok, ...held });
      summary.push(
        `  ${seeds.length > 1 ? `${drawn} `.padEnd(6) : ''}${variant.name.padEnd(14)} ${job.name.padEnd(22)} core-h ${x(f1.ch)} (best ${x(fb.ch)})  memory-h ${x(f1.mh)} (best ${x(fb.mh)})  slowdown median ${x(median(f1.slow))} worst ${x(worst)} (all ${LAUNCHES}: ${x(worstAll)})  failed ${f1.failures}  in its interval ${held.within}/${held.of}  ${ok ? 'ok' : 'OVER A LIMIT'}`,
      );
    }
  }
if (
  variants.length > 1 ||
  variants[0]?.name !== 'default' ||
  seeds.length > 1 ||
  shaped !== JOBS ||
  args.schedule ||
  dynamicAllocation
) {
  console.log(
    '\nper cluster and job, over the last 12 launches (limits: no failure, median ≤ 1.10×, worst ≤ 1.30×, all tagged):',
  );
  for (const l of summary) console.log(l);
}
// One line over every pair, whenever there are several: a single seed on every cluster (or on random shapes) is
// judged by the same totals as several seeds are.
if (pairs.length > 1) {
  const over = pairs.filter((p) => !p.ok).length;
  const gmean = (of: (p: (typeof pairs)[number]) => number) =>
    Math.exp(sum(pairs.map((p) => Math.log(of(p)))) / pairs.length);
  const what = seeds.length > 1 ? 'seed × cluster × job pairs' : 'cluster × job pairs';
  console.log(
    `\nover ${pairs.length} ${what}: ${over} over a limit; core-hours against the fixed settings ${x(gmean((p) => p.coreHours))} (geometric mean); memory-hours ${x(gmean((p) => p.memoryHours))} (geometric mean); worst launch ${x(Math.max(...pairs.map((p) => p.worst)))}; ran within the 80% interval ${sum(pairs.map((p) => p.within))}/${sum(pairs.map((p) => p.of))}, over its high end ${sum(pairs.map((p) => p.over))}`,
  );
}
