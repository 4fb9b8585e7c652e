/**
 * The regular expressions the knowledge back-end reads fact text with, built from the knowledge base's words
 * and compiled once each. A phrase is matched as whole words, any case, and with two tolerances so that a
 * knowledge base lists each term once rather than in every spelling:
 *  - a hyphen and a space separate words alike (`Starr-Edwards` is `Starr Edwards`, `caged ball` is
 *    `caged-ball`);
 *  - British spellings also read the American ones: the `a` of `ae` and the `o` of `oe` in a lower-case word
 *    are optional (`haemorrhage` reads `hemorrhage`, `melaena` `melena`, `oesophageal` `esophageal`), so a
 *    knowledge base is written in British spelling. Upper-case words (abbreviations) are taken as written.
 */

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled patterns: phrases come from the knowledge base, so the cache stays small. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 10_000;

/** The compiled pattern for `key`, built by `build` the first time. */
export function cached(key: string, build: () => RegExp): RegExp {
  let pattern = patterns.get(key);
  if (!pattern) {
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    pattern = build();
    patterns.set(key, pattern);
  }
  return pattern;
}

/** The words of a phrase, split at spaces and hyphens. */
function words(phrase: string): string[] {
  return phrase
    .trim()
    .split(/[\s-]+/)
    .filter((word) => word !== '');
}

/** One word as a pattern: escaped, with the British `ae` and `oe` of a lower-case word also read as `e`. */
function wordPattern(word: string): string {
  const escaped = escapeRegex(word);
  return /[A-Z]/.test(word) ? escaped : escaped.replace(/([ao])(?=e)/g, '$1?');
}

/** The words of a phrase as a pattern, any spaces or hyphens between them. */
function body(phrase: string): string {
  return words(phrase).map(wordPattern).join('[\\s-]+');
}

/**
 * Whether `text` may contain `phrase`: its first word, with the same tolerances, occurs in it. A text without
 * it holds no mention, so the phrase's pattern need not be compiled. Compiling a phrase pattern costs about
 * 0.6 ms of CPU (V8 builds the case closure of its Unicode letter classes), the first word's about 0.02 ms;
 * reading a case tries a few hundred phrases, most of them absent, so the first case of a process (the CDS
 * warm-up at start) took about 220 ms without this test.
 */
export function mayContain(text: string, phrase: string): boolean {
  const first = words(phrase)[0] ?? '';
  return cached(`w:${first}`, () => new RegExp(wordPattern(first), 'iu')).test(text);
}

/** A case-insensitive regular expression for a whole phrase (compiled once). */
export function phrasePattern(phrase: string): RegExp {
  // A hyphen joins words (`non-diabetic`, `amoxicillin-clavulanate`), so it does not end a phrase.
  return cached(
    `p:${phrase}`,
    () => new RegExp(`(?<![\\p{L}\\p{N}-])${body(phrase)}(?![\\p{L}\\p{N}]|-\\p{L})`, 'giu'),
  );
}

/**
 * Like `phrasePattern`, with up to two plain words allowed between the phrase's words; never a negation, which
 * would turn the phrase around ("renal function not normal" is no "renal function normal").
 */
export function gappedPattern(phrase: string): RegExp {
  return cached(`g:${phrase}`, () => {
    const gap = '(?:[\\s-]+(?!(?:no|not|non|never|nor|without)(?![\\p{L}\\p{N}]))[\\p{L}\\p{N}-]+){0,2}?[\\s-]+';
    const gapped = words(phrase).map(wordPattern).join(gap);
    return new RegExp(`(?<![\\p{L}\\p{N}-])${gapped}(?![\\p{L}\\p{N}]|-\\p{L})`, 'giu');
  });
}

/** A comparator before a number: `eGFR <30` is below 30, `eGFR > 60` above it. */
const COMPARATOR = '(<=|>=|<|>|≤|≥|less than |below |under |more than |above |over )?\\s*';

/**
 * Patterns for a number after a measure's name (`eGFR of 24`, `estimated GFR (CKD-EPI) 26`: a short
 * parenthesis naming the method may follow the name) and before it (`72-year-old`). Group 1 is the
 * comparator, group 2 the number.
 */
export function measurePatterns(name: string): [RegExp, RegExp] {
  const named = body(name);
  return [
    cached(
      `m1:${name}`,
      () =>
        new RegExp(
          `(?<![\\p{L}\\p{N}])${named}(?![\\p{L}])(?:\\s*\\([^()\\n]{1,30}\\))?[^0-9<>≤≥/\\n.;,()]{0,12}?${COMPARATOR}(\\d+(?:\\.\\d+)?)`,
          'giu',
        ),
    ),
    cached(
      `m2:${name}`,
      () =>
        new RegExp(
          `(?<![\\p{L}\\p{N}.])${COMPARATOR}(\\d+(?:\\.\\d+)?)(?:\\+\\d)?[\\s-]{0,2}${named}(?![\\p{L}\\p{N}])`,
          'giu',
        ),
    ),
  ];
}
