import { formatBytes, formatDuration } from '../format.js';
import { esc } from './escape.js';
import type { JobSection } from './job-sections.js';

// The job sections of the page: per job, its recent runs and their findings. Every store string is escaped.

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export function jobSectionsHtml(sections: JobSection[]): string {
  if (!sections.length) return '';
  const parts = sections.map((s) => {
    const rows = s.runsShown
      .map((r) => {
        const findings = r.findings.length
          ? `<ul class="findings">${r.findings.map((f) => `<li><span class="level-${esc(f.level)}">${esc(f.level)}</span> ${esc(f.text)}</li>`).join('')}</ul>`
          : '—';
        return `<tr><td>${esc(when(r.endMs))}</td><td class="n">${esc(formatDuration(Math.max(0, r.durationMs)))}</td><td class="n">${r.inputBytes > 0 ? esc(formatBytes(r.inputBytes)) : '—'}</td><td class="n">${r.executors ?? '—'}</td><td>${r.succeeded ? (r.durationMs > 0 ? 'ok' : 'untimed') : 'failed'}</td><td>${findings}</td></tr>`;
      })
      .join('');
    const more =
      s.runs > s.runsShown.length ? `<p class="note">${s.runs - s.runsShown.length} older runs not listed.</p>` : '';
    return `<section class="job"><h3>${esc(s.app)}</h3><table><tr><th>ended (UTC)</th><th>duration</th><th>input</th><th>executors</th><th>result</th><th>findings</th></tr>${rows}</table>${more}</section>`;
  });
  return `\n<h2 id="jobs">Jobs: recent runs and findings</h2><p class="reading">The costliest jobs, each with its most recent runs and what is wrong with them (thresholds under findings in the config).</p>${parts.join('\n')}`;
}
