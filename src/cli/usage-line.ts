import type { Command } from 'commander';
import type { Output } from './context.js';

// Commander words a usage error over several lines (`error: ...`, a "Did you mean" line, then a hint); Spot's errors
// are one line under its own prefix (README), and the hint names the help of the command that was mistyped.

/** Makes every command under `program` print its usage errors as one `spot:` line. Call once all are declared. */
export function oneLineUsageErrors(program: Command, err: Output): void {
  const commands = [program];
  for (const command of commands) {
    commands.push(...command.commands);
    command.configureOutput({ outputError: (message) => err.write(`${usageLine(command, message)}\n`) });
  }
}

function usageLine(command: Command, message: string): string {
  const text = message
    .trim()
    .replace(/^error: /, '')
    // A flag's own check names the flag and the value given ("--limit must be ..., got '0'"): commander's preamble
    // ("option '--limit <n>' argument '0' is invalid.") would say it twice.
    .replace(/^option '[^']*' argument '.*' is invalid\. (?=-)/s, '')
    .replace(/\s*\n\s*/g, ' ')
    // "... but got 2." ends a sentence the hint would follow: "got 2. (run ...)" reads as two.
    .replace(/\.$/, '');
  return `spot: ${text} ${helpHint(command)}`;
}

/** How every usage error ends, commander's and Spot's own (main.ts): "(run 'spot store copy --help' for usage)". */
export function helpHint(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return `(run '${names.join(' ')} --help' for usage)`;
}
