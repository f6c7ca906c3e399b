import { seededRandom } from '../simulator/random.js';
import type { StageLayout } from '../simulator/stages.js';

// The demo's recurring ETL job: how long it runs on given settings. Not any of the advisor's model forms
// on purpose: task waves over executors × cores, a fixed driver part, executor start-up that grows with the
// executor count, a shuffle whose spill slows it once the data per executor outgrows its memory, and noise.

export interface JobSettings {
  executors: number;
  executorCores: number;
  executorMemoryBytes: number;
  shufflePartitions: number;
}

export interface JobRun {
  durationMs: number;
  /** Allocated core-hours: executors × cores × duration. */
  coreHours: number;
  shuffleBytes: number;
  /** Tasks of the input stage. */
  inputTasks: number;
  /** The run's stages as the model ran them, for the simulated History Server. */
  layout: StageLayout;
}

const MIB = 1024 ** 2;
const SPLIT_BYTES = 128 * MIB; // spark.sql.files.maxPartitionBytes
const SCAN_MS_PER_TASK = 4_000; // one 128 MiB split on one core
const SHUFFLE_BYTES_PER_MS = (20 * MIB) / 1000; // per core
const TASK_OVERHEAD_MS = 60;
const DRIVER_MS = 25_000;
const STARTUP_MS = 6_000;
const STARTUP_MS_PER_EXECUTOR = 250;

/** Deterministic for a given seed: the same launch "runs" the same way whoever computes it. */
export function runJob(inputBytes: number, s: JobSettings, seed: string): JobRun {
  const rand = seededRandom(seed);
  const noise = () => Math.exp(0.02 * gaussian(rand));
  const slots = Math.max(1, s.executors * s.executorCores);
  const inputTasks = Math.max(1, Math.ceil(inputBytes / SPLIT_BYTES));
  const scanMs = Math.ceil(inputTasks / slots) * (SCAN_MS_PER_TASK + TASK_OVERHEAD_MS);

  const shuffleBytes = Math.round(inputBytes * 0.35);
  const partitions = Math.max(1, s.shufflePartitions);
  const perPartitionMs = shuffleBytes / partitions / SHUFFLE_BYTES_PER_MS + TASK_OVERHEAD_MS;
  // Spill: what one executor holds of the shuffle against the part of its heap Spark gives to execution.
  const perExecutor = shuffleBytes / Math.max(1, s.executors);
  const usable = 0.6 * s.executorMemoryBytes;
  const spill = perExecutor > usable ? 1 + 0.7 * (perExecutor / usable - 1) : 1;
  const shuffleMs = Math.ceil(partitions / slots) * perPartitionMs * spill;

  const startupMs = STARTUP_MS + STARTUP_MS_PER_EXECUTOR * s.executors;
  const stagesNoise = noise();
  const runNoise = noise();
  const durationMs = Math.round((DRIVER_MS + startupMs + (scanMs + shuffleMs) * stagesNoise) * runNoise);
  // The stages' wall and task times carry the run's noise; the driver and start-up take the rest of its duration.
  const f = stagesNoise * runNoise;
  const stages = [
    { wallMs: scanMs * f, numTasks: inputTasks, taskMs: (SCAN_MS_PER_TASK + TASK_OVERHEAD_MS) * f, spillBytes: 0 },
    {
      wallMs: shuffleMs * f,
      numTasks: partitions,
      taskMs: perPartitionMs * spill * f,
      spillBytes: spill > 1 ? shuffleBytes * (1 - usable / perExecutor) : 0,
    },
  ];
  const layout = {
    leadMs: Math.max(0, durationMs - (scanMs + shuffleMs) * f),
    executorStaggerMs: STARTUP_MS_PER_EXECUTOR * runNoise,
    stages,
  };
  return { durationMs, coreHours: (slots * durationMs) / 3.6e6, shuffleBytes, inputTasks, layout };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
