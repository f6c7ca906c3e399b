import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, type CliContext } from './context.js';

// `spot demo [--launches N] [--keep]`: the whole loop on a built-in simulated cluster, in a throw-away
// SPOT_HOME. It never touches the user's own store or config. `--serve` only starts the simulated History
// Server (demo-serve.ts).

export interface DemoOptions {
  launches?: number;
  keep?: boolean;
  serve?: boolean;
  port?: number;
}

export async function runDemo(opts: DemoOptions, ctx: CliContext): Promise<number> {
  if (opts.port !== undefined && !opts.serve) throw new UsageError('--port needs --serve');
  if (opts.serve) {
    if (opts.keep) throw new UsageError('--keep and --serve cannot be combined: --serve stores nothing');
    if (opts.launches !== undefined)
      throw new UsageError(
        '--launches and --serve cannot be combined: --serve launches nothing, it serves six days of runs',
      );
    return (await import('./demo-serve.js')).serveDemo({ port: opts.port }, ctx);
  }
  const [{ runDemoLoop }, { totals }, table, scenario, { openStore }] = await Promise.all([
    import('../demo/run.js'),
    import('../demo/totals.js'),
    import('./demo-table.js'),
    import('../demo/scenario.js'),
    import('../compose.js'),
  ]);
  const launches = opts.launches ?? 20;
  const home = mkdtempSync(join(tmpdir(), 'spot-demo-'));
  // Ctrl-C or SIGTERM stops the loop after the launch in flight (which the signal stops too) and removes the
  // throw-away SPOT_HOME; a second one quits at once.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      if (!opts.keep) rmSync(home, { recursive: true, force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const out = (s: string) => ctx.out.write(`${s}\n`);
  out(
    `Spot demo: a daily ETL job launched ${launches === 1 ? 'once' : `${launches} times`} through spot-submit on a simulated YARN cluster.`,
  );
  out(`Its launch script fixes ${scenario.FIXED_ARGS.join(' ')}; Spot runs in override mode, measures each day's`);
  out(`input with an input probe, and crawls every finished run from a simulated History Server to learn from it.\n`);
  out(table.HEADER);
  try {
    const result = await runDemoLoop({
      launches,
      home,
      openStore,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'launch') out(table.launchRow(e.launch));
        else if (process.env.SPOT_DEBUG) ctx.err.write(`demo: ${e.message}\n`);
      },
    });
    if (result.stopped) {
      ctx.err.write(`spot demo: stopped after ${result.launches.length} of ${launches} launches\n`);
      return stop.signal.reason === 'SIGTERM' ? 143 : 130;
    }
    out('');
    out(table.totalsText(totals(result.launches), result.launches.length));
    const last = [...result.launches].reverse().find((l) => l.applicationId);
    out('');
    if (opts.keep) {
      out(`The demo's SPOT_HOME is kept at ${home}. Look around with:`);
      out(`  export SPOT_HOME=${home}`);
      out(`  spot runs --app '${result.app}'`);
      if (last?.applicationId) out(`  spot explain ${last.applicationId}`);
      if (last?.adviceId) out(`  spot explain --advice ${last.adviceId}`);
      out(`  spot report --out spot-demo.html`);
    } else {
      out('Next: run `spot demo --keep` to keep the demo store, then `spot runs` and `spot explain <app-id>` on it;');
      // `spot crawl` alone loops until stopped: the first crawl of one's own History Server is a --once.
      out('for your own jobs, set historyServer.url, run `spot crawl --once` (from cron; `spot crawl` alone loops),');
      out('and put spot-submit in front of spark-submit.');
    }
    return result.launches.every((l) => l.exitCode === 0) ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!opts.keep) rmSync(home, { recursive: true, force: true });
  }
}
