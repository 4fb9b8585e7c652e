/**
 * Indexes a validated knowledge base once: look-ups by id, contraindications merged into the side-effect
 * rules (as severity `contraindicated`), and the resolution of an option's text to a treatment.
 */
import type { NormalisedFact, Option } from '../case.js';
import { type ConceptReading, mentions, readConcept } from './match-concept.js';
import { routeOf } from './route-of.js';
import type { Concept, KnowledgeBase, SideEffect, Treatment } from './types.js';

/** A side-effect rule; contraindications appear here with severity `contraindicated`. */
export type SideEffectRule = SideEffect;

/** Look-ups over one knowledge base, built once by `indexKnowledgeBase`. */
export interface KnowledgeIndex {
  readonly kb: KnowledgeBase;
  readonly sideEffectRules: readonly SideEffectRule[];
  concept(id: string): Concept | undefined;
  /** A concept by id or by label (case-insensitive). */
  conceptNamed(idOrLabel: string): Concept | undefined;
  treatment(id: string): Treatment | undefined;
  /** Readable name of a treatment or class id (the id itself when unknown). */
  nameOf(id: string): string;
  effectLabel(id: string): string;
  conceptLabel(id: string): string;
  /** The ids a rule may use to name this treatment: its own and its classes'. */
  namesOf(treatment: Treatment): Set<string>;
  matchConcept(facts: readonly NormalisedFact[], conceptId: string): string[];
  /** What the facts say about a concept: present, ruled out, or unclear (not assessed). */
  readConcept(facts: readonly NormalisedFact[], conceptId: string): ConceptReading;
  /** The treatment an option stands for: by id, else the one treatment its text names. */
  treatmentOf(option: Option): { treatment?: Treatment; problem?: string };
}

/**
 * Indexes a knowledge base. O(size of the knowledge base).
 * @param kb a knowledge base validated by `KnowledgeBaseSchema` (its references are trusted).
 */
export function indexKnowledgeBase(kb: KnowledgeBase): KnowledgeIndex {
  const concepts = new Map(kb.concepts.map((c) => [c.id, c]));
  const labels = new Map(kb.concepts.map((c) => [c.label.toLowerCase(), c]));
  const treatments = new Map(kb.treatments.map((t) => [t.id, t]));
  const classes = new Map(kb.classes.map((c) => [c.id, c]));
  const effects = new Map(kb.effects.map((e) => [e.id, e]));
  /** Names of a class's or a treatment's members (for allergy concepts). */
  const allergens = (id: string): string[] => {
    const names = new Set<string>();
    const add = (member: Treatment) => {
      for (const name of [member.name, ...member.synonyms]) names.add(name);
    };
    const treatment = treatments.get(id);
    if (treatment) add(treatment);
    const cls = classes.get(id);
    if (cls) {
      names.add(cls.name);
      for (const member of cls.members) names.add(member);
      for (const member of kb.treatments) if (member.classes.includes(id)) add(member);
    }
    return [...names];
  };
  const allergenNames = new Map(
    kb.concepts.filter((c) => c.allergyTo !== undefined).map((c) => [c.id, allergens(c.allergyTo!)]),
  );
  const read = (facts: readonly NormalisedFact[], conceptId: string): ConceptReading => {
    const concept = concepts.get(conceptId);
    if (!concept) return { present: [], absent: [], unclear: [] };
    return readConcept(facts, concept, allergenNames.get(conceptId) ?? []);
  };
  const sideEffectRules: SideEffectRule[] = [
    ...kb.sideEffects,
    ...kb.contraindications.map((rule) => ({ ...rule, severity: 'contraindicated' as const })),
  ];
  return {
    kb,
    sideEffectRules,
    concept: (id) => concepts.get(id),
    conceptNamed: (name) => concepts.get(name) ?? labels.get(name.trim().toLowerCase()),
    treatment: (id) => treatments.get(id),
    nameOf: (id) => treatments.get(id)?.name ?? classes.get(id)?.name ?? id,
    effectLabel: (id) => effects.get(id)?.label ?? id,
    conceptLabel: (id) => concepts.get(id)?.label ?? id,
    namesOf: (treatment) => new Set([treatment.id, ...treatment.classes]),
    matchConcept: (facts, conceptId) => read(facts, conceptId).present,
    readConcept: read,
    treatmentOf(option) {
      const route = routeOf(option.text);
      const onRoute = (t: Treatment): { treatment?: Treatment; problem?: string } =>
        route === undefined || t.routes.includes(route)
          ? { treatment: t }
          : {
              problem: `option ${option.id} is ${route} ${t.name}; the knowledge base's rules about ${t.name} are for the ${t.routes.join(' or ')} route`,
            };
      const byId = treatments.get(option.id.trim().toLowerCase());
      if (byId) return onRoute(byId);
      const named = kb.treatments.filter((t) =>
        [t.name, ...t.synonyms].some((n) => mentions(option.text, n, true)),
      );
      if (named.length === 1) return onRoute(named[0]);
      if (named.length === 0)
        return { problem: `option ${option.id} names no treatment the knowledge base knows` };
      const list = named.map((t) => t.name).join(', ');
      return {
        problem: `option ${option.id} names several treatments (${list}); rules cover single treatments`,
      };
    },
  };
}
