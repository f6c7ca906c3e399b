// Reading the application id from spark-submit's output. YARN announces it when submitting; standalone
// when the driver connects; Kubernetes when the driver pod is deployed; local mode only where the id is
// printed (the UI binding, a conf dump, logs).

/** Lines spark-submit prints about the application it launched: they name it, whatever the job itself prints. */
const OWN: RegExp[] = [
  /Submitted application (application_\d+_\d+)/,
  /Application report for (application_\d+_\d+)/,
  /Connected to Spark cluster with app ID (app-\d+-\d+)/,
  // Kubernetes: "Deployed Spark application ... with application ID spark-<32 hex> and submission ID ..."
  /with application ID (spark-[0-9a-f]{32})\b/,
];

/** An id anywhere in a line: the only clue in local mode, but a job may print other applications' ids too. */
const ANY: RegExp[] = [
  /\b(application_\d{10,}_\d+)\b/,
  /\b(app-\d{14}-\d{4,})\b/,
  /\b(local-\d{10,})\b/,
  /\b(spark-[0-9a-f]{32})\b/,
];

function firstMatch(patterns: RegExp[], line: string): string | undefined {
  for (const re of patterns) {
    const m = re.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** The application id a line of spark-submit output names, if any. */
export function applicationIdIn(line: string): string | undefined {
  return firstMatch(OWN, line) ?? firstMatch(ANY, line);
}

/**
 * After an id named anywhere, how many more lines are read for one of spark-submit's own lines (YARN's "Submitted
 * application" comes within seconds of the start; a local run never prints one, and its output is not read to the end).
 */
const LINES_AFTER_ANY = 10_000;

/**
 * Feeds output chunks, reports the application id. Lines may arrive split across chunks. An id from one of
 * spark-submit's own lines wins over the first id named anywhere: a job that cleans or reports on other
 * applications prints their ids, and the launch must not be linked to one of them.
 */
export class ApplicationIdScanner {
  /** The first id of one of spark-submit's own lines (OWN). */
  own?: string;
  /** The first id named anywhere. */
  any?: string;
  private partial = '';
  private linesAfterAny = 0;

  get id(): string | undefined {
    return this.own ?? this.any;
  }

  push(chunk: Buffer | string): void {
    if (this.done()) return;
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = (lines.pop() ?? '').slice(-4096); // a line without end is kept, but not without bound
    for (const line of lines) {
      this.scan(line);
      if (this.done()) return;
    }
  }

  end(): string | undefined {
    if (!this.done() && this.partial) this.scan(this.partial);
    this.partial = '';
    return this.id;
  }

  private done(): boolean {
    return this.own !== undefined || this.linesAfterAny > LINES_AFTER_ANY;
  }

  private scan(line: string): void {
    this.own = firstMatch(OWN, line);
    if (this.own !== undefined) return;
    if (this.any === undefined) this.any = firstMatch(ANY, line);
    else this.linesAfterAny++;
  }
}

/** The launch's application id from its stdout's and stderr's scanners: spark-submit's own lines first. */
export function launchedApplicationId(out: ApplicationIdScanner, err: ApplicationIdScanner): string | undefined {
  out.end();
  err.end();
  return out.own ?? err.own ?? out.any ?? err.any;
}
