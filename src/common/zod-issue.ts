import type { z } from 'zod';
import { REDACTED, SPARK_REDACTION } from './redact.js';
import { maskUrlCredentials } from './url-credentials.js';
import { nearest } from './nearest.js';
import { printable } from '../format.js';

// A validation problem in the words of Spot's messages: what the value must be and what it was ("must be a whole
// number, got 2.5"), instead of zod's defaults ("Invalid input: expected int, received number"). Config keys,
// `spot import` lines and History Server answers are all checked by zod and reported through this one wording.

type Issue = z.core.$ZodIssue;

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** The value at `path` inside `root`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Keys whose values are never shown: Spark's secret names, API keys, and headers (a gateway's key rides in one). */
const SECRET_KEY = (k: PropertyKey) =>
  typeof k === 'string' && (SPARK_REDACTION.test(k) || /api[._-]?key|headers?$/i.test(k));

export interface ShowOptions {
  /** 'kinds': say only what kind of value it was ("got text"), for values that may hold anything (a server's). */
  values?: 'shown' | 'kinds';
  /**
   * 'typed': a value typed as text, after a flag or in a SPOT_* variable, quoted as the CLI quotes what was typed
   * (got '0', numbers too), in single quotes and made printable. Else a value as JSON, as a config file or a document
   * holds it (got "8", text, apart from got 8, a number): there the quotes tell the user which of the two they wrote.
   */
  quotes?: 'typed';
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  return typeof v === 'string' ? 'text' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/**
 * A value as a message shows it: text quoted (credentials in URLs cut out), numbers and booleans as written, lists
 * and mappings by kind; only its kind under a secret key or when `opts` asks for kinds.
 */
function shown(v: unknown, path: readonly PropertyKey[], opts: ShowOptions): string {
  if (opts.values === 'kinds' || path.some(SECRET_KEY)) return kindOf(v);
  if (typeof v === 'string') {
    const text = maskUrlCredentials(v, REDACTED);
    const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    return opts.quotes === 'typed' ? `'${printable(cut)}'` : JSON.stringify(cut);
  }
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) return kindOf(v);
  // Whatever follows a flag or fills a variable was typed as text: quoted as such (got '100'), as main.ts's checks
  // quote it.
  return opts.quotes === 'typed' ? `'${String(v)}'` : String(v);
}

const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

function tooSmall(i: z.core.$ZodIssueTooSmall, got: string): string {
  const n = Number(i.minimum);
  if (i.origin === 'string') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters`;
  if (i.origin === 'array' || i.origin === 'set') {
    return i.exact ? `must have exactly ${items(n)}${got}` : `must have at least ${items(n)}${got}`;
  }
  return i.inclusive ? `must be ${n} or more${got}` : `must be above ${n}${got}`;
}

function tooBig(i: z.core.$ZodIssueTooBig, got: string): string {
  const n = Number(i.maximum);
  if (i.origin === 'string') return `must be at most ${n} characters`;
  if (i.origin === 'array' || i.origin === 'set') {
    return i.exact ? `must have exactly ${items(n)}${got}` : `must have at most ${items(n)}${got}`;
  }
  return i.inclusive ? `must be ${n} or less${got}` : `must be below ${n}${got}`;
}

/**
 * One problem in words, without where it is (callers name the key, field or document). `root` is the value that
 * was checked, so that the message can show what the problem's path held; a missing required value "is required".
 */
export function issueText(issue: Issue, root: unknown, opts: ShowOptions = {}): string {
  const value = valueAt(root, issue.path);
  const show = (v: unknown) => shown(v, issue.path, opts);
  const got = value === undefined ? '' : `, got ${show(value)}`;
  // A list too short or too long is told by its length.
  const gotSize = Array.isArray(value) ? `, got ${value.length}` : got;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined && issue.path.length > 0) return 'is required';
      return `must be ${KINDS[issue.expected] ?? issue.expected}, got ${show(value)}`;
    case 'too_small':
      return tooSmall(issue, gotSize);
    case 'too_big':
      return tooBig(issue, gotSize);
    case 'invalid_union': {
      // A value of none of the accepted kinds ("16g" or 17179869184): name the kinds.
      const kinds = issue.errors.flatMap((branch) =>
        branch.flatMap((b) =>
          b.code === 'invalid_type' && b.path.length === 0 ? [KINDS[b.expected] ?? b.expected] : [],
        ),
      );
      if (kinds.length && value === undefined && issue.path.length > 0) return 'is required';
      return kinds.length ? `must be ${[...new Set(kinds)].join(' or ')}, got ${show(value)}` : issue.message;
    }
    case 'invalid_value': {
      const known = issue.values.filter((v): v is string => typeof v === 'string');
      const near = typeof value === 'string' ? nearest(value, known) : undefined;
      const quoted = (v: unknown) => shown(v, [], { quotes: opts.quotes });
      const mean = near === undefined ? '' : ` (did you mean ${quoted(near)}?)`;
      return `must be one of ${issue.values.map(quoted).join(', ')}${got}${mean}`;
    }
    case 'invalid_format':
      // Spot's formats carry their own words ("expected an http:// or https:// URL"); the value follows them.
      return `${issue.message}${got}`;
    default:
      return issue.message;
  }
}

/** "field: problem", with the field's dotted path (nothing before the problem when it is the whole value). */
export function issueAt(issue: Issue, root: unknown, opts: ShowOptions = {}): string {
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return `${at}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issueText(issue, root, opts)}`;
}

/**
 * The first problem at each path: after a value of the wrong kind, zod may still run that value's length checks
 * ("1,2" as a list of 4 is both not a list and too short), and only the first says what is wrong.
 */
export function firstPerPath(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify(i.path.map(String));
    if (seen.has(key) && i.code !== 'unrecognized_keys') return false;
    seen.add(key);
    return true;
  });
}
