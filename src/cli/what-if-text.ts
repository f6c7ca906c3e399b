import { formatDurationCompact, plural } from '../format.js';
import type { WhatIf } from '../eventlog/what-if.js';
import type { AggDoc, JsonObject } from '../types.js';

// The task-level what-if of an event-log run (attempt.x_tasks.what_if) in words, for `spot explain APP_ID`.

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function whatIfText(doc: AggDoc): string {
  const tasks = doc.attempt.x_tasks as JsonObject | undefined;
  const w = tasks?.what_if as unknown as WhatIf | undefined;
  if (!w || typeof w.slots !== 'number') return '';
  const lines = [
    `Task-level what-if (its real tasks list-scheduled over the task slots, stage after stage):`,
    `  at the observed ${plural(w.slots, 'slot')}: ${formatDurationCompact(w.list_ms)} against the actual ${formatDurationCompact(w.observed_ms)} ` +
      `(error ${pct(w.list_error)}; the stage-average wave estimate: ${formatDurationCompact(w.wave_ms)}, error ${pct(w.wave_error)})`,
    ...w.at.map(
      (a) =>
        `  at ${plural(a.slots, 'slot')}: ${formatDurationCompact(a.list_ms)} (wave estimate ${formatDurationCompact(a.wave_ms)})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
