/**
 * Reads what the facts of a case say about a concept. Codes come first: a fact coded with the concept's id or
 * one of its codes states it (codes are trusted, never negated). Free text is read mention by mention:
 *  - phrases: the label or a synonym as whole words, any case and spacing, with up to two plain words between
 *    the words of a multi-word phrase ("mechanical mitral valve" is a "mechanical valve");
 *  - patterns: regular expressions of the knowledge base for notations (`G2P1 at 28 weeks`, `CKD G4`);
 *  - measures: a number after or before one of the measure's names (`eGFR 24`, `28 weeks' gestation`); a value
 *    outside the bounds rules the concept out;
 *  - allergies: an allergy or reaction word and the name of a member of the allergen class in one clause
 *    ("anaphylaxis to co-amoxiclav" is a penicillin allergy);
 * each mention then weighed in its context (mention-context.ts: negation, experiencer, history, hypothetical,
 * uncertainty). A fact that uses a concept's cue words (its topic: "gestation", "valve", "creatinine") without
 * a clear reading is "not assessed" for it: the back-end reports it instead of assuming absence.
 */
import type { NormalisedFact } from '../case.js';
import { type Assertion, mentionContext } from './mention-context.js';
import type { Concept, Measure } from './types.js';

/** What one fact says about one concept. `unclear`: uncertain, or a cue word without a reading (not assessed). */
export type FactReading = 'present' | 'absent' | 'unclear' | 'silent';

/** What the facts say about one concept: fact ids by reading. */
export interface ConceptReading {
  present: string[];
  absent: string[];
  /** Facts that may state it but could not be read (uncertain mention, or a cue word only): not assessed. */
  unclear: string[];
}

/** Names of the allergen (a class's members, or a treatment's names) for an allergy concept. */
export type Allergens = readonly string[];

const ALLERGY_WORDS = [
  'allergy',
  'allergic',
  'allergies',
  'hypersensitivity',
  'hypersensitive',
  'anaphylaxis',
  'anaphylactic',
  'urticaria',
  'hives',
  'angioedema',
  'rash',
  'reaction',
  'intolerance',
  'stevens-johnson',
  'lip swelling',
];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled patterns: phrases come from the knowledge base, so the cache stays small. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 10_000;

function cached(key: string, build: () => RegExp): RegExp {
  let pattern = patterns.get(key);
  if (!pattern) {
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    pattern = build();
    patterns.set(key, pattern);
  }
  return pattern;
}

/**
 * Whether `text` may contain `phrase`: its first word, matched with the same flags as the phrase's own pattern,
 * occurs in it. A text without it holds no mention, so the phrase's pattern need not be compiled. Compiling a
 * phrase pattern costs about 0.6 ms of CPU (V8 builds the case closure of its Unicode letter classes), the
 * first word's about 0.02 ms; reading a case tries a few hundred phrases, most of them absent, so the first
 * case of a process (the CDS warm-up at start) took about 220 ms without this test.
 */
function mayContain(text: string, phrase: string): boolean {
  const first = phrase.trim().split(/\s+/)[0];
  return cached(`w:${first}`, () => new RegExp(escapeRegex(first), 'iu')).test(text);
}

/** A case-insensitive regular expression for a whole phrase, tolerant of spacing (compiled once). */
export function phrasePattern(phrase: string): RegExp {
  return cached(`p:${phrase}`, () => {
    const body = phrase.trim().split(/\s+/).map(escapeRegex).join('\\s+');
    // A hyphen joins words (`non-diabetic`, `amoxicillin-clavulanate`), so it does not end a phrase.
    return new RegExp(`(?<![\\p{L}\\p{N}-])${body}(?![\\p{L}\\p{N}]|-\\p{L})`, 'giu');
  });
}

