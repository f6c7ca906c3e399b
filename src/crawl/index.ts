// The crawl pipeline: History Server -> documents -> store.
export { crawlOnce } from './crawl-once.js';
export { crawlApp } from './crawl-app.js';
export type { CrawlEvent, CrawlSummary } from './types.js';
