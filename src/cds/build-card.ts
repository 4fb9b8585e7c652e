/**
 * Turns one argued question into a CDS Hooks card:
 *  - indicator `critical` when the option under review (the ordered drug, or a current medication) is
 *    defeated by a side-effect argument grounded in an allergy (a fact read from an AllergyIntolerance) or
 *    in a contraindication of the knowledge base; `warning` when the argument leaves it undecided or
 *    justifies no option; `info` otherwise;
 *  - summary under 140 characters, Markdown detail with the decision's justification and the defeat of
 *    each rejected option (patient data cited with its FHIR reference);
 *  - suggestions that replace the draft order by the better-justified option (delete + create), with
 *    `selectionBehavior: at-most-one`; override reasons; a link to the case's argument-graph page.
 */
import { randomUUID } from 'node:crypto';
import type { ArgumentNode, DeliberationResult } from '../engine/types.js';
import { type CdsQuestion, HOLD_OPTION } from './build-questions.js';
import { codingFor, RXNORM } from './fhir/concept-map.js';
import { escapeMarkdown, summaryText } from './markdown.js';
import type { Action, Card, CdsKnowledge, Coding, HookRequest, Suggestion } from './types.js';

/** The code system of card topics. */
export const TOPIC_SYSTEM = 'urn:argmed:cds:topic';
/** The CDS Hooks code system of non-adherence (override) reasons. */
export const OVERRIDE_SYSTEM = 'http://cds-hooks.hl7.org/CodeSystem/non-adherence-reason';
/** argmed's own override reasons. */
export const ARGMED_OVERRIDE_SYSTEM = 'urn:argmed:cds:override-reason';
const MAX_DETAIL = 6000;

/** Override reasons offered on cards that advise against an order or flag a risk. */
export const OVERRIDE_REASONS: Array<Coding & { display: string }> = [
  {
    system: ARGMED_OVERRIDE_SYSTEM,
    code: 'record-not-applicable',
    display: 'The allergy or contraindication on record does not apply to this patient',
  },
  {
    system: OVERRIDE_SYSTEM,
    code: 'action-performed-no-adverse-effect',
    display: 'Intended action was performed previously without adverse effect',
  },
  {
    system: OVERRIDE_SYSTEM,
    code: 'risk-benefit-ratio',
    display: 'Recipient assessment of risk/benefit ratio',
  },
  {
    system: OVERRIDE_SYSTEM,
    code: 'expert-contradicts',
    display: 'Advice from expert contradicts the recommended action',
  },
  {
    system: OVERRIDE_SYSTEM,
    code: 'need-more-info',
    display:
      'Could not address recommended action due to need for more information/pending results/pending consult',
  },
  {
    system: OVERRIDE_SYSTEM,
    code: 'prefers-alternative',
    display: 'Patient prefers an alternative approach or treatment',
  },
];

export interface CardInput {
  question: CdsQuestion;
  result: DeliberationResult;
  request: HookRequest;
  knowledge: CdsKnowledge;
  /** Absolute URL of the case's graph page, when the case was stored. */
  caseUrl?: string;
  /** Absolute URL of the service's documentation (the card's source). */
  docsUrl?: string;
  /** Parts of the patient record the client did not give (`allergies`): said on the card, never read as none. */
  unavailable?: readonly string[];
}

/**
 * @returns the card, or undefined when the deliberation failed (no guidance beats a wrong one).
 * Cost: O(arguments + attacks) of the result.
 */
