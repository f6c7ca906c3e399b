// Preloaded into a measured child (node --import): prints the process's peak RSS as its last stderr line,
// so the figure is the whole run's peak, not a sample taken while it ran.
process.on('exit', () => process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\n`));
