import { execFile } from 'node:child_process';
import { locateSparkSubmit } from './locate.js';

// kill -9 of spot-submit must not leave spark-submit running unsupervised. Linux can send a process a signal
// when its parent dies (PR_SET_PDEATHSIG); util-linux's setpriv sets it and then execs the command, so
// spark-submit keeps its pid, its exit code and its signals, and no extra process sits in between. It gets
// SIGTERM, as from kill or Ctrl-C: the JVM's shutdown hooks run. Where setpriv is missing or too old
// (--pdeathsig came in util-linux 2.33), spark-submit is launched directly, as before.

const PROBE_TIMEOUT_MS = 1000;

/** The words to put in front of spark-submit, or [] when this system has no way to do it. */
export function dieWithParentPrefix(env: NodeJS.ProcessEnv): Promise<string[]> {
  if (process.platform !== 'linux') return Promise.resolve([]);
  const setpriv = locateSparkSubmit({ command: 'setpriv', from: 'PATH' }, env);
  if (!setpriv.ok) return Promise.resolve([]);
  const prefix = [setpriv.file, '--pdeathsig', 'TERM', '--'];
  // Try it for real (on itself): an old setpriv refuses the option, and then the job must not be launched through it.
  return new Promise((resolve) => {
    execFile(
      setpriv.file,
      [...prefix.slice(1), setpriv.file, '--version'],
      { timeout: PROBE_TIMEOUT_MS, env },
      (error) => resolve(error ? [] : prefix),
    );
  });
}
