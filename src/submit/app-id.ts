// Reading the application id from spark-submit's output. YARN announces it when submitting; standalone
// when the driver connects; Kubernetes when the driver pod is deployed; local mode only where the id is
// printed (the UI binding, a conf dump, logs).

const PATTERNS: RegExp[] = [
  /Submitted application (application_\d+_\d+)/,
  /Application report for (application_\d+_\d+)/,
  /Connected to Spark cluster with app ID (app-\d+-\d+)/,
  /\b(application_\d{10,}_\d+)\b/,
  /\b(app-\d{14}-\d{4,})\b/,
  /\b(local-\d{10,})\b/,
  // Kubernetes: "spark-" and a UUID without dashes, in "Deployed Spark application ... with application ID ..."
  /\b(spark-[0-9a-f]{32})\b/,
];

/** The application id a line of spark-submit output names, if any. */
export function applicationIdIn(line: string): string | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** Feeds output chunks, reports the first application id seen. Lines may arrive split across chunks. */
export class ApplicationIdScanner {
  id?: string;
  private partial = '';

  push(chunk: Buffer | string): void {
    if (this.id !== undefined) return;
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = (lines.pop() ?? '').slice(-4096); // a line without end is kept, but not without bound
    for (const line of lines) {
      this.id = applicationIdIn(line);
      if (this.id !== undefined) return;
    }
  }

  end(): string | undefined {
    if (this.id === undefined && this.partial) this.id = applicationIdIn(this.partial);
    return this.id;
  }
}