/** Like `phrasePattern`, with up to two plain words allowed between the phrase's words. */
function gappedPattern(phrase: string): RegExp {
  return cached(`g:${phrase}`, () => {
    const body = phrase.trim().split(/\s+/).map(escapeRegex).join('(?:\\s+[\\p{L}\\p{N}-]+){0,2}?\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}-])${body}(?![\\p{L}\\p{N}]|-\\p{L})`, 'giu');
  });
}

/**
 * Whether `text` contains `phrase` as a whole phrase that is not negated (nor about someone else, nor
 * uncertain or hypothetical).
 * @param allowNegated when true, any mention counts (used for question topics and option names).
 */
export function mentions(text: string, phrase: string, allowNegated = false): boolean {
  if (!mayContain(text, phrase)) return false;
  for (const match of text.matchAll(phrasePattern(phrase))) {
    if (allowNegated) return true;
    const index = match.index ?? 0;
    if (mentionContext(text, index, index + match[0].length) === 'present') return true;
  }
  return false;
}

function withinBounds(value: number, measure: Measure): boolean {
  if (measure.lt !== undefined && !(value < measure.lt)) return false;
  if (measure.lte !== undefined && !(value <= measure.lte)) return false;
  if (measure.gt !== undefined && !(value > measure.gt)) return false;
  if (measure.gte !== undefined && !(value >= measure.gte)) return false;
  return true;
}

/** Patterns for a number after a name (`eGFR of 24`) and before it (`72-year-old`), compiled once. */
function measurePatterns(name: string): [RegExp, RegExp] {
  const body = name.trim().split(/\s+/).map(escapeRegex).join('\\s+');
  return [
    cached(
      `m1:${name}`,
      () =>
        new RegExp(
          `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}])[^0-9<>≤≥/\\n.;,()]{0,12}?${COMPARATOR}(\\d+(?:\\.\\d+)?)`,
          'giu',
        ),
    ),
    cached(
      `m2:${name}`,
      () =>
        new RegExp(
          `(?<![\\p{L}\\p{N}.])${COMPARATOR}(\\d+(?:\\.\\d+)?)(?:\\+\\d)?[\\s-]{0,2}${body}(?![\\p{L}\\p{N}])`,
          'giu',
        ),
    ),
  ];
}

/** A comparator before a number: `eGFR <30` is below 30, `eGFR > 60` above it. */
const COMPARATOR = '(<=|>=|<|>|≤|≥|less than |below |under |more than |above |over )?\\s*';

/** The value a match stands for: a strict bound moves it just past the number (`<30` reads as 29.99). */
function measuredValue(match: RegExpMatchArray): number {
  const value = Number(match[2]);
  const comparator = (match[1] ?? '').trim();
  if (['<', 'less than', 'below', 'under'].includes(comparator)) return value - 0.01;
  if (['>', 'more than', 'above', 'over'].includes(comparator)) return value + 0.01;
  return value;
}

interface Mention {
  start: number;
  end: number;
  /** For measures: whether the value lies within the bounds. */
  within?: boolean;
}

/** Every measured value the text gives for a measure's names, with where it stands. */
function measureMentions(text: string, names: readonly string[], measure?: Measure): Mention[] {
  const found: Mention[] = [];
  for (const name of names) {
    if (!mayContain(text, name)) continue;
    for (const pattern of measurePatterns(name)) {
      for (const match of text.matchAll(pattern)) {
        const start = match.index ?? 0;
        const value = measuredValue(match);
        found.push({
          start,
          end: start + match[0].length,
          within: measure ? withinBounds(value, measure) : true,
        });
      }
    }
  }
  return found;
}

/** The numbers the text gives for a measure's names: `eGFR 24`, `eGFR of 24`, `72-year-old`. */
export function measuredValues(text: string, names: readonly string[]): number[] {
  const values: number[] = [];
  for (const name of names) {
    if (!mayContain(text, name)) continue;
    for (const pattern of measurePatterns(name)) {
      for (const match of text.matchAll(pattern)) values.push(measuredValue(match));
    }
  }
  return values;
}

function phraseMentions(text: string, phrases: readonly string[]): Mention[] {
  const found: Mention[] = [];
  for (const phrase of phrases) {
    if (!mayContain(text, phrase)) continue;
    const pattern = phrase.trim().includes(' ') ? gappedPattern(phrase) : phrasePattern(phrase);
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      found.push({ start, end: start + match[0].length });
    }
  }
  return found;
}

function regexMentions(text: string, sources: readonly string[]): Mention[] {
  const found: Mention[] = [];
  for (const source of sources) {
    for (const match of text.matchAll(cached(`r:${source}`, () => new RegExp(source, 'giu')))) {
      const start = match.index ?? 0;
      found.push({ start, end: start + match[0].length });
    }
  }
  return found;
}

