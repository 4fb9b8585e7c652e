/**
 * The knowledge base seen through one case: which concepts the facts state, which treatment each option
 * names, and the rules that apply to this patient, each selected by one deterministic function so that the
 * generator and the verifier always pick the same rule (a counter-argument always matches the verdict that
 * asked for it). Views are cached per normalised-facts array, so the concept matching runs once a case.
 */
import { type Case, candidateOptions, type NormalisedFact, type Option } from '../case.js';
import { type ConceptReading, mentions } from './match-concept.js';
import type { KnowledgeIndex, SideEffectRule } from './knowledge-index.js';
import type { Answer, Claim, Indication, Mitigation, Preference, Treatment } from './types.js';

/** A rule with the case facts that satisfy its conditions, and the conditions no fact satisfies. */
export interface Grounded<R> {
  rule: R;
  /** Concept id -> ids of the facts that state it (present conditions only). */
  present: Map<string, string[]>;
  /** Concept ids of the conditions no fact states. */
  missing: string[];
}

/**
 * Whether a rule with conditions (`when`) and exclusions (`unless`) applies to this patient, read open-world:
 * `yes` when every condition is stated and no exclusion is; `no` when an exclusion is stated or a condition
 * is not (and no fact could state it); `unknown` when what decides it could not be read: a condition or an
 * exclusion that a fact may state but was not assessed (a fact silent on a concept is not a doubt; a fact
 * that uses its words without a clear reading is).
 */
export interface Applicable<R> extends Grounded<R> {
  applies: 'yes' | 'no' | 'unknown';
  /** Exclusions the case states (concept id -> fact ids). */
  excluded: Map<string, string[]>;
  /** For `unknown`: the conditions and exclusions that could not be read, what to confirm. */
  open: string[];
}

/** A side-effect rule that matters for this patient, with the mitigation that applies, if any. */
export interface MatchedSideEffect extends Grounded<SideEffectRule> {
  mitigation?: Applicable<Mitigation>;
  /** With no mitigation that applies: one that may apply, depending on facts that could not be read. */
  openMitigation?: Applicable<Mitigation>;
}

/** An option with what it stands for: a treatment (choice questions) or an answer (yes/no/maybe). */
export interface ResolvedOption {
  option: Option;
  treatment?: Treatment;
  /** For yes/no/maybe questions: the answer the option stands for. */
  answer?: Answer;
  /** Why no treatment or answer was found. */
  problem?: string;
}

/** The rules of the knowledge base as they apply to one case; every query is deterministic. */
export interface CaseView {
  readonly index: KnowledgeIndex;
  readonly kase: Case;
  readonly facts: readonly NormalisedFact[];
  /** True for yes/no/maybe questions, answered from claims rather than treatments. */
  readonly yesNoMaybe: boolean;
  /** True when some indication of the knowledge base is about the question's topic (it covers the question). */
  readonly coversQuestion: boolean;
  /** Ids of the facts stating a concept (memoised). */
  present(conceptId: string): string[];
  /** Ids of the facts that may state a concept but could not be read (not assessed); empty when it is present. */
  unclear(conceptId: string): string[];
  /** True when no fact mentions the concept at all (neither states it, rules it out, nor may state it). */
  silent(conceptId: string): boolean;
  ground<R extends { when: string[] }>(rule: R): Grounded<R>;
  /** Whether a rule applies to this patient, open-world (see `Applicable`). */
  applicability<R extends { when: string[]; unless?: string[] }>(rule: R): Applicable<R>;
  /** The ids of facts stating any of the concepts (an `unless` list); empty when none is stated. */
  contradicting(conceptIds: readonly string[]): Map<string, string[]>;
  resolve(option: Option): ResolvedOption;
  /** Options of the case, or the treatments indicated for this patient when the case gives none. */
  candidates(limit?: number): Option[];
  bestIndication(treatment: Treatment): Grounded<Indication> | undefined;
  /** The claim rule for an answer that fits the question best: one that applies, else one that may, else any. */
  bestClaim(answer: Answer): Applicable<Claim> | undefined;
  /** Side effects of a treatment that matter for this patient, most decisive first. */
  sideEffects(treatment: Treatment): MatchedSideEffect[];
  /**
   * Side effects (moderate or worse) that may matter but cannot be ruled out: every condition is stated or
   * unclear, at least one unclear. Their `missing` lists the unclear conditions.
   */
  openSideEffects(treatment: Treatment): Grounded<SideEffectRule>[];
  /** The mitigation of a side effect that applies to this patient (`applies` yes), else one that may (unknown). */
  mitigation(treatment: Treatment, effect: string): Applicable<Mitigation> | undefined;
  /** Preferences of `better` over `worse` that apply to this patient, in knowledge-base order. */
  preferences(better: Treatment, worse: Treatment): Applicable<Preference>[];
  /** Preferences of `better` over `worse` that may apply, depending on facts that could not be read. */
  openPreferences(better: Treatment, worse: Treatment): Applicable<Preference>[];
}

