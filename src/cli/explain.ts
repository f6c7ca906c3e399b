import type { CliContext } from './context.js';

// Placeholder until the explain command lands.
export async function runExplain(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot explain: not implemented yet\n');
  return 1;
}
