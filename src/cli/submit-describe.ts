import { formatBytes, printable } from '../format.js';
import { adviceWords, reasonText } from '../advisor/reason-text.js';
import type { Advice } from '../types.js';
import { modelError } from './explain-text.js';

// What spot-submit says about its advice: one line on a real launch (stderr), a short block on a dry run.

const SHORT: Record<string, string> = {
  'spark.executor.instances': 'executors',
  'spark.executor.cores': 'executor cores',
  'spark.executor.memory': 'executor memory',
  'spark.sql.shuffle.partitions': 'shuffle partitions',
  'spark.dynamicAllocation.enabled': 'dynamic allocation',
  'spark.dynamicAllocation.maxExecutors': 'max executors',
};

function injectedText(advice: Advice): string {
  const entries = Object.entries(advice.injected);
  if (entries.length === 0) return advice.mode === 'shadow' ? 'shadow mode, nothing changed' : 'nothing changed';
  return entries.map(([k, v]) => `${SHORT[k] ?? k}=${v}`).join(', ');
}

/**
 * Notes a launch's one line carries besides the decision: that fill mode held settings the launch sets, without
 * which "kept the baseline" reads as though no setting would save anything.
 */
const LINE_NOTES = new Set(['fill-kept']);

export function adviceLine(advice: Advice): string {
  const [first, ...rest] = advice.reasons ?? [];
  const because = [first, ...rest.filter((r) => LINE_NOTES.has(r.code))]
    .flatMap((r) => (r ? [`${reasonText(r)}; `] : []))
    .join('');
  return `spot-submit: advice ${advice.id} (${advice.mode}): ${injectedText(advice)}; ${because}why: spot explain --advice ${advice.id}\n`;
}

function sizeText(bytes: number | undefined): string {
  return bytes === undefined ? 'unknown' : formatBytes(bytes);
}

export function describeAdvice(advice: Advice): string {
  const why = adviceWords(advice);
  const lines = [
    `advice ${advice.id} for ${printable(advice.app)} (mode ${advice.mode})`,
    `  input: ${sizeText(advice.inputBytes)}${advice.inputSource ? ` (from ${advice.inputSource})` : ''}`,
    `  decided by: ${why.decidedBy}`,
  ];
  if (advice.model) lines.push(`  model: ${advice.model.name}, ${modelError(advice)}`);
  lines.push(`  set: ${injectedText(advice)}`);
  if (advice.pinned.length > 0) lines.push(`  pinned: ${advice.pinned.join(', ')}`);
  for (const n of why.notes) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** Quotes a word for a POSIX shell only when it needs it, so the printed command can be pasted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