const ANSWERS = new Set<Answer>(['yes', 'no', 'maybe']);
const APPLIES = { yes: 0, unknown: 1, no: 2 } as const;
const cache = new WeakMap<readonly NormalisedFact[], WeakMap<KnowledgeIndex, CaseView>>();

/** Rank of a matched side effect: what defeats the decision outright comes first. */
function rank(effect: MatchedSideEffect): number {
  const severity = effect.rule.severity;
  if (severity === 'minor') return 5;
  const base = { contraindicated: 0, major: 1, moderate: 2 }[severity];
  return effect.mitigation ? base + 3 : base;
}

/**
 * Builds (or returns the cached) view of a case.
 * @param index the indexed knowledge base.
 * @param kase the case; `facts` its normalised facts (the cache key).
 */
export function viewCase(index: KnowledgeIndex, kase: Case, facts: readonly NormalisedFact[]): CaseView {
  let byIndex = cache.get(facts);
  if (!byIndex) {
    byIndex = new WeakMap();
    cache.set(facts, byIndex);
  }
  const cached = byIndex.get(index);
  if (cached && cached.kase === kase) return cached;
  const view = buildView(index, kase, facts);
  byIndex.set(index, view);
  return view;
}

function buildView(index: KnowledgeIndex, kase: Case, facts: readonly NormalisedFact[]): CaseView {
  const kb = index.kb;
  const readings = new Map<string, ConceptReading>();
  const questionText = `${kase.question}\n${kase.goal ?? ''}`;
  const onTopic = (rule: Indication) => rule.topics.some((topic) => mentions(questionText, topic, true));
  // Topics narrow indications to the question only when the question names some topic at all.
  const topicMode = kb.indications.some(onTopic);
  const relevant = (rule: Indication) => !topicMode || rule.topics.length === 0 || onTopic(rule);

  /** What the facts say about a concept, read once a view (the three queries below derive from it). */
  const reading = (conceptId: string): ConceptReading => {
    let read = readings.get(conceptId);
    if (read === undefined) {
      read = index.readConcept(facts, conceptId);
      readings.set(conceptId, read);
    }
    return read;
  };
  const present = (conceptId: string): string[] => reading(conceptId).present;
  const unclear = (conceptId: string): string[] => {
    const read = reading(conceptId);
    return read.present.length > 0 ? [] : read.unclear;
  };
  const silent = (conceptId: string): boolean => {
    const read = reading(conceptId);
    return read.present.length === 0 && read.absent.length === 0 && read.unclear.length === 0;
  };
  const ground = <R extends { when: string[] }>(rule: R): Grounded<R> => {
    const found = new Map<string, string[]>();
    const missing: string[] = [];
    for (const id of rule.when) {
      const ids = present(id);
      if (ids.length > 0) found.set(id, ids);
      else missing.push(id);
    }
    return { rule, present: found, missing };
  };
  const contradicting = (ids: readonly string[]) =>
    new Map(ids.map((id) => [id, present(id)] as const).filter(([, facts]) => facts.length > 0));
  const applicability = <R extends { when: string[]; unless?: string[] }>(rule: R): Applicable<R> => {
    const grounded = ground(rule);
    const excluded = contradicting(rule.unless ?? []);
    const unread = (id: string) => unclear(id).length > 0;
    const open = [...grounded.missing, ...(rule.unless ?? []).filter((id) => !excluded.has(id) && unread(id))];
    const applies =
      excluded.size > 0 || !grounded.missing.every(unread) ? 'no' : open.length > 0 ? 'unknown' : 'yes';
    return { ...grounded, applies, excluded, open: applies === 'unknown' ? open : [] };
  };
  /** Rules in order: those that apply, then those that may, then the rest. */
  const byApplicability = <R>(a: Applicable<R>, b: Applicable<R>) => APPLIES[a.applies] - APPLIES[b.applies];
  const byCompleteness = <R>(a: Grounded<R>, b: Grounded<R>) =>
    Number(a.missing.length > 0) - Number(b.missing.length > 0) || a.missing.length - b.missing.length;

  /** The preference rules between two treatments, with whether each applies to this patient. */
  const comparable = (better: Treatment, worse: Treatment): Applicable<Preference>[] => {
    if (better.id === worse.id) return [];
    const betterNames = index.namesOf(better);
    const worseNames = index.namesOf(worse);
    return kb.preferences
      .filter((rule) => betterNames.has(rule.better) && worseNames.has(rule.worse))
      .map(applicability);
  };

  let proposals: Option[] | undefined;
  /** The treatments indicated for this patient; those a strong preference ranks below another go last,
   * so that a cap on the number of decisions never drops the better option while keeping the worse. */
  const rankProposals = (): Option[] => {
    const indicated = kb.treatments.filter(
      (treatment) => view.bestIndication(treatment)?.missing.length === 0,
    );
    const dominated = (t: Treatment) =>
      indicated.some((other) => view.preferences(other, t).some((p) => p.rule.strength === 'strong'));
    return [...indicated.filter((t) => !dominated(t)), ...indicated.filter(dominated)].map((treatment) => ({
      id: treatment.id,
      text: treatment.name,
    }));
  };

  const view: CaseView = {
    index,
    kase,
    facts,
    yesNoMaybe: kase.questionType === 'yes-no-maybe',
    coversQuestion: topicMode,
    present,
    unclear,
    silent,
    ground,
    applicability,
    contradicting,
    resolve(option) {
      if (view.yesNoMaybe) {
        const answer = [option.id, option.text]
          .map((s) => s.trim().toLowerCase())
          .find((s) => ANSWERS.has(s as Answer));
        return answer
          ? { option, answer: answer as Answer }
          : { option, problem: `option ${option.id} is not yes, no or maybe` };
      }
      return { option, ...index.treatmentOf(option) };
    },
    candidates(limit = Number.POSITIVE_INFINITY) {
      const given = candidateOptions(kase);
      if (given) return given;
      proposals ??= rankProposals();
      return proposals.slice(0, limit);
    },
    bestIndication(treatment) {
      return kb.indications
        .filter((rule) => rule.treatment === treatment.id && relevant(rule))
        .map(ground)
        .sort(byCompleteness)[0];
    },
    bestClaim(answer) {
      return kb.claims
        .filter(
          (rule) => rule.answer === answer && rule.question.every((p) => mentions(kase.question, p, true)),
        )
        .map(applicability)
        .sort(
          (a, b) =>
            Number(a.excluded.size > 0) - Number(b.excluded.size > 0) ||
            byApplicability(a, b) ||
            byCompleteness(a, b),
        )[0];
    },
    sideEffects(treatment) {
      const names = index.namesOf(treatment);
      return index.sideEffectRules
        .filter((rule) => names.has(rule.treatment))
        .map(ground)
        .filter((grounded) => grounded.missing.length === 0)
        .map((grounded): MatchedSideEffect => {
          const mitigable = grounded.rule.severity === 'moderate' || grounded.rule.severity === 'major';
          const mitigation = mitigable ? view.mitigation(treatment, grounded.rule.effect) : undefined;
          if (mitigation?.applies === 'unknown') return { ...grounded, openMitigation: mitigation };
          return { ...grounded, ...(mitigation ? { mitigation } : {}) };
        })
        .sort((a, b) => rank(a) - rank(b));
    },
    openSideEffects(treatment) {
      const names = index.namesOf(treatment);
      return index.sideEffectRules
        .filter((rule) => names.has(rule.treatment) && rule.severity !== 'minor' && rule.when.length > 0)
        .map(ground)
        .filter(
          (grounded) => grounded.missing.length > 0 && grounded.missing.every((id) => unclear(id).length > 0),
        )
        .sort((a, b) => rank({ ...a }) - rank({ ...b }));
    },
    mitigation(treatment, effect) {
      const names = index.namesOf(treatment);
      return kb.mitigations
        .filter(
          (rule) => rule.effect === effect && (rule.for.length === 0 || rule.for.some((id) => names.has(id))),
        )
        .map(applicability)
        .filter((rule) => rule.applies !== 'no')
        .sort(byApplicability)[0];
    },
    preferences(better, worse) {
      return comparable(better, worse).filter((rule) => rule.applies === 'yes');
    },
    openPreferences(better, worse) {
      return comparable(better, worse).filter((rule) => rule.applies === 'unknown');
    },
  };
  return view;
}
