import { z } from 'zod';
import type { ShsApplication } from '../types.js';
import { issueAt } from '../common/zod-issue.js';
import { parseShsDate } from './dates.js';

// What the crawl needs from each History Server answer, checked before anything is built from it. One app's
// odd answer then becomes an error document for that app alone, never a crash of the whole crawl. Only the
// fields the crawl reads are checked; everything else passes through as sent.

const attemptSchema = z
  .looseObject({
    attemptId: z.string().optional(),
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    endTimeEpoch: z.number().optional(),
    completed: z.boolean().optional(),
  })
  // Its end is what the run is filed under: without one it could not be stored, and the failure would blame the store.
  .superRefine((a, c) => {
    if (a.completed === true && !(typeof a.endTimeEpoch === 'number' && a.endTimeEpoch > 0) && !parseShsDate(a.endTime))
      c.addIssue({ code: 'custom', path: ['endTime'], message: 'a completed attempt needs its end time' });
  });

export const applicationSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  attempts: z.array(attemptSchema),
});

/** `allexecutors`, `executors` and `stages`: arrays of objects. */
export const objectArraySchema = z.array(z.record(z.string(), z.unknown()));

/** `environment`: an object whose property sections, when present, are lists of [key, value] pairs. */
export const environmentSchema = z.looseObject({
  sparkProperties: z.array(z.tuple([z.string(), z.unknown()]).rest(z.unknown())).optional(),
});

/** One line for a message: the first problem of the answer `body` and where it is. */
export function describeProblem(error: z.ZodError, body: unknown): string {
  const issue = error.issues[0];
  // Only the kinds of values: an answer may carry anything, a Spark property's secret among it.
  return issue ? issueAt(issue, body, { values: 'kinds' }) : 'unexpected shape';
}

export type ListingEntry =
  | { ok: true; app: ShsApplication }
  /** Not usable; `id` when the entry names its app, so the failure can be filed under it. */
  | { ok: false; id?: string; name?: string; problem: string };

export function checkListingEntry(entry: unknown): ListingEntry {
  const parsed = applicationSchema.safeParse(entry);
  if (parsed.success) return { ok: true, app: parsed.data as ShsApplication };
  const o = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
  const id = typeof o.id === 'string' && o.id.length > 0 ? o.id : undefined;
  return {
    ok: false,
    id,
    name: typeof o.name === 'string' ? o.name : undefined,
    problem: describeProblem(parsed.error, entry),
  };
}
