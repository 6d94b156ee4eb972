const TERM = /[\p{L}\p{N}]+/gu;

/** The words of a query (lower-cased, at most 8, each at most 40 characters). */
export function queryTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...q.normalize("NFKC").toLowerCase().matchAll(TERM)].map((m) => m[0].slice(0, 40)).slice(0, 8);
}

/**
 * A `to_tsquery` source for these words: all must match (stemmed), the last one also as a prefix
 * (autocomplete). Words hold only letters and digits, so nothing in them is tsquery syntax.
 */
export function tsQuerySource(terms: string[]): string {
  return terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t)).join(" & ");
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: jakcet -> jacket is 1). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[m]![n]!;
}

/** How many edits a word of this length may be away from a catalog word and still count as a typo. */
export function typoBudget(word: string): number {
  return word.length <= 3 ? 0 : word.length <= 5 ? 1 : 2;
}

/**
 * The catalog word a mistyped query word most likely meant: within the typo budget, fewest edits,
 * then most similar (trigram similarity from Postgres), then alphabetical.
 */
export function bestCorrection(term: string, candidates: { word: string; similarity: number }[]): string | undefined {
  const budget = typoBudget(term);
  let best: { word: string; dist: number; similarity: number } | undefined;
  for (const c of candidates) {
    const dist = editDistance(term, c.word);
    if (dist === 0 || dist > budget) continue;
    if (!best || dist < best.dist || (dist === best.dist && (c.similarity > best.similarity || (c.similarity === best.similarity && c.word < best.word)))) {
      best = { word: c.word, dist, similarity: c.similarity };
    }
  }
  return best?.word;
}
