import type { CliContext } from './context.js';

// Placeholder until the predict command lands.
export async function runPredict(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot predict: not implemented yet\n');
  return 1;
}
