import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/report/html.js';

// The report's table of jobs by allocated core-hours: each job's share of them.

describe('report jobs table', () => {
  test('a job with a sliver of the core-hours reads "<0.1%", not "0.0%" (none), and the rest not "100.0%"', () => {
    const html = renderHtml({
      generatedAt: new Date(0),
      summary: {
        runsInStore: 2,
        apps: 2,
        runsRead: 2,
        attemptsRead: 2,
        errorsRead: 0,
        adviceRead: 0,
        coreHours: 5000.01,
        limit: 5000,
      },
      jobs: [
        { app: 'nightly', runs: 1, coreHours: 5000, failed: 0 },
        { app: 'tiny', runs: 1, coreHours: 0.01, failed: 0 },
      ],
      charts: [],
    });
    const row = (app: string) => new RegExp(`<tr><td>${app}</td>.*?</tr>`).exec(html)?.[0] ?? '';
    assert.match(row('tiny'), /<td class="n">&lt;0\.1%<\/td><\/tr>$/);
    assert.match(row('nightly'), />&gt;99\.9%<\/td><\/tr>$/);
  });
});
