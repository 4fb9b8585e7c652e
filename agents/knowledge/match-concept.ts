/**
 * Reads what the facts of a case say about a concept. Codes come first: a fact coded with the concept's id or
 * one of its codes states it (codes are trusted, never negated). Free text is read mention by mention:
 *  - phrases: the label or a synonym as whole words, any case and spacing, hyphen or space, British or American
 *    spelling (phrase-patterns.ts), with up to two plain words between the words of a multi-word phrase
 *    ("mechanical mitral valve" is a "mechanical valve");
 *  - patterns: regular expressions of the knowledge base for notations (`G2P1 at 28 weeks`, `CKD G4`);
 *  - measures: a number after or before one of the measure's names (`eGFR 24`, `28 weeks' gestation`); a value
 *    outside the bounds rules the concept out;
 *  - tests: a qualitative test named with its result (`urine hCG positive` states a pregnancy, `negative
 *    pregnancy test` rules it out; without a result, or pending, it is not assessed);
 *  - allergies: an allergy or reaction word and the name of a member of the allergen class in one clause
 *    ("anaphylaxis to co-amoxiclav" is a penicillin allergy), read in the context of both words ("penicillin
 *    allergy label removed after an amoxicillin challenge" is not an allergy); a statement of no drug allergy
 *    at all ("NKDA", "no known drug allergies", "allergies: nil") rules every drug allergy out;
 * each mention then weighed in its context (mention-context.ts: negation, experiencer, history, hypothetical,
 * uncertainty); a name that qualifies a risk or a score ("CVD risk 12%"), or a negated one that qualifies
 * another noun ("no bleeding disorder"), is no mention of it. A fact that uses a concept's cue words (its
 * topic: "gestation", "valve", "creatinine") or the name of its measure without a clear reading is "not
 * assessed" for it: the back-end reports it instead of assuming absence.
 */
import type { NormalisedFact } from '../case.js';
import { type Assertion, mentionContext } from './mention-context.js';
import { cached, gappedPattern, mayContain, measurePatterns, phrasePattern } from './phrase-patterns.js';
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
  /** For measures: whether the value lies within the bounds; for tests, whether the result is positive. */
  within?: boolean;
  /** For a test named without a result: it says nothing clear. */
  unread?: boolean;
  /** Further spans whose context counts too (an allergy's reaction word): the first one not present wins. */
  anchors?: Array<[number, number]>;
}

/** Result words of a qualitative test, after or just before its name within the clause. */
const POSITIVE = /^[^.;\n]{0,24}?\b(positive|pos|(?<!non-)reactive|(?<!not )detected)\b|^[^.;\n]{0,12}?\+ve\b/i;
/** Negative result words, or a value below the assay's limit right after the name ("hCG <5 IU/L"). */
const NEGATIVE = new RegExp(
  [
    '^[^.;\\n]{0,24}?\\b(negative|neg|non-reactive|not detected|undetectable)\\b',
    '^[^.;\\n]{0,12}?-ve\\b',
    '^[\\s:=]*(?:<|less than\\s)\\s*\\d',
  ].join('|'),
  'i',
);

/** Test mentions: positive states the concept, negative rules it out, no result reads as not assessed. */
function testMentions(text: string, names: readonly string[]): Mention[] {
  return phraseMentions(text, names).map((mention) => {
    const after = text.slice(mention.end);
    const before = text.slice(Math.max(0, mention.start - 24), mention.start);
    // `+ve` and `-ve` start with a sign, so no word boundary stands before them after a space.
    const positive = POSITIVE.test(after) || /(?:\bpositive|(?<![\w+-])\+ve)\s*$/i.test(before);
    const negative = NEGATIVE.test(after) || /(?:\bnegative|(?<![\w+-])-ve)\s*$/i.test(before);
    if (positive === negative) return { ...mention, unread: true };
    return { ...mention, within: positive };
  });
}

