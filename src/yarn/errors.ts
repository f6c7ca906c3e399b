import { randomUUID } from 'node:crypto';
import { errorMessage, errorType } from '../crawl/error-doc.js';
import {
  HistoryBadResponseError,
  HistoryHttpError,
  HistoryNotFoundError,
  HistorySetupError,
  HistoryTimeoutError,
  HistoryUnreachableError,
} from '../history/errors.js';
import type { YarnErrorDoc, YarnStage } from './types.js';

// The YARN crawler shares the History Server's HTTP client, whose errors name the History Server. Here they
// are reworded for the ResourceManager, so a reader is not sent to the wrong server. Their types are the
// original's (HTTPError, ConnectionError, ...), as its YARN crawler stored them, so its alerts keep working.

function yarnErrorType(error: unknown): string {
  return errorType(error);
}

/** scheme://host:port of a URL, without credentials or path; the text itself when it is no URL. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Hadoop's standby ResourceManager answers every REST call with this text (status 307, or 200 in older ones). */
const STANDBY = /standby RM\. The redirect url is: (\S+)/i;

/**
 * What to do about an answer the settings can fix, or undefined: a standby ResourceManager of an HA pair (its
 * redirect is not followed; the active one is named from Location or the standby's text) or a 401.
 */
export function yarnAdvice(error: unknown, baseUrl: string): string | undefined {
  const here = origin(baseUrl);
  const standby = (active: string | undefined) =>
    `${here} is a standby ResourceManager; the active one is ${active ? origin(active) : 'not named'}: ` +
    'point yarn.url there';
  if (error instanceof HistoryHttpError && error.status >= 300 && error.status < 400) {
    const active = error.location ?? STANDBY.exec(error.body)?.[1];
    if (active || STANDBY.test(error.body)) return standby(active);
    return `${here} redirects to ${error.location ? origin(error.location) : 'another address'} (HTTP ${error.status}, not followed): point yarn.url there`;
  }
  if (error instanceof HistoryBadResponseError && error.sample) {
    const m = STANDBY.exec(error.sample);
    if (m) return standby(m[1]);
  }
  if (error instanceof HistoryHttpError && error.status === 401) {
    return (
      `ResourceManager at ${here} answered 401 Unauthorized: set yarn.username and yarn.password (or ` +
      'user:password@ in yarn.url), or yarn.bearerToken / yarn.kerberos as the cluster wants'
    );
  }
  return undefined;
}

/** An error of the shared client, in the ResourceManager's words. */
export function yarnErrorMessage(error: unknown, baseUrl: string): string {
  const advice = yarnAdvice(error, baseUrl);
  if (advice) return advice;
  if (error instanceof HistoryTimeoutError)
    return `ResourceManager at ${baseUrl}: no complete answer within ${error.timeoutMs} ms for ${error.url}`;
  if (error instanceof HistorySetupError) return `cannot use the ResourceManager settings: ${error.reason}`;
  if (error instanceof HistoryUnreachableError)
    return `cannot reach the ResourceManager at ${baseUrl}: ${error.reason}`;
  if (error instanceof HistoryNotFoundError) return `ResourceManager answered 404 for ${error.url}`;
  if (error instanceof HistoryHttpError) return `ResourceManager answered HTTP ${error.status} for ${error.url}`;
  if (error instanceof HistoryBadResponseError)
    return `ResourceManager sent an unusable answer for ${error.url}: ${error.reason}`;
  return errorMessage(error);
}

export function yarnErrorDoc(args: {
  yarnHost: string;
  baseUrl: string;
  stage: YarnStage;
  error: unknown;
  now: Date;
}): YarnErrorDoc {
  return {
    docId: `yarn-${args.yarnHost}-${args.stage}-${args.now.getTime()}-${randomUUID().slice(0, 8)}`,
    spot: {
      time_processed: args.now.toISOString(),
      yarn_host: args.yarnHost,
      spark_app_id: 'n/a',
      error: {
        type: yarnErrorType(args.error),
        message: yarnErrorMessage(args.error, args.baseUrl),
        stage: args.stage,
      },
    },
  };
}
