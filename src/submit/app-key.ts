// Seam to the documents' job-key function, so launch-time and crawl-time keys agree. Until it exists this
// mirrors its contract: a configured pattern wins; otherwise dates and ids are normalised away.

export function appKey(appName: string, pattern?: string): string {
  if (pattern) {
    const m = new RegExp(pattern).exec(appName);
    const key = m?.groups?.key ?? m?.[1];
    if (key) return key;
  }
  return appName
    .replace(/\b(application|app|local)[-_]\d+(?:[-_]\d+)*\b/g, '<id>')
    .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b|\b\d{2}-\d{2}-\d{4}\b/g, '<date>')
    .trim();
}
