import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * $SPOT_HOME, else ~/.spot: where the embedded database lives. A leaf, so the launch path can ask without the schema.
 */
export function spotHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SPOT_HOME && env.SPOT_HOME.length > 0 ? env.SPOT_HOME : join(homedir(), '.spot');
}
