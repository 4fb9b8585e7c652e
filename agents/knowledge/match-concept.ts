/**
 * Finds the facts of a case that state a concept. A fact states a concept when
 *  - one of its codes is the concept's id or one of the concept's codes (case-insensitive), or
 *  - its text contains the concept's label or a synonym as a whole phrase (case-insensitive, any spacing),
 *    and the phrase is not negated, or
 *  - its text gives a measured value within the concept's bounds (`eGFR 24`, `72-year-old`).
 * Negation is a small NegEx-style check: a cue (`no`, `denies`, `without`, `negative for`, ...) among the few
 * words before the phrase, in the same clause (a clause ends at `.;:!?`, a line break, `but` or `however`).
 * It is deliberately simple; codes are the reliable path and are never negated.
 */
import type { NormalisedFact } from '../case.js';
import type { Concept, Measure } from './types.js';

const NEGATION =
  /\b(no|not|denies|denied|denying|without|negative for|free of|ruled out|absence of|never had)\b/i;
const CLAUSE_END = /[.;:!?\n]|\bbut\b|\bhowever\b|\balthough\b/gi;
const NEGATION_WINDOW_WORDS = 5;
const NEGATION_WINDOW_CHARS = 160;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled phrase patterns: phrases come from the knowledge base, so the cache stays small. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 10_000;

/** A case-insensitive regular expression for a whole phrase, tolerant of spacing (compiled once). */
export function phrasePattern(phrase: string): RegExp {
  const cached = patterns.get(phrase);
  if (cached) return cached;
  const body = phrase.trim().split(/\s+/).map(escapeRegex).join('\\s+');
  // A hyphen joins words (`non-diabetic`, `amoxicillin-clavulanate`), so it does not end a phrase.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}-])${body}(?![\\p{L}\\p{N}]|-\\p{L})`, 'giu');
  if (patterns.size >= MAX_PATTERNS) patterns.clear();
  patterns.set(phrase, pattern);
  return pattern;
}

/** True when the text just before `index` (same clause, last few words) holds a negation cue. */
function negatedAt(text: string, index: number): boolean {
  // Only the last few words matter; a bounded window keeps long texts with many mentions linear.
  const before = text.slice(Math.max(0, index - NEGATION_WINDOW_CHARS), index);
  let clauseStart = 0;
  for (const end of before.matchAll(CLAUSE_END)) clauseStart = (end.index ?? 0) + end[0].length;
  const words = before.slice(clauseStart).trim().split(/\s+/).filter(Boolean);
  return NEGATION.test(words.slice(-NEGATION_WINDOW_WORDS).join(' '));
}

/**
 * Whether `text` contains `phrase` as a whole phrase that is not negated.
 * @param text fact or question text.
 * @param phrase the phrase to find (any case, any spacing).
 * @param allowNegated when true, a negated mention counts too (used for question topics).
 */
export function mentions(text: string, phrase: string, allowNegated = false): boolean {
  for (const match of text.matchAll(phrasePattern(phrase))) {
    if (allowNegated || !negatedAt(text, match.index ?? 0)) return true;
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

const measurePatterns = new Map<string, [RegExp, RegExp]>();

/** Patterns for a number after a name (`eGFR of 24`) and before it (`72-year-old`), compiled once. */
function measurePattern(name: string): [RegExp, RegExp] {
  let cached = measurePatterns.get(name);
  if (!cached) {
    const body = name.trim().split(/\s+/).map(escapeRegex).join('\\s+');
    cached = [
      new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}])[^0-9\\n.;,()]{0,12}?(\\d+(?:\\.\\d+)?)`, 'giu'),
      new RegExp(`(?<![\\p{L}\\p{N}.])(\\d+(?:\\.\\d+)?)[\\s-]{0,2}${body}(?![\\p{L}\\p{N}])`, 'giu'),
    ];
    if (measurePatterns.size >= MAX_PATTERNS) measurePatterns.clear();
    measurePatterns.set(name, cached);
  }
  return cached;
}

/** The numbers the text gives for a measure's names: `eGFR 24`, `eGFR of 24`, `72-year-old`. */
export function measuredValues(text: string, names: readonly string[]): number[] {
  const values: number[] = [];
  for (const name of names) {
    for (const pattern of measurePattern(name)) {
      for (const match of text.matchAll(pattern)) values.push(Number(match[1]));
    }
  }
  return values;
}

/** Whether one fact states the concept. */
export function factStates(fact: NormalisedFact, concept: Concept): boolean {
  const codes = new Set([concept.id, ...concept.codes].map((code) => code.toLowerCase()));
  if (fact.codes.some((code) => codes.has(code.toLowerCase()))) return true;
  if ([concept.label, ...concept.synonyms].some((phrase) => mentions(fact.text, phrase))) return true;
  const measure = concept.measure;
  return (
    measure !== undefined && measuredValues(fact.text, measure.names).some((v) => withinBounds(v, measure))
  );
}

/**
 * The ids of the facts that state a concept, in case order.
 * Complexity: O(facts × phrases); callers memoise per case.
 */
export function matchConcept(facts: readonly NormalisedFact[], concept: Concept): string[] {
  return facts.filter((fact) => factStates(fact, concept)).map((fact) => fact.id);
}
