import type { CliContext } from './context.js';

// Placeholder until the crawl command lands.
export async function runCrawl(_opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  ctx.err.write('spot crawl: not implemented yet\n');
  return 1;
}
