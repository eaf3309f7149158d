/** Choosing the key terms shown in offline notes from ranked candidates. */

export interface Term {
  words: string[];
  count: number;
  weight: number;
  surface: string;
}

/**
 * Terms sharing a word add little ("learning" next to "machine learning"), so they are skipped;
 * but a word said mostly inside one phrase is shown as that phrase ("point" → "data points"),
 * which may then sit next to its other word ("data").
 */
export function pickTerms(candidates: readonly Term[], limit: number): Term[] {
  const shares = (term: Term, others: readonly Term[]) =>
    others.some((other) => other.words.some((word) => term.words.includes(word)));
  const picked: Term[] = [];
  for (const candidate of candidates) {
    if (picked.length >= limit) break;
    const [word] = candidate.words;
    const phrase =
      candidate.words.length === 1 && word !== undefined
        ? candidates.find(
            (t) => t.words.length > 1 && t.words.includes(word) && t.count * 2 >= candidate.count,
          )
        : undefined;
    const term = phrase ?? candidate;
    // A phrase standing for its dominant word may overlap picked single words; anything else may not.
    const blockers = phrase ? picked.filter((other) => other.words.length > 1) : picked;
    if (!picked.includes(term) && !shares(term, blockers)) picked.push(term);
  }
  return picked;
}
