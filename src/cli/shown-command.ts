import { REDACTED, type Redactor } from '../common/redact.js';
import { printable } from '../format.js';
import { shellQuote } from './submit-describe.js';

// A spark-submit command line as Spot prints it (a dry run's final command, `spot explain -- ...`): quoted so that
// it pastes back into a shell, without terminal control characters, and with secret values masked as the store
// masks them (redaction.patterns on conf keys and on option names, credentials inside URLs), since a terminal's
// output ends up in CI logs.

const CONF_FLAGS = new Set(['--conf', '-c']);
/** An option word such as `--password` or `-Dkey`; its value is the next word or follows `=`. */
const OPTION = /^-{1,2}[\w.-]+$/;

/** `key=value` with the value masked when the key or the value says it is a secret. */
function conf(pair: string, redactor: Redactor): string {
  const eq = pair.indexOf('=');
  return eq > 0 ? `${pair.slice(0, eq + 1)}${redactor.value(pair.slice(0, eq), pair.slice(eq + 1))}` : pair;
}

/** One word as shown: masked where it is a secret's value. */
function maskWord(word: string, prev: string | undefined, redactor: Redactor): string {
  if (prev !== undefined && CONF_FLAGS.has(prev)) return conf(word, redactor);
  if (word.startsWith('--conf=')) return `--conf=${conf(word.slice('--conf='.length), redactor)}`;
  if (prev !== undefined && OPTION.test(prev) && redactor.isSecretKey(prev.replace(/^-+/, ''))) return REDACTED;
  const eq = word.indexOf('=');
  if (eq > 0 && OPTION.test(word.slice(0, eq)) && redactor.isSecretKey(word.slice(0, eq).replace(/^-+/, ''))) {
    return `${word.slice(0, eq + 1)}${REDACTED}`;
  }
  return redactor.inner(word);
}

/** The command's words with secret values masked (for `--json` too), and whether any was. */
export function maskedCommand(words: readonly string[], redactor: Redactor): { words: string[]; masked: boolean } {
  const shown = words.map((word, i) => maskWord(word, words[i - 1], redactor));
  return { words: shown, masked: shown.some((m, i) => m !== words[i]) };
}

/** The command as one line to show, and whether any secret was masked in it (the caller then says so). */
export function shownCommand(words: readonly string[], redactor: Redactor): { text: string; masked: boolean } {
  const { words: shown, masked } = maskedCommand(words, redactor);
  return { text: shown.map((m) => shellQuote(printable(m))).join(' '), masked };
}
