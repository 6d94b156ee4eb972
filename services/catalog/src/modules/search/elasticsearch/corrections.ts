import type { estypes } from "@elastic/elasticsearch";
import { bestCorrection } from "../text.ts";

/**
 * A size-0 search that asks, for the words Postgres would try to correct (longer than 3
 * letters), which catalog words are near (term suggester over the `words` vocabulary, only for
 * words not in it), and whether the last word starts some catalog word (then it is being typed,
 * not mistyped).
 */
export function buildCorrectionSearch(index: string, terms: string[]): estypes.SearchRequest | null {
  const candidates = [...new Set(terms.filter((t) => t.length > 3))];
  if (candidates.length === 0) return null;
  return {
    index,
    size: 0,
    track_total_hits: 1,
    query: { prefix: { words: { value: terms.at(-1)! } } },
    suggest: Object.fromEntries(
      candidates.map((t, i) => [
        `t${i}`,
        {
          text: t,
          term: { field: "words", suggest_mode: "missing", string_distance: "damerau_levenshtein", max_edits: 2, prefix_length: 0, min_word_length: 4, size: 8, sort: "score" },
        },
      ]),
    ),
  };
}

type SuggestEntry = { text: string; options: { text: string; score: number }[] | { text: string; score?: number }[] };

/**
 * Corrections from that search, decided like the Postgres engine: a word in the vocabulary (no
 * suggestions in `missing` mode) or a last word that is a prefix stays; otherwise the nearest word
 * within the typo budget (text.ts `bestCorrection`, the suggester's score as the similarity).
 */
export function correctionsFrom(terms: string[], res: estypes.SearchResponse<unknown>): { from: string; to: string }[] {
  const candidates = [...new Set(terms.filter((t) => t.length > 3))];
  const total = typeof res.hits.total === "number" ? res.hits.total : (res.hits.total?.value ?? 0);
  const last = terms.at(-1);
  const fixes = new Map<string, string>();
  candidates.forEach((term, i) => {
    if (term === last && total > 0) return;
    const entries = (res.suggest?.[`t${i}`] ?? []) as SuggestEntry[];
    const options = entries.flatMap((e) => e.options).map((o) => ({ word: o.text, similarity: o.score ?? 0 }));
    const to = bestCorrection(term, options);
    if (to) fixes.set(term, to);
  });
  return terms.flatMap((from) => {
    const to = fixes.get(from);
    return to ? [{ from, to }] : [];
  });
}
