import { z } from 'zod';
import { DEFAULT_REDACTION_PATTERNS } from './redaction-defaults.js';

// One schema is the single source of truth for every config key: its type, its default, and (through
// envName) its SPOT_* environment variable. Objects are strict so that a misspelt key is an error.

const positiveInt = z.number().int().positive();
/** A server's address: http or https with its scheme written out (host:port alone parses as a scheme). */
const httpUrl = z
  .string()
  .url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL, e.g. http://host:port' })
  // Spot appends its own paths (/api/v1/..., /ws/v1/..., index names): a query or fragment would end up in the
  // middle of every request, and a token in one would be printed with every "cannot reach" message.
  .refine((url) => !/[?#]/.test(url), {
    message: 'must be the server address alone, without ?query or #fragment (credentials go in their own keys)',
  });
/**
 * A server whose REST API Spot adds to the address (`apiPath`): an API request's own URL pasted from a browser or
 * curl (`http://shs:18080/api/v1/applications`) would get the API added after it, and each request would be a 404.
 * `resources` are the API's top-level resources; a path that only passes through the API path (a gateway's) is fine.
 */
function serverUrl(apiPath: string, resources: RegExp) {
  return httpUrl.superRefine((url, ctx) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return; // httpUrl has said so
    }
    const at = u.pathname.lastIndexOf(`${apiPath}/`);
    if (at < 0 || !resources.test(u.pathname.slice(at + apiPath.length + 1))) return;
    u.username = ''; // never echoed
    u.password = '';
    u.pathname = u.pathname.slice(0, at + apiPath.length);
    ctx.addIssue({
      code: 'custom',
      message: `is an API request's URL, not the server's address: end it at ${apiPath.slice(1)}, as in ${u.toString()}`,
    });
  });
}
const nonNegativeInt = z.number().int().nonnegative();
/**
 * Node's timers hold at most 2^31 - 1 ms (about 24.8 days) and fire at once past it: a longer time limit or pause
 * would make a tight loop, so the keys that set one stop there.
 */
const TIMER_MAX_MS = 2 ** 31 - 1;
const timerMs = positiveInt.max(TIMER_MAX_MS);
const pauseSeconds = nonNegativeInt.max(Math.floor(TIMER_MAX_MS / 1000));
/** A span of time looked back over: a century is more than any history, and dates past it are not dates. */
const MAX_SPAN_HOURS = 100 * 366 * 24;

/** How Spot proves who it is to a History Server or a ResourceManager (src/history/auth.ts). */
const httpAuthFields = {
  /** Basic auth (also taken from user:password@ in the URL). */
  username: z.string().optional(),
  password: z.string().optional(),
  bearerToken: z.string().optional(),
  /** Extra request headers, `Name: value` each (an API gateway's key, a proxy's user header). */
  headers: z.array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/, "expected 'Name: value'")).default([]),
  /** TLS client certificate and key (PEM files). */
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
  /** SPNEGO with the Kerberos ticket of the current user (kinit); needs the optional package `kerberos`. */
  kerberos: z.boolean().default(false),
};

const historyServerSchema = z
  .object({
    /** Base URL of the REST API, e.g. http://shs:18080/api/v1 (a URL without /api/v1 gets it added). */
    url: serverUrl('/api/v1', /^(applications|version)(\/|$)/).optional(),
    /** Per-request time limit. */
    timeoutMs: timerMs.default(30_000),
    /** Retries per request on 5xx, timeouts, resets and garbled JSON. */
    retries: nonNegativeInt.default(5),
    /** First retry delay; doubles each time, with jitter. */
    retryBaseMs: nonNegativeInt.max(TIMER_MAX_MS).default(500),
    /** Extra CA bundle (PEM file) for https History Servers. */
    caFile: z.string().optional(),
    ...httpAuthFields,
    /** Largest single answer taken from the History Server, in MiB (listings are streamed, not held). */
    maxResponseMB: positiveInt.default(256),
  })
  .strict();

/** Apps fetched at once: past this a crawl holds more sockets and memory than any History Server is worth. */
const MAX_CONCURRENCY = 64;

