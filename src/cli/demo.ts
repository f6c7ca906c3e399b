import type { CliContext } from './context.js';

// Placeholder until the demo command lands.
export async function runDemo(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot demo: not implemented yet\n');
  return 1;
}
