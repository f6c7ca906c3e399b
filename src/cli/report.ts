import type { CliContext } from './context.js';

// Placeholder until the report command lands.
export async function runReport(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot report: not implemented yet\n');
  return 1;
}