export function buildCard(input: CardInput): Card | undefined {
  const { question, result } = input;
  // argmed writes the hook's questions itself, never in the negative, so a refused question is a failure here.
  if (result.status === 'failed' || result.status === 'unsupported-question') return undefined;
  const nodes = new Map(result.graph.nodes.map((node) => [node.id, node]));
  const subject = question.subject;
  const rejection = subject ? result.rejected.find((r) => r.option === subject.option) : undefined;
  const harms = (rejection?.defeaters ?? [])
    .map((id) => nodes.get(id))
    .filter((node): node is ArgumentNode => node !== undefined && isGroundedHarm(node, input));
  const allergiesUnknown = input.unavailable?.includes('allergies') ?? false;
  // Without the allergy list a decision is not cleared of allergies: at least a warning, never "info".
  const indicator: Card['indicator'] =
    harms.length > 0 ? 'critical' : result.status === 'decided' && !allergiesUnknown ? 'info' : 'warning';
  const suggestions = suggestionsFor(input, harms.length > 0);
  const card: Card = {
    uuid: randomUUID(),
    summary: summaryText(summaryFor(input, harms)),
    detail: detailFor(input, nodes),
    indicator,
    source: {
      label: 'argmed: argued decision support',
      ...(input.docsUrl ? { url: input.docsUrl } : {}),
      topic: topicFor(input, harms.length > 0),
    },
  };
  if (suggestions.length > 0) {
    card.suggestions = suggestions;
    card.selectionBehavior = 'at-most-one';
  }
  if (indicator !== 'info' || suggestions.length > 0) {
    card.overrideReasons = harms.length > 0 ? OVERRIDE_REASONS : OVERRIDE_REASONS.slice(1);
  }
  if (input.caseUrl) {
    card.links = [{ label: 'Argument graph and full explanation', url: input.caseUrl, type: 'absolute' }];
  }
  return card;
}

/** A side-effect argument resting on an allergy record or on a contraindication of the knowledge base. */
function isGroundedHarm(node: ArgumentNode, input: CardInput): boolean {
  if (node.scheme !== 'ASSE') return false;
  const fromAllergy = (node.facts ?? []).some((id) =>
    input.question.facts.get(id)?.source.startsWith('AllergyIntolerance/'),
  );
  const { D, S } = node.variables;
  return fromAllergy || (D !== undefined && S !== undefined && input.knowledge.isContraindication(D, S));
}

function optionName(question: CdsQuestion, id: string | undefined): string {
  if (id === undefined) return 'no option';
  return question.kase.options?.find((option) => option.id === id)?.text ?? id;
}

function summaryFor(input: CardInput, harms: ArgumentNode[]): string {
  const { question, result } = input;
  const subject = question.subject;
  const forWhat = question.indication ? ` for ${question.indication.label}` : '';
  const decided = result.status === 'decided' ? result.decision?.option : undefined;
  const better =
    decided && decided !== subject?.option && decided !== HOLD_OPTION.id
      ? optionName(question, decided)
      : undefined;
  if (harms.length > 0 && subject) {
    const why = harms[0].variables.F ?? 'a recorded allergy or contraindication';
    const verb = question.order ? 'Do not sign' : 'Review';
    return `${verb} ${subject.name}: conflicts with ${why}${better ? `; ${better} is better justified` : ''}`;
  }
  if (result.status === 'undecided') {
    const tied = (result.tied ?? []).map((id) => optionName(question, id)).join(' vs ');
    return `argmed could not choose${forWhat}: ${tied || 'options tied'}; review the arguments`;
  }
  if (result.status === 'insufficient-knowledge' || result.status === 'incomplete') {
    const count = result.openQuestions?.length ?? 0;
    const points = `${count} point${count === 1 ? '' : 's'}`;
    return result.status === 'incomplete'
      ? `No recommendation${forWhat}: the argument is incomplete (${points} not verified); ask again or review`
      : `No recommendation${forWhat}: open questions remain; confirm ${points} first`;
  }
  if (result.status === 'no-justified-decision') {
    return `No option${forWhat} survives the argument${subject ? `, ${subject.name} included` : ''}; review the case`;
  }
  if (subject && better) return `${better} is better justified than ${subject.name}${forWhat}`;
  if (subject && decided === HOLD_OPTION.id)
    return `Holding ${subject.name} is better justified than signing it`;
  if (subject) return `${subject.name}${forWhat}: justified, no better-justified alternative found`;
  return `${optionName(question, decided)} is the best-justified treatment${forWhat}`;
}

