import type { Command } from 'commander';
import { nearest } from '../common/nearest.js';
import { printable } from '../format.js';
import type { Output } from './context.js';

// Commander words a usage error over several lines (`error: ...`, a "Did you mean" line, then a hint); Spot's errors
// are one line under its own prefix (README), and the hint names the help of the command that was mistyped.

/** Makes every command under `program` print its usage errors as one `spot:` line. Call once all are declared. */
export function oneLineUsageErrors(program: Command, err: Output): void {
  const commands = [program];
  for (const command of commands) {
    if (command.commands.length > 0) helpCommand(command);
    commands.push(...command.commands);
    command.configureOutput({
      outputError: (message) => err.write(printableLines(`${usageLine(command, message)}\n`)),
    });
  }
}

/**
 * `help [command...]` in place of commander's, which prints the whole help for a name it does not know (`spot help
 * bogus`) and a group's for a command inside it (`spot help store compact`): here a command is found as it is typed
 * after the program, and an unknown one is the same usage error as `spot bogus`.
 */
function helpCommand(parent: Command): void {
  parent.helpCommand(false);
  parent
    .command('help')
    .description('display help for command')
    .argument('[command...]', 'a command, or a group and a command in it: store copy')
    .action((names: string[]) => {
      let target: Command = parent;
      for (const name of names) {
        const found = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!found) {
          const near = nearest(
            name,
            target.commands.map((c) => c.name()),
          );
          // Worded as commander words `spot bogus`, so that usageLine gives both the same line.
          target.error(`error: unknown command '${name}'${near ? `\n(Did you mean ${near}?)` : ''}`, {
            code: 'commander.unknownCommand',
          });
        }
        target = found;
      }
      target.help();
    });
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

/** Each line of `text` without terminal control sequences: a usage error repeats what was typed (got '...'). */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
