import { findingsOf, type Thresholds } from '../findings/index.js';
import { findingPhrase } from '../findings/words.js';
import type { AggDoc } from '../types.js';
import type { JobRow, RunRow } from './rows.js';

// A section per job: its recent runs with their findings, so a job's history and what is wrong with it read
// together. Findings are graded here (the report is presentation) with the config's thresholds.

/** Jobs given a section, and runs listed in each. */
const JOB_SECTIONS = 10;
const RUNS_PER_SECTION = 10;

interface SectionRun {
  endMs: number;
  durationMs: number;
  inputBytes: number;
  executors?: number;
  succeeded: boolean;
  /** Findings in words, worst first, with their level. */
  findings: { level: string; text: string }[];
}

export interface JobSection {
  app: string;
  runs: number;
  runsShown: SectionRun[];
}

/** Ids of the runs the sections list: the recent runs of the costliest jobs. */
export function sectionRunIds(jobs: JobRow[], runs: RunRow[]): string[] {
  return jobs.slice(0, JOB_SECTIONS).flatMap((job) =>
    runs
      .filter((r) => r.app === job.app && r.id !== undefined)
      .sort((a, b) => b.endMs - a.endMs)
      .slice(0, RUNS_PER_SECTION)
      .map((r) => r.id!),
  );
}

export function jobSections(jobs: JobRow[], runs: RunRow[], docs: AggDoc[], thresholds: Thresholds): JobSection[] {
  const byId = new Map(docs.map((d) => [d.docId, d]));
  return jobs.slice(0, JOB_SECTIONS).map((job) => {
    const mine = runs.filter((r) => r.app === job.app).sort((a, b) => b.endMs - a.endMs);
    return {
      app: job.app,
      runs: mine.length,
      runsShown: mine.slice(0, RUNS_PER_SECTION).map((r) => {
        const doc = r.id === undefined ? undefined : byId.get(r.id);
        const findings = doc
          ? findingsOf(doc, thresholds).findings.map((f) => ({ level: f.level, text: findingPhrase(f) }))
          : [];
        return {
          endMs: r.endMs,
          durationMs: r.durationMs,
          inputBytes: r.inputBytes,
          executors: r.executors,
          succeeded: r.succeeded,
          findings,
        };
      }),
    };
  });
}