function topicFor(input: CardInput, harmful: boolean): Coding {
  if (harmful) return { system: TOPIC_SYSTEM, code: 'medication-safety', display: 'Medication safety' };
  if (input.question.order) return { system: TOPIC_SYSTEM, code: 'order-review', display: 'Order review' };
  return { system: TOPIC_SYSTEM, code: 'treatment-review', display: 'Treatment review' };
}

function outcomeLine(input: CardInput): string {
  const { question, result } = input;
  const name = (id: string) => `**${escapeMarkdown(optionName(question, id))}**`;
  if (result.status === 'decided' && result.decision) return `Decided: ${name(result.decision.option)}.`;
  if (result.status === 'undecided')
    return `Undecided between ${(result.tied ?? []).map(name).join(' and ')}.`;
  if (result.status === 'insufficient-knowledge')
    return 'No recommendation: open questions the knowledge could not answer (confirm them below).';
  if (result.status === 'incomplete')
    return 'No recommendation: some arguments could not be verified (calls failed or a budget was reached).';
  return 'No option is justified: every option is defeated (often a sign of missing or conflicting data).';
}

/** The Markdown detail: outcome, justification, rejected options and the patient data they rest on. */
function detailFor(input: CardInput, nodes: Map<string, ArgumentNode>): string {
  const { question, result } = input;
  const text = (id: string) => escapeMarkdown(nodes.get(id)?.text ?? id);
  const cited = new Set<string>();
  const cite = (id: string) => {
    for (const fact of nodes.get(id)?.facts ?? []) cited.add(fact);
  };
  const lines = [
    `**Question.** ${escapeMarkdown(question.kase.question)}`,
    '',
    `**Outcome.** ${outcomeLine(input)}`,
  ];
  if (input.unavailable?.includes('allergies')) {
    lines.push(
      '',
      '**Allergies not checked.** The allergy list was not available to this service, so this answer does not ' +
        'account for allergies; check them before acting.',
    );
  }
  if (result.decision) {
    cite(result.decision.argument);
    lines.push('', '**Why.**', `- ${text(result.decision.argument)}`);
    for (const step of result.justification) {
      cite(step.attacker);
      cite(step.defeater);
      lines.push(`- Challenge: ${text(step.attacker)} — answered by: ${text(step.defeater)}`);
    }
  }
  if (result.decision && result.assumedAbsent && result.assumedAbsent.length > 0) {
    lines.push(
      '',
      `**Taken as absent** (no patient data mentions them; confirm before acting): ${escapeMarkdown(result.assumedAbsent.join('; '))}.`,
    );
  }
  const open = result.openQuestions ?? [];
  const gaps = open.filter((q) => q.cause === 'unknown' || q.cause === 'no-counter');
  const unverified = open.filter((q) => !gaps.includes(q));
  if (unverified.length > 0) {
    lines.push('', '**Not verified** (asking again may complete it).');
    for (const q of unverified) lines.push(`- ${text(q.argument)}: ${escapeMarkdown(q.reason)}`);
  }
  if (open.length > 0) lines.push('', '**To confirm before acting.**');
  for (const q of gaps) {
    for (const fact of q.facts ?? []) cited.add(fact);
    lines.push(`- ${escapeMarkdown(q.settle)}`);
  }
  for (const pending of result.pending ?? []) {
    const name = escapeMarkdown(optionName(question, pending.option));
    lines.push(`- **${name}** would be justified if: ${escapeMarkdown(pending.justifiedIf.join('; and '))}`);
  }
  if (result.rejected.length > 0) {
    lines.push('', '**Rejected or open options.**');
    for (const rejected of result.rejected) {
      const name = escapeMarkdown(optionName(question, rejected.option));
      if (rejected.defeaters.length === 0) {
        const why = result.status === 'undecided' ? 'tied with another option' : 'open questions remain';
        lines.push(`- **${name}**: undecided (${why}).`);
        continue;
      }
      rejected.defeaters.forEach(cite);
      lines.push(`- **${name}**: ${rejected.defeaters.map(text).join('; ')}`);
    }
  }
  const facts = [...cited].map((id) => question.facts.get(id)).filter((fact) => fact !== undefined);
  if (facts.length > 0) {
    // Each with its id, which the lines above use to point at it ("rule out pregnancy (see condition-4)").
    lines.push('', '**Patient data used.**');
    for (const fact of facts)
      lines.push(`- ${escapeMarkdown(fact.id)}: ${escapeMarkdown(fact.text)} (\`${escapeMarkdown(fact.source)}\`)`);
  }
  if (result.budgetsHit.length > 0) {
    lines.push(
      '',
      `_The argument stopped at its budget (${result.budgetsHit.join(', ')}); it may be incomplete._`,
    );
  }
  const detail = lines.join('\n');
  return detail.length <= MAX_DETAIL ? detail : `${detail.slice(0, MAX_DETAIL - 1)}…`;
}

