import type { CliContext } from './context.js';

// Placeholder until the runs command lands.
export async function runRuns(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot runs: not implemented yet\n');
  return 1;
}
