/**
 * The knowledge base as the CDS layer reads it (`CdsKnowledge`), on top of the knowledge back-end's index:
 * concept matching is the back-end's own (`factStates`), so a fact the CDS layer codes is read the same
 * way by the agents that argue over it.
 */
import type { KnowledgeIndex } from '../../agents/knowledge/knowledge-index.js';
import { factStates, mentions } from '../../agents/knowledge/match-concept.js';
import type { CdsKnowledge, KnownIndication, KnownTreatment } from './types.js';

/**
 * @param index the indexed knowledge base (`indexKnowledgeBase(kb)`).
 * Cost: `conceptsOf` is O(concepts × phrases) per fact; the rest O(rules).
 */
export function knowledgeLookup(index: KnowledgeIndex): CdsKnowledge {
  const kb = index.kb;
  const treatments: KnownTreatment[] = kb.treatments.map((t) => ({ id: t.id, name: t.name }));
  const indications: KnownIndication[] = kb.indications.map((r) => ({
    treatment: r.treatment,
    when: r.when,
    goal: r.goal,
  }));
  const vocabulary = {
    treatments: kb.treatments.map((t) => t.id),
    indications: [...new Set(kb.indications.flatMap((r) => r.when))],
  };
  // Only the concepts questions are built from (indications' conditions) are matched here: the agents match
  // every other concept themselves, and matching is the costly part of a call.
  const questionConcepts = kb.concepts.filter((concept) => vocabulary.indications.includes(concept.id));
  return {
    conceptsOf(fact) {
      return questionConcepts.filter((concept) => factStates(fact, concept)).map((concept) => concept.id);
    },
    treatmentFor(codes, name) {
      const byCode = codes.map((code) => index.treatment(code)).find(Boolean);
      if (byCode) return { id: byCode.id, name: byCode.name };
      const named = kb.treatments.filter((t) => [t.name, ...t.synonyms].some((n) => mentions(name, n)));
      return named.length === 1 ? { id: named[0].id, name: named[0].name } : undefined;
    },
    indicationsOf: (treatment) => indications.filter((rule) => rule.treatment === treatment),
    treatmentsFor(concept) {
      const ids = new Set(
        indications.filter((rule) => rule.when.includes(concept)).map((rule) => rule.treatment),
      );
      return treatments.filter((t) => ids.has(t.id));
    },
    isContraindication(treatment, effect) {
      const known = index.treatment(treatment);
      if (!known) return false;
      const names = index.namesOf(known);
      return index.sideEffectRules.some(
        (rule) => rule.effect === effect && names.has(rule.treatment) && rule.severity === 'contraindicated',
      );
    },
    label: (id) => (index.treatment(id) ? index.nameOf(id) : index.conceptLabel(id)),
    vocabulary: () => vocabulary,
  };
}