/** Allergy mentions: an allergen name in a clause that also holds an allergy or reaction word. */
function allergyMentions(text: string, allergens: Allergens): Mention[] {
  if (allergens.length === 0) return [];
  const found: Mention[] = [];
  for (const piece of clauses(text)) {
    const words = phraseMentions(piece.text, ALLERGY_WORDS);
    if (words.length === 0) continue;
    for (const allergen of phraseMentions(piece.text, allergens)) {
      found.push({
        start: piece.offset + Math.min(allergen.start, words[0].start),
        end: piece.offset + allergen.end,
      });
    }
  }
  return found;
}

function clauses(text: string): Array<{ text: string; offset: number }> {
  const pieces: Array<{ text: string; offset: number }> = [];
  let offset = 0;
  for (const part of text.split(/([.;!?\n])/)) {
    if (part.length > 1 || !/[.;!?\n]/.test(part)) pieces.push({ text: part, offset });
    offset += part.length;
  }
  return pieces;
}

const RANK: Record<FactReading, number> = { present: 3, unclear: 2, absent: 1, silent: 0 };

/** How one mention's context reads: a measure outside its bounds rules the concept out. */
function readingOf(assertion: Assertion, within = true): FactReading {
  if (assertion === 'uncertain') return 'unclear';
  if (assertion === 'negated') return 'absent';
  if (assertion !== 'present') return 'silent';
  return within ? 'present' : 'absent';
}

/**
 * What one fact says about a concept.
 * @param allergens for a concept with `allergyTo`: the names of the allergen's members.
 * O(phrases × text length).
 */
export function readFact(fact: NormalisedFact, concept: Concept, allergens: Allergens = []): FactReading {
  const codes = new Set([concept.id, ...concept.codes].map((code) => code.toLowerCase()));
  if (fact.codes.some((code) => codes.has(code.toLowerCase()))) return 'present';
  const text = fact.text;
  const current = concept.timing === 'current';
  let best = 'silent' as FactReading;
  // A mention read as someone else's, past or hypothetical is understood: it states nothing about now.
  let understood = false;
  const weigh = (mentionsFound: Mention[]) => {
    for (const mention of mentionsFound) {
      const reading = readingOf(mentionContext(text, mention.start, mention.end, current), mention.within);
      if (reading === 'silent') understood = true;
      if (RANK[reading] > RANK[best]) best = reading;
      if (best === 'present') return;
    }
  };
  weigh(phraseMentions(text, [concept.label, ...concept.synonyms]));
  if (best !== 'present') weigh(regexMentions(text, concept.patterns));
  if (best !== 'present' && concept.measure)
    weigh(measureMentions(text, concept.measure.names, concept.measure));
  if (best !== 'present') weigh(allergyMentions(text, allergens));
  if (best !== 'silent' || understood) return best;
  // Stated exclusions ("non-valvular AF" rules out a mechanical valve), then the topic's cue words.
  const exclusion = phraseMentions(text, concept.ruledOutBy).some(
    (mention) => mentionContext(text, mention.start, mention.end) === 'present',
  );
  if (exclusion) return 'absent';
  let cueReading: FactReading = 'silent';
  for (const cue of phraseMentions(text, concept.cues)) {
    const assertion = mentionContext(text, cue.start, cue.end, current);
    if (assertion === 'negated') cueReading = cueReading === 'silent' ? 'absent' : cueReading;
    else if (assertion === 'present' || assertion === 'uncertain') return 'unclear';
  }
  return cueReading;
}

/** Whether one fact states the concept (codes, or a mention read as present). */
export function factStates(fact: NormalisedFact, concept: Concept, allergens: Allergens = []): boolean {
  return readFact(fact, concept, allergens) === 'present';
}

/** What the facts say about a concept, fact ids in case order. O(facts × phrases). */
export function readConcept(
  facts: readonly NormalisedFact[],
  concept: Concept,
  allergens: Allergens = [],
): ConceptReading {
  const reading: ConceptReading = { present: [], absent: [], unclear: [] };
  for (const fact of facts) {
    const said = readFact(fact, concept, allergens);
    if (said !== 'silent') reading[said].push(fact.id);
  }
  return reading;
}

/** The ids of the facts that state a concept, in case order. */
export function matchConcept(
  facts: readonly NormalisedFact[],
  concept: Concept,
  allergens: Allergens = [],
): string[] {
  return readConcept(facts, concept, allergens).present;
}