/**
 * A later value after a measured one, in the same sentence, that the name does not precede: "eGFR was 45 last
 * year, now 24", "eGFR 52 -> 27". The first value is then not the patient's value now.
 */
const LATER_VALUE =
  /^(?:(?![;\n]|\.(?!\d)).)*?(?:\b(?:now|currently|today|latest|most recently|down to|fell to|dropped to|declined to|decreased to|rose to|increased to|up to)\b|->|→|=>)\s*(?:is\s+|at\s+|of\s+|~\s*|approx\.?\s*)?[<>≤≥]?\s*\d/i;

/** Every measured value the text gives for a measure's names, with where it stands. */
function measureMentions(text: string, names: readonly string[], measure?: Measure): Mention[] {
  const found: Mention[] = [];
  for (const name of names) {
    if (!mayContain(text, name)) continue;
    for (const pattern of measurePatterns(name)) {
      for (const match of text.matchAll(pattern)) {
        const start = match.index ?? 0;
        const end = start + match[0].length;
        const value = measuredValue(match);
        const later = LATER_VALUE.test(text.slice(end));
        found.push({ start, end, within: measure ? withinBounds(value, measure) : true, unread: later });
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

/**
 * Allergy mentions: an allergen name in a clause that also holds an allergy or reaction word, anchored on both
 * (the nearest such word and the allergen), so a negation or another person of either counts.
 */
function allergyMentions(text: string, allergens: Allergens): Mention[] {
  if (allergens.length === 0) return [];
  const found: Mention[] = [];
  const listed = ALLERGY_HEADING.test(text);
  for (const piece of clauses(text)) {
    const words = phraseMentions(piece.text, ALLERGY_WORDS);
    for (const allergen of phraseMentions(piece.text, allergens)) {
      const at = (m: Mention): [number, number] => [piece.offset + m.start, piece.offset + m.end];
      // An item of an allergy list, or an allergen excepted from a denial ("NKDA apart from amoxicillin"), is an
      // allergy read in the allergen's own context ("penicillin?" uncertain, "penicillin label removed" not).
      const excepted = EXCEPTED.test(piece.text.slice(0, allergen.start));
      if (excepted || (listed && words.length === 0)) {
        const [start, end] = at(allergen);
        found.push({ start, end, anchors: [[start, end]] });
        continue;
      }
      if (words.length === 0) continue;
      const distance = (word: Mention) => Math.abs(word.start - allergen.start);
      const word = words.reduce((nearest, next) => (distance(next) < distance(nearest) ? next : nearest));
      found.push({
        start: piece.offset + Math.min(allergen.start, word.start),
        end: piece.offset + Math.max(allergen.end, word.end),
        anchors: [at(word), at(allergen)],
      });
    }
  }
  return found;
}

/** A fact that is an allergy list: "Allergies:", "Drug allergies -", "Allergies/ADRs:". */
const ALLERGY_HEADING = new RegExp(
  '^\\W*(?:(?:drug|medication|known)\\s+)?(?:allerg(?:y|ies)|ADRs?|adverse (?:drug )?reactions)' +
    '(?:\\s*\\/\\s*\\p{L}+)?\\s*[:-]',
  'iu',
);
/** An allergen named right after "except", "apart from", "other than" or "besides" (a few list words between). */
const EXCEPTED = /\b(?:except(?:\s+for)?|apart from|other than|besides)\s+(?:[\p{L}-]+[\s,]+){0,3}$/iu;

/** Statements of no drug allergy at all, in one word. */
const NO_ALLERGY_TOKENS = ['NKDA', 'NKA', 'NKMA'];
/** Words that make an allergy statement about something else than drugs, or about other allergies only. */
const OTHER_ALLERGENS =
  /\b(?:food|foods|latex|environmental|seasonal|contact|nuts?|peanuts?|shellfish|eggs?|pollen|dust|animals?|pets?|insects?|bees?|wasps?|contrast|iodine|other|further|except|apart)\b/i;
/** Words after "allergy" that make it about the record, not the patient ("no allergy list available"). */
const ALLERGY_RECORD = /^\s*(?:list|info|information|status|records?|history|data|documentation|check|assessment|band)\b/i;

/**
 * Statements that the patient has no drug allergy at all ("NKDA", "no known drug allergies", "allergies: nil"),
 * in clauses that name no allergen: they rule out an allergy to any drug. Read as absent whatever their
 * context; a clause naming an allergen is read by `allergyMentions` instead ("no allergies except penicillin").
 */
function noAllergyMentions(text: string, allergens: Allergens): Mention[] {
  if (allergens.length === 0) return [];
  const found: Mention[] = [];
  for (const piece of clauses(text)) {
    if (phraseMentions(piece.text, allergens).length > 0) continue;
    for (const token of phraseMentions(piece.text, NO_ALLERGY_TOKENS))
      found.push({ start: piece.offset + token.start, end: piece.offset + token.end, within: false });
    if (OTHER_ALLERGENS.test(piece.text)) continue;
    for (const word of phraseMentions(piece.text, ['allergy', 'allergies', 'allergic'])) {
      const start = piece.offset + word.start;
      const end = piece.offset + word.end;
      if (ALLERGY_RECORD.test(text.slice(end)) || mentionContext(text, start, end) !== 'negated') continue;
      found.push({ start, end, within: false });
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

/** Nouns a finding's name can qualify ("bleeding disorder", "bleeding risk"): then it names something else. */
const QUALIFIED = /^(?:\s+|-)(?:disorders?|diathes[ie]s|tendency|tendencies|risks?|scores?)\b/i;
const RISK_OF = /^(?:\s+|-)(?:risks?|scores?)\b/i;

const RANK: Record<FactReading, number> = { present: 3, unclear: 2, absent: 1, silent: 0 };

/** How one mention's context reads: a measure outside its bounds rules the concept out. */
function readingOf(assertion: Assertion, mention: Mention): FactReading {
  if (assertion === 'uncertain') return 'unclear';
  // "No pregnancy test done": what is negated is the test, which gives no result.
  if (assertion === 'negated') return mention.unread ? 'unclear' : 'absent';
  if (assertion !== 'present') return 'silent';
  if (mention.unread) return 'unclear';
  return mention.within === false ? 'absent' : 'present';
}

/** The context of a mention: of its span, or the first of its anchors that does not read as present. */
function assertionOf(text: string, mention: Mention, current: boolean): Assertion {
  if (!mention.anchors) return mentionContext(text, mention.start, mention.end, current);
  for (const [start, end] of mention.anchors) {
    const assertion = mentionContext(text, start, end, current);
    if (assertion !== 'present') return assertion;
  }
  return 'present';
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
  // The mentions a denial ruled out ("denies pregnancy"), to weigh against the topic's words elsewhere.
  const denied: Mention[] = [];
  const weigh = (mentionsFound: Mention[]) => {
    for (const mention of mentionsFound) {
      const assertion = assertionOf(text, mention, current);
      // A risk or score of a finding is not the finding ("CVD risk 12%"), and "no bleeding disorder" denies the
      // disorder, not bleeding (the converse, "bleeding disorder", still stands for the finding: abstaining is safe).
      const after = text.slice(mention.end);
      if (RISK_OF.test(after) || (assertion === 'negated' && QUALIFIED.test(after))) continue;
      const reading = readingOf(assertion, mention);
      if (reading === 'silent') understood = true;
      if (assertion === 'negated') denied.push(mention);
      if (RANK[reading] > RANK[best]) best = reading;
      if (best === 'present') return;
    }
  };
  weigh(phraseMentions(text, [concept.label, ...concept.synonyms]));
  if (best !== 'present') weigh(regexMentions(text, concept.patterns));
  if (best !== 'present' && concept.measure)
    weigh(measureMentions(text, concept.measure.names, concept.measure));
  if (best !== 'present') weigh(testMentions(text, concept.tests));
  if (best !== 'present') weigh(allergyMentions(text, allergens));
  if (best !== 'present') weigh(noAllergyMentions(text, allergens));
  if (best === 'absent' && denied.length > 0 && affirmedCue(text, concept, denied, current)) return 'unclear';
  if (best !== 'silent' || understood) return best;
  // Stated exclusions ("non-valvular AF" rules out a mechanical valve) and the topic's cue words. An exclusion
  // speaks for the cue words of its own phrase ("bioprosthetic aortic valve") only: a cue word elsewhere in the
  // fact ("mitral valve bioprosthetic; AVR (mechanical)") may name another device and leaves it not assessed.
  const stated = [...phraseMentions(text, concept.ruledOutBy), ...regexMentions(text, concept.ruledOutByPatterns)];
  const contexts = stated.map((mention) => mentionContext(text, mention.start, mention.end));
  // "Not a tissue valve - mechanical": denying what would rule the concept out reopens it; it is no denial of it.
  if (contexts.includes('negated')) return 'unclear';
  const exclusions = stated.filter((_mention, i) => contexts[i] === 'present');
  let cueReading: FactReading = 'silent';
  // A measure's names are words of its topic too: "eGFR awaited" gives no value and is not assessed.
  for (const cue of phraseMentions(text, [...concept.cues, ...(concept.measure?.names ?? [])])) {
    const assertion = mentionContext(text, cue.start, cue.end, current);
    // "No renal function tests done", "no LMP recorded": the record is missing, not the finding.
    if (assertion === 'negated' && RECORD_OF.test(text.slice(cue.end))) return 'unclear';
    if (assertion === 'negated') cueReading = cueReading === 'silent' ? 'absent' : cueReading;
    else if (assertion === 'uncertain') return 'unclear';
    else if (assertion === 'present' && !exclusions.some((exclusion) => samePhrase(text, exclusion, cue)))
      return 'unclear';
  }
  return exclusions.length > 0 ? 'absent' : cueReading;
}

/**
 * Whether a word of the concept's topic stands affirmed outside what a denial ruled out: "denies pregnancy but
 * LMP 8 weeks ago" says two things, and the denial does not settle the second. Only denials count (a value out
 * of bounds or a negative test is a reading, not a claim), and a cue inside a denied mention is that mention.
 */
function affirmedCue(text: string, concept: Concept, denied: readonly Mention[], current: boolean): boolean {
  return phraseMentions(text, concept.cues).some(
    (cue) =>
      !denied.some((mention) => overlaps(cue, mention)) &&
      mentionContext(text, cue.start, cue.end, current) === 'present',
  );
}

/** Whether two mentions share a character. */
function overlaps(a: Mention, b: Mention): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Words after a topic's name that make it about the record of it: a test, a result, a value on file. */
const RECORD_OF =
  /^[\s:-]*(?:[\p{L}\p{N}-]+\s+){0,2}?(?:tests?|results?|recorded|available|done|checked|measured|data|values?|documented|on file|performed|taken|sent)\b/iu;

/** Words that start another item of a list or another statement. */
const ITEM_BREAK = /[.;,!?\n]|\b(?:and|with|plus|also|or|but|then|while)\b/i;
const PHRASE_WORDS = 3;

/**
 * Whether a cue word belongs to the phrase of an exclusion: inside it, or within a few words of it with no
 * list or clause break between ("bioprosthetic (porcine) aortic valve", "aortic valve: bioprosthetic").
 */
function samePhrase(text: string, exclusion: Mention, cue: Mention): boolean {
  if (overlaps(cue, exclusion)) return true;
  const between =
    cue.start >= exclusion.end ? text.slice(exclusion.end, cue.start) : text.slice(cue.end, exclusion.start);
  return !ITEM_BREAK.test(between) && between.split(/\s+/).filter(Boolean).length <= PHRASE_WORDS;
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
