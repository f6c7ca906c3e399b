// Which failures are worth another try, and how long to wait before it.

import { certificateFailure, tlsFailureText } from '../common/tls-failure.js';

/** Full jitter (AWS architecture blog): a uniform wait in [0, base * 2^n], capped, so crawlers do not retry in step. */
export function backoffMs(retry: number, baseMs: number, capMs = 30_000, rand: () => number = Math.random): number {
  return Math.floor(rand() * Math.min(capMs, baseMs * 2 ** retry));
}

export type FailureKind = 'refused' | 'connection' | 'timeout' | 'certificate' | 'tls';

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNABORTED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Classifies a thrown transport error; undefined means it is not a transport failure (a bug: rethrow). */
export function transportFailure(
  err: unknown,
): { kind: FailureKind; reason: string; certificate?: { code: string; message: string } } | undefined {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  // The caller words it (certificateText), naming the CA key of its own section.
  const certificate = certificateFailure(err);
  if (certificate) return { kind: 'certificate', reason: certificate.message, certificate };
  const tls = tlsFailureText(err);
  if (tls) return { kind: 'tls', reason: tls };
  if (e.name === 'TimeoutError' || (e.code && TIMEOUT_CODES.has(e.code)))
    return { kind: 'timeout', reason: 'timed out' };
  if (e.code === 'ECONNREFUSED') return { kind: 'refused', reason: 'connection refused (ECONNREFUSED)' };
  if (e.code && CONNECTION_CODES.has(e.code))
    return { kind: 'connection', reason: `${e.message ?? e.code} (${e.code})` };
  // fetch-style wrappers and AggregateError (IPv4 + IPv6 attempts) keep the real error in cause/errors.
  const inner = (e as { errors?: unknown[] }).errors?.[0] ?? e.cause;
  return inner && inner !== err ? transportFailure(inner) : undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
