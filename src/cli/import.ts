import type { CliContext } from './context.js';

// Placeholder until the import command lands.
export async function runImport(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot import: not implemented yet\n');
  return 1;
}
