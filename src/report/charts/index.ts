import { adviceOutcomes } from './advice-outcomes.js';
import { allocation } from './allocation.js';
import { coreHoursPerDay } from './core-hours-per-day.js';
import { crawlErrors } from './crawl-errors.js';
import { durationVsInput } from './duration-vs-input.js';
import { efficiency } from './efficiency.js';
import { idleExecutors } from './idle-executors.js';
import { shufflePartitions } from './shuffle-partitions.js';
import { sparkVsYarn } from './spark-vs-yarn.js';
import { configUsage } from './config-usage.js';
import { coresByUser } from './cores-by-user.js';
import { driverVsParallel } from './driver-vs-parallel.js';
import { durationHistogram } from './duration-histogram.js';
import { inputHistogram } from './input-histogram.js';
import { speedupHistogram } from './speedup-histogram.js';
import type { ChartDef } from './types.js';
import { yarnQueueUsage, yarnUserUsage } from './yarn-usage.js';

export type { ChartDef } from './types.js';

/** The report's charts, in page order. */
export const CHARTS: ChartDef[] = [
  durationVsInput,
  coreHoursPerDay,
  efficiency,
  idleExecutors,
  allocation,
  shufflePartitions,
  adviceOutcomes,
  crawlErrors,
  durationHistogram,
  inputHistogram,
  configUsage,
  speedupHistogram,
  driverVsParallel,
  coresByUser,
];

/** Drawn after CHARTS when the store holds YARN applications (spot crawl --yarn). */
export const YARN_CHARTS: ChartDef[] = [yarnQueueUsage, yarnUserUsage, sparkVsYarn];
