/**
 * Turns a patient record into the questions argmed argues, one case each:
 *  - order-select / order-sign: for each draft medication order the knowledge base knows, "should this order
 *    be signed?", with the ordered drug and the alternatives the knowledge base names for the same
 *    indication as options (or "hold the order" when it names none);
 *  - patient-view: for each active condition the knowledge base treats, "which treatment?", with the
 *    treatments indicated for it, so that a current medication the argument defeats is flagged.
 * Facts get the knowledge base's concept ids added to their codes (matched by the back-end's own matcher),
 * so what the service reasons from is visible in the stored case.
 */
import { type Case, CaseSchema, MAX_TEXT } from '../../agents/case.js';
import type { DraftOrder, PatientRecord } from './fhir/patient-record.js';
import type { CdsFact } from './fhir/types.js';
import type { CdsKnowledge, HookRequest, KnownIndication, KnownTreatment } from './types.js';

/** The option that stands for "do not sign the order now" when the knowledge base names no alternative. */
export const HOLD_OPTION = { id: 'hold-order', text: 'Hold the order (do not sign it now)' } as const;
/** Most answer options of a question (the paper's cap on candidate decisions). */
export const MAX_OPTIONS = 4;
/** Most conditions reviewed at patient-view. */
export const MAX_REVIEWED_CONDITIONS = 2;
const MAX_FACT_CODES = 32;

/** One question to argue, with what the cards need to know about it. */
export interface CdsQuestion {
  kase: Case;
  /** The option under review: the ordered drug, or a current medication (patient-view). */
  subject?: { option: string; name: string; source: string };
  /** The draft order under review (order hooks). */
  order?: DraftOrder;
  /** The indication concept the options share, with its label. */
  indication?: { id: string; label: string };
  /** Option id -> the treatment it stands for (absent for the hold option). */
  treatments: Map<string, KnownTreatment>;
  /** The facts of the case by id, for provenance in cards. */
  facts: Map<string, CdsFact>;
}

/**
 * @param request the hook request (its hook decides the kind of question).
 * @param record the patient record read from FHIR.
 * @param knowledge the knowledge base lookups.
 * @param maxOrders most draft orders argued in one call.
 * @returns the questions, possibly none (then the service answers no cards).
 */
export function buildQuestions(
  request: HookRequest,
  record: PatientRecord,
  knowledge: CdsKnowledge,
  maxOrders: number,
): CdsQuestion[] {
  const facts = record.facts.map((fact) => enrich(fact, knowledge));
  const byId = new Map(facts.map((fact) => [fact.id, fact]));
  const present = new Set(facts.flatMap((fact) => fact.codes));
  // Problems are what a Condition or an order's stated reason says; demographics and labs never are.
  const problems = new Set(
    facts
      .filter((fact) => fact.id.startsWith('condition-') || fact.id.startsWith('order-'))
      .flatMap((f) => f.codes),
  );
  const context = { facts, byId, present, problems, knowledge };
  if (request.hook === 'patient-view') return reviewQuestions(record, context);
  return record.draftOrders
    .map((order) => orderQuestion(request.hook, order, context))
    .filter((question): question is CdsQuestion => question !== undefined)
    .slice(0, maxOrders);
}

interface QuestionContext {
  facts: CdsFact[];
  byId: Map<string, CdsFact>;
  present: Set<string>;
  problems: Set<string>;
  knowledge: CdsKnowledge;
}

/** Cuts a text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function enrich(fact: CdsFact, knowledge: CdsKnowledge): CdsFact {
  const codes = [...new Set([...knowledge.conceptsOf(fact), ...fact.codes])].slice(0, MAX_FACT_CODES);
  return { ...fact, text: clip(fact.text, MAX_TEXT), codes };
}

/** An option id within the case schema's 32 characters. */
function optionFor(treatment: KnownTreatment, index: number): { id: string; text: string } {
  return { id: treatment.id.length <= 32 ? treatment.id : `option-${index + 1}`, text: treatment.name };
}

