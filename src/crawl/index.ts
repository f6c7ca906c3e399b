// The crawl pipeline: History Server -> documents -> store.
export { crawlOnce } from './crawl-once.js';
export { crawlApp, type CrawlAppResult } from './crawl-app.js';
export { crawlWindow } from './window.js';
export type { AppOutcome, CrawlDeps, CrawlError, CrawlEvent, CrawlSummary } from './types.js';
