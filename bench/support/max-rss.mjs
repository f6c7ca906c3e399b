// Preloaded into a measured child (node --import): prints the process's peak RSS and its CPU time (user and
// system) as its last stderr lines, so the figures are the whole run's, not samples taken while it ran. CPU
// time also says how much work a run did when other processes share the cores and wall time stretches.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nmax-rss-kb ${u.maxRSS}\ncpu-ms ${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
});
