// Preloaded into a measured child (node --import): prints the process's peak RSS and its CPU time (user and
// system) as its last stderr lines, so the figures are the whole run's, not samples taken while it ran. CPU
// time also says how much work a run did when other processes share the cores and wall time stretches.
// Peak RSS is Linux's VmHWM, the high-water mark of this program's own memory: getrusage's maxrss survives
// exec, so a child spawned by a bench that holds 300 MB would report the bench's 300 MB as its own.
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

function peakRssKb() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage's figure, which is right when the parent is smaller than the child
  }
  return process.resourceUsage().maxRSS;
}

// Worker threads inherit this preload; only the main thread's exit is the process's.
if (isMainThread)
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stderr.write(`\nmax-rss-kb ${peakRssKb()}\ncpu-ms ${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
  });
