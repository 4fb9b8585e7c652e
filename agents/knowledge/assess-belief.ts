/**
 * Answers the critical questions of the belief schemes about the case and the evidence:
 *  - FACT (the case does not state P): fails, with a CITE counter, when a fact does state P after all;
 *  - CITE (fact E states P): fails when E is a fact of the case that does not state P;
 *  - EVID (the evidence does not establish P): the knowledge base can only confirm it, since it would have
 *    argued from a rule had one applied.
 * Claims the knowledge base has no concept for pass with a reason saying so: it raises no challenge it
 * cannot ground.
 */
import type { Assessment } from './assessment.js';
import type { CaseView } from './case-view.js';
import { citeDraft, evidenceDraft } from './drafts.js';
import { factStates } from './match-concept.js';

/** FACT: is P stated in the case after all? */
export function assessFact(view: CaseView, variables: Record<string, string>): Assessment {
  const claim = variables.P ?? '';
  const concept = view.index.conceptNamed(claim);
  if (!concept) {
    return {
      'stated-elsewhere': {
        verdict: 'pass',
        reason: `The knowledge base has no concept "${claim}" to look for in the case.`,
      },
    };
  }
  const facts = view.present(concept.id);
  if (facts.length > 0) {
    return {
      'stated-elsewhere': {
        verdict: 'fail',
        reason: `Fact ${facts.join(', ')} of the case states ${concept.label}.`,
        counter: citeDraft(facts[0], claim),
      },
    };
  }
  const codes = [concept.id, ...concept.codes].join(', ');
  return {
    'stated-elsewhere': {
      verdict: 'pass',
      reason: `No fact of the case states ${concept.label} (looked for codes ${codes} and its phrases).`,
    },
  };
}

/** CITE: does fact E state P? */
export function assessCite(view: CaseView, variables: Record<string, string>): Assessment {
  const fact = view.facts.find((f) => f.id === variables.E);
  const concept = view.index.conceptNamed(variables.P ?? '');
  if (!fact || !concept) {
    return {
      reliable: { verdict: 'pass', reason: `The knowledge base cannot assess the source ${variables.E}.` },
    };
  }
  if (factStates(fact, concept)) {
    return { reliable: { verdict: 'pass', reason: `Fact ${fact.id} of the case states ${concept.label}.` } };
  }
  const reason = `Fact ${fact.id} of the case does not state ${concept.label}.`;
  return {
    reliable: {
      verdict: 'fail',
      reason,
      counter: evidenceDraft(`fact ${fact.id} states ${concept.label}`, reason),
    },
  };
}

/** EVID: was evidence for P overlooked? */
export function assessEvidence(_view: CaseView, variables: Record<string, string>): Assessment {
  return {
    overlooked: {
      verdict: 'pass',
      reason: `No rule of the knowledge base that applies to this patient establishes that ${variables.P}.`,
    },
  };
}
