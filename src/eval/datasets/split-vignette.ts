/**
 * Splits a multiple-choice vignette into case facts (its sentences) and the question (the last sentence),
 * so the engine's agents see facts they can cite. The split is heuristic: a vignette that is one sentence
 * becomes the question alone.
 */

/** Facts and question of a vignette. Sentences end at `.`, `?` or `!` followed by a space and a capital. */
export function splitVignette(text: string): { facts: string[]; question: string } {
  const sentences = text
    .trim()
    .split(/(?<=[.?!])\s+(?=[A-Z"(])/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (sentences.length < 2) return { facts: [], question: text.trim() };
  const question = sentences[sentences.length - 1];
  return { facts: sentences.slice(0, -1), question };
}
