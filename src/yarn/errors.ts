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

/** An error of the shared client, in the ResourceManager's words. */
export function yarnErrorMessage(error: unknown, baseUrl: string): string {
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
