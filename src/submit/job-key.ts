import { basename } from 'node:path';
import { confValues, optionValue, type SubmitArgs } from './args.js';
import { classify } from '../documents/classify.js';
import { jobKey } from '../documents/record.js';
import { sparkMaster } from './master.js';

// Which recurring job a launch belongs to. It must give the same key the crawl gives the finished app, or
// the advisor learns from nothing: so we reconstruct the app name Spark (or Enceladus) will use and run it
// through the same key function the documents use.

export interface JobIdentity {
  /** The job key the advisor and the store use. */
  key: string;
  /** The app name the finished run is expected to carry. */
  appName: string;
}

const ENCELADUS_JOBS: [RegExp, string][] = [
  [/standardi[sz]ation_?conformance|standardizationandconformance/i, 'Enceladus Standardization&Conformance'],
  [/conformance/i, 'Enceladus Conformance'],
  [/standardi[sz]ation/i, 'Enceladus Standardization'],
];

/** The value of an application argument `--flag value` or `--flag=value`. */
function appArgValue(appArgs: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < appArgs.length; i++) {
    const a = appArgs[i]!;
    if (a === flag) return appArgs[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

/**
 * Enceladus names its apps "<job> <version> <dataset> <datasetVersion> <reportDate> <reportVersion>"; at launch
 * we know all but the version from the application arguments, and the version usually from the jar's name.
 */
export function enceladusAppName(args: SubmitArgs): string | undefined {
  const dataset = appArgValue(args.appArgs, '--dataset-name');
  const datasetVersion = appArgValue(args.appArgs, '--dataset-version');
  if (dataset === undefined || datasetVersion === undefined) return undefined;
  const cls = optionValue(args, '--class') ?? '';
  const job = ENCELADUS_JOBS.find(([re]) => re.test(cls))?.[1] ?? 'Enceladus Standardization';
  const version = /(\d+\.\d+\.\d+(?:-SNAPSHOT)?)/.exec(basename(args.primaryResource ?? ''))?.[1] ?? 'unknown';
  const reportDate = appArgValue(args.appArgs, '--report-date') ?? 'unknown';
  const reportVersion = appArgValue(args.appArgs, '--report-version') ?? '1';
  return [job, version, dataset, datasetVersion, reportDate, reportVersion].join(' ');
}

/**
 * The app name Spark will give the run, in SparkSubmitArguments' order: --name, spark.app.name, on YARN the
 * SPARK_YARN_APP_NAME variable, the main class, or the primary resource's file name.
 */
export function sparkAppName(args: SubmitArgs, props: Map<string, string>, env: NodeJS.ProcessEnv = {}): string {
  return (
    optionValue(args, '--name') ??
    confValues(args).get('spark.app.name') ??
    props.get('spark.app.name') ??
    yarnAppName(args, props, env) ??
    optionValue(args, '--class') ??
    basename(args.primaryResource ?? 'unknown')
  );
}

/** Spark reads SPARK_YARN_APP_NAME only when the master starts with "yarn" (SPARK-5222). */
function yarnAppName(args: SubmitArgs, props: Map<string, string>, env: NodeJS.ProcessEnv): string | undefined {
  const master = sparkMaster(args, props).url ?? env.MASTER?.trim();
  return master?.startsWith('yarn') ? env.SPARK_YARN_APP_NAME || undefined : undefined;
}

export function jobIdentity(
  args: SubmitArgs,
  props: Map<string, string>,
  pattern?: string,
  env: NodeJS.ProcessEnv = {},
): JobIdentity {
  const appName = enceladusAppName(args) ?? sparkAppName(args, props, env);
  // The documents' key function, fed as the crawl feeds it (the name and its classification).
  return { key: jobKey(appName, classify(appName).classification, pattern), appName };
}
