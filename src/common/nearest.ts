// "Did you mean": a name that matches nothing (a config key, a job) is most often a known one mistyped, and the
// message should say which.

/** Edits (insert, delete, substitute, swap of neighbours) between two words, case ignored. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[s.length]![t.length]!;
}

/**
 * The known word closest to `word`, when it is close enough to be a typo of it (a third of its letters, at least
 * two); undefined when none is, or when `word` is itself known.
 */
export function nearest(word: string, known: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    if (k === word) return undefined;
    const d = editDistance(word, k);
    if (d <= limit && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}
