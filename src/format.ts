// How numbers read on a terminal. One place, so that `spot predict`, `spot explain`, `spot runs`, the demo
// and spot-submit's info line say the same size and time the same way.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.5 KiB"; 52 GiB -> "52 GiB" (one decimal below 10 of a unit). */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : v.toFixed(0)} ${BYTE_UNITS[i]}`;
}

/** 83 s -> "1m 23s"; 4000 s -> "1h 07m"; 9.5 s -> "9.5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The same, without spaces, for table columns: "45s", "1m23s", "1h07m". */
export function formatDurationCompact(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** 0.123 -> "12.3%". */
export function formatPercent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