/** The indication rule of the ordered drug that best fits the patient's problems. */
function bestIndication(rules: KnownIndication[], context: QuestionContext): KnownIndication | undefined {
  const score = (rule: KnownIndication) => {
    const problems = rule.when.filter((id) => context.problems.has(id)).length;
    const complete = rule.when.every((id) => context.present.has(id)) ? 1 : 0;
    return problems * 2 + complete;
  };
  const ranked = [...rules].sort((a, b) => score(b) - score(a));
  return ranked[0]?.when.some((id) => context.problems.has(id)) ? ranked[0] : undefined;
}

function orderQuestion(hook: string, order: DraftOrder, context: QuestionContext): CdsQuestion | undefined {
  const { knowledge } = context;
  const drug = knowledge.treatmentFor(order.concepts, order.name);
  if (!drug) return undefined;
  const rule = bestIndication(knowledge.indicationsOf(drug.id), context);
  const indicationId = rule?.when.find((id) => context.problems.has(id));
  const alternatives: KnownTreatment[] = [];
  for (const concept of rule?.when.filter((id) => context.problems.has(id)) ?? []) {
    for (const treatment of knowledge.treatmentsFor(concept)) {
      if (treatment.id !== drug.id && !alternatives.some((t) => t.id === treatment.id))
        alternatives.push(treatment);
    }
  }
  const chosen = [drug, ...alternatives].slice(0, MAX_OPTIONS);
  const options = chosen.map(optionFor);
  if (options.length < 2) options.push({ ...HOLD_OPTION });
  const treatments = new Map(chosen.map((t, i) => [options[i].id, t]));
  const indication = indicationId ? { id: indicationId, label: knowledge.label(indicationId) } : undefined;
  const forWhat = indication ? ` for ${indication.label}` : '';
  const name = clip(order.name, 200);
  const instead = alternatives.length > 0 ? 'one of the alternatives' : 'holding it';
  const question =
    hook === 'order-select'
      ? `The clinician selected ${name}${forWhat}: is it the right choice, or is ${instead} better?`
      : `Should the draft order for ${name}${forWhat} be signed, or is ${instead} better?`;
  const kase = CaseSchema.parse({
    title: `CDS Hooks ${hook}: ${drug.name}`,
    facts: context.facts,
    question,
    options,
    goal: rule?.goal,
  });
  return {
    kase,
    subject: { option: options[0].id, name: order.name, source: order.source },
    order,
    indication,
    treatments,
    facts: context.byId,
  };
}

function reviewQuestions(record: PatientRecord, context: QuestionContext): CdsQuestion[] {
  const { knowledge } = context;
  const questions: CdsQuestion[] = [];
  const reviewed = new Set<string>();
  for (const fact of context.facts.filter((f) => f.id.startsWith('condition-'))) {
    for (const concept of fact.codes) {
      if (reviewed.has(concept) || questions.length >= MAX_REVIEWED_CONDITIONS) continue;
      const indicated = knowledge
        .treatmentsFor(concept)
        .filter((t) =>
          knowledge.indicationsOf(t.id).some((rule) => rule.when.every((id) => context.present.has(id))),
        );
      if (indicated.length < 2) continue;
      reviewed.add(concept);
      const chosen = indicated.slice(0, MAX_OPTIONS);
      const options = chosen.map(optionFor);
      const treatments = new Map(chosen.map((t, i) => [options[i].id, t]));
      const label = knowledge.label(concept);
      const current = record.currentMedications
        .map((med) => ({ med, treatment: knowledge.treatmentFor(med.concepts, med.name) }))
        .find(({ treatment }) => treatment && treatments.has(treatment.id));
      const rule = knowledge.indicationsOf(chosen[0].id).find((r) => r.when.includes(concept));
      const kase = CaseSchema.parse({
        title: `CDS Hooks patient-view: ${label}`,
        facts: context.facts,
        question: `Which treatment is best justified for ${label} in this patient?`,
        options,
        goal: rule?.goal,
      });
      const currentOption = [...treatments].find(([, t]) => t.id === current?.treatment?.id)?.[0];
      questions.push({
        kase,
        subject:
          current && currentOption
            ? { option: currentOption, name: current.med.name, source: current.med.source }
            : undefined,
        indication: { id: concept, label },
        treatments,
        facts: context.byId,
      });
    }
  }
  return questions;
}