const crawlerSchema = z
  .object({
    /** Apps fetched at once (8: measured by bench/crawl.ts, see the README's crawl section). */
    concurrency: positiveInt.max(MAX_CONCURRENCY).default(8),
    /** How far back each crawl looks for finished apps. */
    lookbackHours: z.number().positive().max(MAX_SPAN_HOURS).default(168),
    /** Apps that ended more recently than this are left for the next crawl (YARN retries can still come). */
    completionTimeoutSeconds: nonNegativeInt.max(MAX_SPAN_HOURS * 3600).default(1800),
    /** First listing window size; windows then adapt (see README). */
    timeStepSeconds: positiveInt.max(MAX_SPAN_HOURS * 3600).default(3600),
    /** A listing with more apps than this is split in two. */
    maxAppsPerListing: positiveInt.default(1000),
    /** Pause between crawls without --once. */
    sleepSeconds: pauseSeconds.default(60),
    /** A failing app is retried on later crawls at most this many times. */
    maxAppRetries: nonNegativeInt.default(3),
    /**
     * Ask for each stage's task-time summary (Spark 3.4+'s `withSummaries`): the server reads every task of every
     * stage to answer it, once per stage; off spares a loaded server that work, and the what-if its stragglers.
     */
    taskSummaries: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.completionTimeoutSeconds < c.lookbackHours * 3600, {
    path: ['completionTimeoutSeconds'],
    message:
      'must be less than crawler.lookbackHours in seconds: a crawl looks back that far and leaves the apps that ended in the last completionTimeoutSeconds, so it would crawl nothing',
  });

const storeSchema = z
  .object({
    /** `opensearch` is `elasticsearch` that also checks the server is OpenSearch (both use elasticsearch.*). */
    type: z.enum(['sqlite', 'elasticsearch', 'opensearch']).default('sqlite'),
    /** SQLite file; default $SPOT_HOME/spot.db. */
    path: z.string().optional(),
  })
  .strict();

/** Whether the store is a cluster (Elasticsearch, or OpenSearch checked as such): YARN data has its own indexes. */
export function isClusterStore(store: { type: 'sqlite' | 'elasticsearch' | 'opensearch' }): boolean {
  return store.type !== 'sqlite';
}

/**
 * Part of an Elasticsearch or OpenSearch index name. Both servers refuse these characters in one (and ':' since
 * Elasticsearch 7); a name is lowercased, so case is free. Checked here, so that a bad name is one config error
 * and not a server's refusal at the first write.
 */
const INDEX_NAME_PART = /^[^\\/*?"<>| ,#:]+$/;
const indexNamePart = z
  .string()
  .regex(INDEX_NAME_PART, 'must be part of an index name: not empty, none of \\ / * ? " < > | , # : or spaces');
/** An index name's limit on both servers, and the longest middle part Spot puts between prefix and cluster. */
const MAX_INDEX_NAME_BYTES = 255;
const LONGEST_INDEX_KIND = '_yarn_scheduler_';
/** The prefix starts the index name, which may not start with - _ or +. */
export const indexPrefixSchema = indexNamePart.regex(/^[^-_+]/, 'must not start with - _ or + (it starts index names)');

export const elasticsearchSchema = z
  .object({
    url: httpUrl.optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    apiKey: z.string().optional(),
    /** Token sent as `Authorization: Bearer` (OAuth2/OIDC or an Elasticsearch service token). */
    bearerToken: z.string().optional(),
    /** Sign requests with AWS Signature V4 for this region (Amazon OpenSearch Service). */
    awsRegion: z.string().optional(),
    /** `es` for OpenSearch Service domains, `aoss` for OpenSearch Serverless. */
    awsService: z.enum(['es', 'aoss']).default('es'),
    /** Indexes are <prefix>_raw_<cluster>, <prefix>_agg_<cluster>, <prefix>_err_<cluster>, ... */
    indexPrefix: indexPrefixSchema.default('spot'),
    /** Cluster name in the index names (the original: spot_agg_<cluster>_<id>). */
    cluster: indexNamePart.default('default'),
    /** Verify TLS certificates (the original turned this off; we do not). */
    tlsVerify: z.boolean().default(true),
    caFile: z.string().optional(),
    /** TLS client certificate and its key (PEM files), for clusters that authenticate by certificate. */
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
    timeoutMs: timerMs.default(30_000),
    /** Retries of a read, check or write the cluster was too busy for (429, 502-504) or whose connection failed. */
    retries: nonNegativeInt.max(10).default(3),
    /** First retry delay; doubles each time. */
    retryBaseMs: nonNegativeInt.max(TIMER_MAX_MS).default(500),
  })
  .strict()
  .refine((c) => Buffer.byteLength(`${c.indexPrefix}${LONGEST_INDEX_KIND}${c.cluster}`) <= MAX_INDEX_NAME_BYTES, {
    path: ['cluster'],
    message: `is too long: with elasticsearch.indexPrefix it makes index names over the ${MAX_INDEX_NAME_BYTES} bytes Elasticsearch and OpenSearch allow`,
  });

/** An IANA time zone name (Europe/Prague, UTC), refused at load time when the runtime does not know it. */
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'not a time zone name (an IANA name such as Europe/Prague, or UTC)');

const menasSchema = z
  .object({
    /** e.g. https://menas:8080/menas/api; Enceladus enrichment is off when unset. */
    url: httpUrl.optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    /** Zone for Menas timestamps written without one. */
    defaultTimezone: timeZone.default('UTC'),
    timeoutMs: timerMs.default(30_000),
  })
  .strict();

const clusterLimitsSchema = z
  .object({
    minExecutors: positiveInt.default(1),
    maxExecutors: positiveInt.default(100),
    executorCores: z.array(positiveInt).min(1).default([1, 2, 4, 5, 8]),
    /** Largest executor heap Spot may choose, in bytes. */
    maxExecutorMemoryBytes: positiveInt.default(32 * 1024 ** 3),
    /** Price of one core-hour, to show cost in money (optional). */
    coreHourPrice: z.number().nonnegative().optional(),
  })
  .strict()
  // Limits that leave no executor count to choose would keep every baseline without a word.
  .superRefine((c, ctx) => {
    if (c.minExecutors > c.maxExecutors) {
      ctx.addIssue({
        code: 'custom',
        path: ['minExecutors'],
        message: `must be at most advisor.cluster.maxExecutors (${c.maxExecutors}), got ${c.minExecutors}`,
      });
    }
  });

/** A regular expression as a string, refused at load time when it does not compile. */
const regexString = z.string().refine((s) => {
  try {
    new RegExp(s, 'i');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const advisorSchema = z
  .object({
    mode: z.enum(['shadow', 'fill', 'override']).default('fill'),
    objective: z.enum(['cost', 'duration', 'deadline']).default('cost'),
    /** With objective cost: predicted duration must stay within this factor of the baseline's. */
    maxSlowdown: z.number().min(1).default(1.1),
    /** With objective deadline: the run must finish within this many seconds. */
    deadlineSeconds: positiveInt.optional(),
    /** Spark conf keys Spot must never change. */
    pinned: z.array(z.string()).default([]),
    /** Largest change per run, as a factor (x2 / ÷2 by default). */
    maxStepFactor: z.number().min(1).default(2),
    /** Regular expression with one capture group, or named group `key`, that extracts the job key from an app name. */
    appKeyPattern: regexString.optional(),
    /** Fewer runs than this of one job key: fall back to rules. */
    minRuns: positiveInt.default(3),
    /** Target bytes per shuffle partition for the partition rule. */
    targetPartitionBytes: positiveInt.default(128 * 1024 ** 2),
    cluster: clusterLimitsSchema.default(() => clusterLimitsSchema.parse({})),
  })
  .strict()
  .refine((c) => c.objective !== 'deadline' || c.deadlineSeconds !== undefined, {
    message: 'objective deadline needs the deadline: set advisor.deadlineSeconds',
    path: ['deadlineSeconds'],
  });

const submitSchema = z
  .object({
    /** The real spark-submit; default $SPARK_HOME/bin/spark-submit, else spark-submit on PATH. */
    sparkSubmit: z.string().optional(),
    /** Total time budget for everything Spot does before the launch. */
    adviceTimeoutMs: timerMs.default(3000),
    /** Command that prints the input size in bytes as its first number; {path} is replaced, no shell. */
    inputProbe: z.string().optional(),
    inputProbeTimeoutMs: timerMs.default(2000),
    /** After the job, wait for the History Server to list the app and crawl it at once. */
    crawlAfter: z.boolean().default(false),
    crawlAfterTimeoutMs: timerMs.default(60_000),
    /** After the job, the time allowed for storing its outcome (plus crawlAfterTimeoutMs with crawlAfter). */
    feedbackTimeoutMs: timerMs.default(1000),
  })
  .strict();

const yarnSchema = z
  .object({
    /** ResourceManager web address, e.g. http://rm:8088 (/ws/v1 is added when missing); flag --yarn. */
    url: serverUrl('/ws/v1', /^cluster(\/|$)/).optional(),
    /** Pause between polls without --once. */
    sleepSeconds: pauseSeconds.default(60),
    /** Credentials for the ResourceManager, as for the History Server (SPNEGO is the norm on kerberized YARN). */
    ...httpAuthFields,
  })
  .strict();

const monitorSchema = z
  .object({
    /** `spot status` fails when a source has stored nothing new for longer than this. */
    staleHours: z.number().positive().max(MAX_SPAN_HOURS).default(6),
    /** `spot status` fails when a source has more error documents than this in the last 24 hours. */
    maxErrors: nonNegativeInt.default(10),
  })
  .strict();

/**
 * Thresholds of one finding: the values at which it is low, moderate, severe, critical. They run one way, as the
 * defaults do (up for most findings, down where lower is worse): out of order, a grade could never be reached.
 */
const grades = (low: number, moderate: number, severe: number, critical: number) => {
  const rising = critical > low;
  return z
    .array(z.number())
    .length(4)
    .refine((g) => g.every((v, i) => i === 0 || (rising ? v > g[i - 1]! : v < g[i - 1]!)), {
      message: `must ${rising ? 'rise' : 'fall'} from low to critical, as the defaults do: ${low}, ${moderate}, ${severe}, ${critical}`,
    })
    .default([low, moderate, severe, critical]);
};

/** Findings (src/findings): each finding's thresholds, in its own unit (see README, "Findings"). */
const findingsSchema = z
  .object({
    /** Share of allocated core time that ran tasks (lower is worse). */
    overAllocation: grades(0.6, 0.4, 0.25, 0.1),
    /** Share of executors that completed no task. */
    idleExecutors: grades(0.1, 0.25, 0.5, 0.75),
    /** GC time over task run time. */
    gcShare: grades(0.1, 0.2, 0.3, 0.5),
    /** Slowest over median task of the worst stage. */
    taskSkew: grades(2, 4, 8, 16),
    /** Busiest executor's task time over the typical executor's. */
    executorImbalance: grades(1.5, 2, 3, 5),
    /** MiB read per task in a stage of 100+ tasks (lower is worse). */
    smallPartitions: grades(32, 8, 1, 0.125),
    /** MiB read per task in the stage that reads most. */
    largePartitions: grades(512, 1024, 2048, 4096),
    /** MiB written per task in a stage writing 50+ files (lower is worse). */
    smallOutputFiles: grades(32, 8, 1, 0.125),
    /** Bytes spilled over bytes read. */
    spill: grades(0.1, 0.5, 1, 2),
    /** Share of tasks that failed. */
    failedTasks: grades(0.01, 0.05, 0.1, 0.25),
    /** Stages whose latest attempt failed. */
    failedStages: grades(1, 2, 4, 8),
  })
  .strict();

const redactionSchema = z
  .object({
    /** Property names holding secrets (case-insensitive regular expressions); their values are never stored. */
    patterns: z.array(regexString).default(() => [...DEFAULT_REDACTION_PATTERNS]),
  })
  .strict();

export const configSchema = z
  .object({
    historyServer: historyServerSchema.default(() => historyServerSchema.parse({})),
    crawler: crawlerSchema.default(() => crawlerSchema.parse({})),
    store: storeSchema.default(() => storeSchema.parse({})),
    elasticsearch: elasticsearchSchema.default(() => elasticsearchSchema.parse({})),
    menas: menasSchema.default(() => menasSchema.parse({})),
    advisor: advisorSchema.default(() => advisorSchema.parse({})),
    submit: submitSchema.default(() => submitSchema.parse({})),
    yarn: yarnSchema.default(() => yarnSchema.parse({})),
    monitor: monitorSchema.default(() => monitorSchema.parse({})),
    findings: findingsSchema.default(() => findingsSchema.parse({})),
    redaction: redactionSchema.default(() => redactionSchema.parse({})),
  })
  .strict();

export type SpotConfig = z.infer<typeof configSchema>;
