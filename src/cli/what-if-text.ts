import { formatDuration, formatPercent, plural } from '../format.js';
import type { WhatIf } from '../eventlog/what-if.js';
import type { AggDoc, JsonObject } from '../types.js';

// The task-level what-if of an event-log run (attempt.x_tasks.what_if) in words, for `spot explain APP_ID`.

export function whatIfText(doc: AggDoc): string {
  const tasks = doc.attempt.x_tasks as JsonObject | undefined;
  const w = tasks?.what_if as unknown as WhatIf | undefined;
  if (!w || typeof w.slots !== 'number') return '';
  const lines = [
    `Task-level what-if (its real tasks list-scheduled over the task slots, stage after stage):`,
    `  at the observed ${plural(w.slots, 'slot')}: ${formatDuration(w.list_ms)} against the actual ${formatDuration(w.observed_ms)} ` +
      `(error ${formatPercent(w.list_error)}; the stage-average wave estimate: ${formatDuration(w.wave_ms)}, error ${formatPercent(w.wave_error)})`,
    ...w.at.map(
      (a) =>
        `  at ${plural(a.slots, 'slot')}: ${formatDuration(a.list_ms)} (wave estimate ${formatDuration(a.wave_ms)})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
