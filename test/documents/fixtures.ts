import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHS_FIXTURES } from '../support/paths.js';
import type { AppAttempt, JsonObject } from '../../src/types.js';

// Real Spark History Server responses (Apache Spark's own test expectations) and event logs.

export function expectation<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(join(SHS_FIXTURES, 'expectations', file), 'utf8')) as T;
}

/** Spark properties of an event log's SparkListenerEnvironmentUpdate, as [[k, v]] pairs like the REST API. */
export function eventLogSparkProperties(app: string): [string, string][] {
  const lines = readFileSync(join(SHS_FIXTURES, 'spark-events', app), 'utf8').split('\n');
  for (const line of lines) {
    if (!line.includes('SparkListenerEnvironmentUpdate')) continue;
    const e = JSON.parse(line) as { 'Spark Properties': Record<string, string> };
    return Object.entries(e['Spark Properties']).sort(([a], [b]) => a.localeCompare(b));
  }
  throw new Error(`no environment in ${app}`);
}

/**
 * application_1553914137147_0018 ("LargeBlocks", YARN, 3 executors): its executor list from the REST API,
 * its attempt times from the event log (ApplicationStart 1554755984286, ApplicationEnd 1554756046454,
 * so duration 62168 ms), its Spark properties from the event log; stages from local-1422981780767.
 */
export function largeBlocksAttempt(extraProperties: [string, string][] = []): AppAttempt {
  return {
    app: { id: 'application_1553914137147_0018', name: 'LargeBlocks' },
    attempt: {
      startTime: '2019-04-08T20:39:44.286GMT',
      endTime: '2019-04-08T20:40:46.454GMT',
      lastUpdated: '',
      duration: 62168,
      sparkUser: 'systest',
      completed: true,
      appSparkVersion: '3.0.0-SNAPSHOT',
      startTimeEpoch: 1554755984286,
      endTimeEpoch: 1554756046454,
      lastUpdatedEpoch: 0,
    },
    executors: expectation<Record<string, unknown>[]>('executor_list_with_executor_metrics_json_expectation.json'),
    stages: expectation<Record<string, unknown>[]>('stage_list_json_expectation.json'),
    environment: {
      runtime: { javaVersion: '1.8.0_144', javaHome: '/usr/java/jdk1.8.0_144/jre', scalaVersion: 'version 2.11.12' },
      sparkProperties: [...eventLogSparkProperties('application_1553914137147_0018'), ...extraProperties],
      systemProperties: [['java.home', '/usr/java']],
      classpathEntries: [['/opt/x.jar', 'System Classpath']],
    },
    missing: [],
  };
}

/** local-1422981780767 exactly as the History Server serves it (driver only, 4 stages, one FAILED). */
export function sparkShellAttempt(): AppAttempt {
  const app = expectation<{ id: string; name: string; attempts: AppAttempt['attempt'][] }>(
    'one_app_json_expectation.json',
  );
  return {
    app: { id: app.id, name: app.name },
    attempt: app.attempts[0]!,
    executors: expectation('executor_list_json_expectation.json'),
    stages: expectation('stage_list_json_expectation.json'),
    environment: expectation('app_environment_expectation.json'),
    missing: [],
  };
}

/** Every number in a JSON tree, with its path, that JSON cannot hold (NaN, ±Infinity), plus undefined. */
export function nonJsonValues(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}=${value}`];
  if (value === undefined) return [`${path}=undefined`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonJsonValues(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as JsonObject).flatMap(([k, v]) => nonJsonValues(v, `${path}.${k}`));
  }
  return [];
}
