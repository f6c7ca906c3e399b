import type { JsonObject } from '../types.js';
import type { TaskTable } from './replay/tasks.js';

// Placeholder replaced below.
export function taskStats(tasks: TaskTable): JsonObject {
  return { tasks: tasks.length };
}
