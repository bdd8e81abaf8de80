/**
 * "Did you mean …?" for misspelt keys and enum values: the closest allowed word by edit distance
 * (optimal string alignment, so a swapped pair of letters counts as one edit), case-insensitive.
 */

/** Edit distance between two words (insert, delete, substitute, swap adjacent), ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // Three rolling rows are enough for the transposition rule.
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The candidates closest to `word`, if close enough to be a plausible typo: at most one edit per
 * three letters. Words shorter than three letters get no guess ("v5" is not a typo of "v1").
 * Several candidates at the same distance are all returned, in candidate order.
 */
export function closestAll(word: string, candidates: readonly string[]): string[] {
  if (word.length < 3) return [];
  const limit = Math.floor(word.length / 3);
  let best: string[] = [];
  let bestDistance = Infinity;
  for (const c of new Set(candidates)) {
    if (c === word) continue;
    const d = editDistance(word, c);
    if (d > limit || d > bestDistance) continue;
    if (d < bestDistance) best = [];
    best.push(c);
    bestDistance = d;
  }
  return best;
}

/** The single closest candidate, see {@link closestAll}; undefined when none or several tie. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const all = closestAll(word, candidates);
  return all.length === 1 ? all[0] : undefined;
}

/** `did you mean "a"?` / `did you mean "a" or "b"?` for a misspelt word, or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const all = closestAll(word, candidates).slice(0, 3).map((c) => `"${c}"`);
  if (all.length === 0) return undefined;
  const last = all.pop()!;
  return `did you mean ${all.length > 0 ? `${all.join(', ')} or ${last}` : last}?`;
}

/** A hint for an unknown word: "did you mean …?" or else the list of allowed words. */
export function suggestionHint(word: string, candidates: readonly string[], what = 'allowed'): string | undefined {
  const guess = didYouMean(word, candidates);
  if (guess !== undefined) return guess;
  if (candidates.length === 0) return undefined;
  return `${what}: ${candidates.join(', ')}`;
}
