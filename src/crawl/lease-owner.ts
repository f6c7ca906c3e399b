import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

// Who holds a crawl lease: host, process id and a random part (`host/pid/rand`). A crawler killed with
// SIGKILL cannot give its leases back; one on the same host can see that the process is gone and take its
// apps at once instead of waiting the lease out. Owners on other hosts are always waited out.

/**
 * How long a claimed app is another crawler's to leave alone. Long enough for one app's fetches with their
 * retries; short enough that the apps of a crawler killed mid-way are taken up by the next crawl soon after.
 */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export function leaseOwner(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

export function leaseOwnerGone(owner: string): boolean {
  const [host, pidText] = owner.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
