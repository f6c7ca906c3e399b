import { seededRandom } from '../simulator/random.js';
import type { JobSettings } from './job-model.js';

// The demo's story: one daily ETL job, launched by a script with fixed settings, whose input varies from
// day to day (weekday peaks, quiet weekends, slow growth).

const GIB = 1024 ** 3;

export const JOB_NAME = 'demo daily sales etl';
const JOB_CLASS = 'com.example.DailySalesEtl';

/** The launch script's fixed settings: sized once for the biggest day, never revisited. */
export const FIXED_ARGS = ['--num-executors', '40', '--executor-cores', '4', '--executor-memory', '16g'];
export const FIXED: JobSettings = {
  executors: 40,
  executorCores: 4,
  executorMemoryBytes: 16 * GIB,
  shufflePartitions: 200,
};

/** What Spark uses for what the command line leaves unset. */
export const SPARK_DEFAULTS: JobSettings = {
  executors: 2,
  executorCores: 1,
  executorMemoryBytes: GIB,
  shufflePartitions: 200,
};

export interface Day {
  date: string;
  inputPath: string;
  inputBytes: number;
}

export function days(count: number, end: Date = new Date()): Day[] {
  const rand = seededRandom('spot-demo');
  const out: Day[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() - count + i));
    const date = d.toISOString().slice(0, 10);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const base = (weekend ? 12 : 45) * (1 + i / 60);
    const gib = Math.max(4, base * (0.55 + rand() * 1.3));
    out.push({ date, inputPath: `hdfs:///data/sales/${date}`, inputBytes: Math.round(gib * GIB) });
  }
  return out;
}

export function launchArgs(day: Day): string[] {
  return [
    '--master',
    'yarn',
    '--deploy-mode',
    'cluster',
    '--name',
    JOB_NAME,
    '--class',
    JOB_CLASS,
    ...FIXED_ARGS,
    'sales-etl-1.4.2.jar',
    '--date',
    day.date,
    '--input',
    day.inputPath,
  ];
}

/** YARN-style id, unique per day. */
export function demoAppId(date: string): string {
  const days = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return `application_1700000000000_${String(days % 100000).padStart(4, '0')}`;
}

export function appArg(appArgs: readonly string[], flag: string): string | undefined {
  const i = appArgs.indexOf(flag);
  return i >= 0 ? appArgs[i + 1] : undefined;
}

/** The keys of `o` that have a value (for spreading over defaults). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
