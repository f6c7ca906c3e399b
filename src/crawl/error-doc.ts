import { randomUUID } from 'node:crypto';
import { wellFormed } from '../common/json.js';
import { maskUrlCredentials } from '../common/url-credentials.js';
import type { ErrorDoc, ErrorStage } from '../types.js';

// A failure becomes a stored record rather than a stopped crawl. Field names follow the original's err index
// (spot.spark_app_id, spot.history_host, spot.error.{type, message, stage}).

/**
 * History Server failures under the names the original's `requests` raised for them, since saved alerts and
 * searches filter on `spot.error.type` (its error alert leaves out HTTPError); the message keeps the detail.
 */
const ORIGINAL_TYPES: Record<string, string> = {
  HistoryHttpError: 'HTTPError',
  HistoryNotFoundError: 'HTTPError',
  HistoryTimeoutError: 'Timeout',
  HistoryUnreachableError: 'ConnectionError',
  HistoryTlsError: 'SSLError',
  HistoryBadResponseError: 'JSONDecodeError',
};

/** The error's class name, as the original stored `type(e).__name__`. */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const ctor = (error as { constructor?: { name?: string } }).constructor?.name;
    const name = ctor && ctor !== 'Error' ? ctor : error.name || 'Error';
    return ORIGINAL_TYPES[name] ?? name;
  }
  return typeof error;
}

export function errorMessage(error: unknown): string {
  // Messages quote URLs; any credentials in them stay out of the store and the terminal.
  const message = wellFormed(maskUrlCredentials(error instanceof Error ? error.message : String(error), '***'));
  // Some servers answer with a whole HTML page; the record needs the gist, not the page.
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}

export function errorDoc(args: {
  appId: string;
  historyHost: string;
  stage: ErrorStage;
  error: unknown;
  now: Date;
  appEndTime?: Date;
}): ErrorDoc {
  const doc: ErrorDoc = {
    // Unique per failure event: each failed try is counted towards crawler.maxAppRetries.
    docId: `${args.appId}-${args.stage}-${args.now.getTime()}-${randomUUID().slice(0, 8)}`,
    spot: {
      time_processed: args.now.toISOString(),
      spark_app_id: args.appId,
      history_host: args.historyHost,
      error: { type: errorType(args.error), message: errorMessage(args.error), stage: args.stage },
    },
  };
  if (args.appEndTime) doc.spot.app_end_time = args.appEndTime.toISOString();
  return doc;
}
