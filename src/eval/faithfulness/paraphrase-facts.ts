/**
 * A fixed, light paraphrase of a case's fact texts for the stability probe: the same clinical content in other
 * everyday words, so a probe run shows whether a decision rests on what the facts say or on how they are worded.
 * Each rewrite keeps the meaning whatever the context (a negation, a family member or a time before it still
 * applies); rewrites that could shift meaning (synonyms of findings, drugs, allergies) are left out on purpose.
 * Deterministic, so a run's figures reproduce. Cost: O(length of the text × rewrites).
 */

/** A rewrite: a pattern and what replaces each match (case of the first letter kept). */
interface Rewrite {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const REWRITES: readonly Rewrite[] = [
  { pattern: /\b(\d{1,3})([- ])years?([- ])old\b/gi, replace: (_m, n, a, b) => `${n}${a}yr${b}old` },
  { pattern: /\bpresent(s|ed) with\b/gi, replace: (_m, tense) => (tense === 's' ? 'comes in with' : 'came in with') },
  { pattern: /\bcomplain(s|ed) of\b/gi, replace: (_m, tense) => (tense === 's' ? 'reports' : 'reported') },
  { pattern: /\bdiagnosed with\b/gi, replace: () => 'given a diagnosis of' },
  { pattern: /\b(?:is |are )?(?:currently )?taking\b/gi, replace: (m) => (/^(is|are) /i.test(m) ? `${m.split(' ')[0]} on` : 'on') },
  { pattern: /\b(eGFR|GFR|CrCl|creatinine clearance|BMI|HbA1c|QTc|INR)(?:\s*(?:is|was|=|:))?\s+(?=[<>≤≥]?\s*\d)/g, replace: (_m, measure) => `${measure} of ` },
];

/** The first letter in the case of the text it replaces. */
function sameCase(original: string, replacement: string): string {
  const first = original.charAt(0);
  if (first !== first.toUpperCase() || first === first.toLowerCase()) return replacement;
  return replacement.charAt(0).toUpperCase() + replacement.slice(1);
}

/**
 * The text after every rewrite, in the order of the table.
 * @example paraphraseFact('72-year-old man presents with cough; eGFR 38') // '72-yr-old man comes in with cough; eGFR of 38'
 */
export function paraphraseFact(text: string): string {
  let result = text;
  for (const { pattern, replace } of REWRITES) {
    result = result.replace(pattern, (match: string, ...groups: string[]) => sameCase(match, replace(match, ...groups)));
  }
  return result;
}