/** Suggestions of the order hooks: replace the draft order by the better-justified option(s). */
function suggestionsFor(input: CardInput, harmful: boolean): Suggestion[] {
  const { question, result } = input;
  const order = question.order;
  const subject = question.subject;
  if (!order || !subject) return [];
  const suggestions: Suggestion[] = [];
  const decided = result.status === 'decided' ? result.decision?.option : undefined;
  const candidates = decided ? [decided] : result.status === 'undecided' ? (result.tied ?? []) : [];
  for (const option of candidates.filter((id) => id !== subject.option)) {
    const actions = replaceActions(input, option);
    if (actions.length === 0) continue;
    const label =
      option === HOLD_OPTION.id
        ? `Remove the draft order for ${subject.name}`
        : `Replace ${subject.name} with ${optionName(question, option)}`;
    suggestions.push({
      label: summaryText(label, 120),
      uuid: randomUUID(),
      isRecommended: option === decided,
      actions,
    });
  }
  if (suggestions.length === 0 && harmful && order.request.id) {
    suggestions.push({
      label: summaryText(`Remove the draft order for ${subject.name}`, 120),
      uuid: randomUUID(),
      isRecommended: true,
      actions: replaceActions(input, HOLD_OPTION.id),
    });
  }
  return suggestions;
}

/** Delete the draft order (when it has an id to name) and create the replacement as a draft. */
function replaceActions(input: CardInput, option: string): Action[] {
  const { question, request } = input;
  const order = question.order;
  if (!order || !question.subject) return [];
  const actions: Action[] = [];
  if (order.request.id) {
    actions.push({
      type: 'delete',
      description: `Remove the draft order for ${question.subject.name}`,
      resourceId: `MedicationRequest/${order.request.id}`,
    });
  }
  const treatment = question.treatments.get(option);
  if (option === HOLD_OPTION.id || !treatment) return actions;
  const coding = codingFor('medication', treatment.id);
  const draft = order.request;
  const resource: Record<string, unknown> = {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: draft.intent || 'order',
    medicationCodeableConcept: {
      ...(coding && coding.system === RXNORM ? { coding: [coding] } : {}),
      text: treatment.name,
    },
    subject: draft.subject ?? { reference: `Patient/${request.context.patientId}` },
    note: [
      {
        text: `Suggested by argmed in place of ${question.subject.name}; dose, route and duration are for the prescriber to set.`,
      },
    ],
  };
  if (draft.encounter) resource.encounter = draft.encounter;
  else if (request.context.encounterId)
    resource.encounter = { reference: `Encounter/${request.context.encounterId}` };
  if (draft.requester) resource.requester = draft.requester;
  if (draft.reasonCode && draft.reasonCode.length > 0) resource.reasonCode = draft.reasonCode;
  actions.push({
    type: 'create',
    description: `Order ${treatment.name} instead (as a draft to complete)`,
    resource: resource as Action['resource'],
  });
  return actions;
}
