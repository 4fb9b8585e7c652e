/**
 * Contracts of the knowledge back-end: the knowledge-base format (documented in docs/knowledge-format.md)
 * as zod schemas, with the cross-references between sections checked once at load time so that the
 * reasoning code can trust every id it follows.
 */
import { z } from 'zod';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case kebab-case id such as "penicillin-allergy"');
const Text = z.string().trim().min(1);
const Ids = z.array(Id).default([]);

/** The source of a regular expression, checked to compile. */
const RegexSource = z
  .string()
  .min(1)
  .refine(
    (source) => {
      try {
        new RegExp(source, 'iu');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'a valid regular expression' },
  );

/** A numeric finding read from fact text, e.g. `eGFR 24` or `CHA2DS2-VASc score 4`. */
export const MeasureSchema = z
  .object({
    /** Names the number follows (`eGFR 24`) or precedes joined by a space or hyphen (`72-year-old`). */
    names: z.array(Text).min(1),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
  })
  .strict()
  .refine((m) => [m.lt, m.lte, m.gt, m.gte].some((bound) => bound !== undefined), {
    message: 'a measure needs at least one bound (lt, lte, gt or gte)',
  });

/** A patient finding that rules refer to: matched by code, by phrase, or by a measured value. */
export const ConceptSchema = z
  .object({
    id: Id,
    label: Text,
    synonyms: z.array(Text).default([]),
    /** Further codes that mean this concept (e.g. SNOMED CT ids); the id itself always matches. */
    codes: z.array(Text).default([]),
    measure: MeasureSchema.optional(),
    /** Regular expressions (case-insensitive) for notations a phrase cannot express (`G2P1 at 28 weeks`). */
    patterns: z.array(RegexSource).default([]),
    /**
     * Qualitative tests whose result states or rules out the concept (`pregnancy test`, `hCG`): positive states
     * it, negative rules it out, a test named without a result is "not assessed".
     */
    tests: z.array(Text).default([]),
    /** Words of the concept's topic: a fact using one without a clear reading is "not assessed" for it. */
    cues: z.array(Text).default([]),
    /** Phrases that, stated of the patient, rule the concept out ("non-valvular" for a mechanical valve). */
    ruledOutBy: z.array(Text).default([]),
    /** Regular expressions for what a phrase cannot say ("49M", "Sex: M" rule out a pregnancy), read the same way. */
    ruledOutByPatterns: z.array(RegexSource).default([]),
    /** `current`: only a present-day mention states it (active bleeding, pregnancy); `any`: history counts too. */
    timing: z.enum(['current', 'any']).default('any'),
    /** An allergy to this class or treatment id: stated by an allergy or reaction word with any member's name. */
    allergyTo: Id.optional(),
  })
  .strict();

/** A group of treatments that rules can name at once (`nsaid`, `anticoagulant`). */
export const ClassSchema = z
  .object({
    id: Id,
    name: Text,
    /** Names (generic and brand) of members beyond the treatments that list the class. */
    members: z.array(Text).default([]),
  })
  .strict();

/** A treatment options can name, by id, name or synonym. */
export const TreatmentSchema = z
  .object({
    id: Id,
    name: Text,
    synonyms: z.array(Text).default([]),
    classes: Ids,
    /** Routes the rules about it are written for; an option naming another route is not this treatment. */
    routes: z.array(z.enum(['oral', 'topical', 'parenteral', 'inhaled'])).default(['oral']),
  })
  .strict();

/** A harm a treatment can cause (`major-bleeding`); side effects and mitigations name it. */
export const EffectSchema = z.object({ id: Id, label: Text }).strict();

/** When a treatment serves a goal: the findings that must be present, and the evidence. */
export const IndicationSchema = z
  .object({
    id: Id,
    treatment: Id,
    /** The goal as a noun phrase: "cure of community-acquired pneumonia". */
    goal: Text,
    /** Words of a question this indication answers (any one suffices); none: any question. */
    topics: z.array(Text).default([]),
    /** Concepts that must all be present in the case. */
    when: z.array(Id).min(1),
    evidence: Text,
    source: Text,
  })
  .strict();

/** How much a side effect weighs; `contraindicated` is never mitigated. */
export const SeveritySchema = z.enum(['minor', 'moderate', 'major', 'contraindicated']);

/** A harm of a treatment (or class) that matters for patients with the `when` findings. */
export const SideEffectSchema = z
  .object({
    id: Id,
    /** A treatment id or a class id. */
    treatment: Id,
    effect: Id,
    /** Concepts that make the effect matter for a patient (all must be present); none: every patient. */
    when: Ids,
    severity: SeveritySchema,
    note: Text.optional(),
    source: Text,
  })
  .strict();

/** A contraindication: a side-effect rule of severity `contraindicated`, written without the severity. */
export const ContraindicationSchema = SideEffectSchema.omit({ severity: true });

/** A measure that makes a side effect acceptable, for some treatments, under some conditions. */
export const MitigationSchema = z
  .object({
    id: Id,
    effect: Id,
    /** The measure, as a clinician would write it: "co-prescribe a proton pump inhibitor". */
    measure: Text,
    /** Treatments or classes it applies to; none: any treatment with the effect. */
    for: Ids,
    when: Ids,
    unless: Ids,
    source: Text,
  })
  .strict();

/** One treatment (or class) achieves a goal better than another on a criterion. */
export const PreferenceSchema = z
  .object({
    id: Id,
    /** Treatment or class ids. */
    better: Id,
    worse: Id,
    goal: Text,
    criterion: Text,
    when: Ids,
    unless: Ids,
    /**
     * `strong`: the worse option should not normally be chosen when the better one is available, so the
     * decision argument's "alternatives" question fails during the dialogue. `conditional`: both are
     * reasonable; the preference only breaks a tie between otherwise acceptable options.
     */
    strength: z.enum(['strong', 'conditional']).default('conditional'),
    source: Text,
  })
  .strict();

/** The answers of a yes/no/maybe question. */
export const AnswerSchema = z.enum(['yes', 'no', 'maybe']);

/** A rule for yes/no/maybe questions: a question it answers, the answer, and the findings it rests on. */
export const ClaimSchema = z
  .object({
    id: Id,
    /** Phrases that must all appear in the question. */
    question: z.array(Text).min(1),
    answer: AnswerSchema,
    /** Supporting findings: all must be present. */
    when: z.array(Id).min(1),
    /** Contradicting findings: any one present defeats the claim. */
    unless: Ids,
    evidence: Text,
    source: Text,
  })
  .strict();

const KnowledgeBaseShape = z
  .object({
    version: z.literal(1),
    title: Text.optional(),
    concepts: z.array(ConceptSchema).default([]),
    classes: z.array(ClassSchema).default([]),
    treatments: z.array(TreatmentSchema).default([]),
    effects: z.array(EffectSchema).default([]),
    indications: z.array(IndicationSchema).default([]),
    sideEffects: z.array(SideEffectSchema).default([]),
    contraindications: z.array(ContraindicationSchema).default([]),
    mitigations: z.array(MitigationSchema).default([]),
    preferences: z.array(PreferenceSchema).default([]),
    claims: z.array(ClaimSchema).default([]),
  })
  .strict();

type Shape = z.output<typeof KnowledgeBaseShape>;
type Issue = { path: (string | number)[]; message: string };

/** Reports every reference to an id that the knowledge base does not define, and every duplicate id. */
function checkReferences(kb: Shape): Issue[] {
  const issues: Issue[] = [];
  const concepts = new Set(kb.concepts.map((c) => c.id));
  const classes = new Set(kb.classes.map((c) => c.id));
  const treatments = new Set(kb.treatments.map((t) => t.id));
  const effects = new Set(kb.effects.map((e) => e.id));
  const either = new Set([...classes, ...treatments]);
  const unique = (section: keyof Shape, items: { id: string }[], seen = new Map<string, string>()) => {
    items.forEach((item, index) => {
      const first = seen.get(item.id);
      if (first)
        issues.push({ path: [section, index, 'id'], message: `duplicate id "${item.id}" (also ${first})` });
      else seen.set(item.id, `${section}/${index}`);
    });
    return seen;
  };
  const ref = (known: Set<string>, what: string, path: (string | number)[], id: string) => {
    if (!known.has(id)) issues.push({ path, message: `unknown ${what} "${id}"` });
  };
  const refs = (known: Set<string>, what: string, path: (string | number)[], ids: string[]) => {
    ids.forEach((id, i) => {
      ref(known, what, [...path, i], id);
    });
  };

  unique('concepts', kb.concepts);
  unique('effects', kb.effects);
  const products = unique('classes', kb.classes);
  unique('treatments', kb.treatments, products);
  const rules = new Map<string, string>();
  for (const section of [
    'indications',
    'sideEffects',
    'contraindications',
    'mitigations',
    'preferences',
    'claims',
  ] as const) {
    unique(section, kb[section], rules);
  }
  kb.treatments.forEach((t, i) => {
    refs(classes, 'class', ['treatments', i, 'classes'], t.classes);
  });
  kb.concepts.forEach((c, i) => {
    if (c.allergyTo !== undefined)
      ref(either, 'treatment or class', ['concepts', i, 'allergyTo'], c.allergyTo);
  });
  kb.indications.forEach((r, i) => {
    ref(treatments, 'treatment', ['indications', i, 'treatment'], r.treatment);
    refs(concepts, 'concept', ['indications', i, 'when'], r.when);
  });
  for (const section of ['sideEffects', 'contraindications'] as const) {
    kb[section].forEach((r, i) => {
      ref(either, 'treatment or class', [section, i, 'treatment'], r.treatment);
      ref(effects, 'effect', [section, i, 'effect'], r.effect);
      refs(concepts, 'concept', [section, i, 'when'], r.when);
    });
  }
  kb.mitigations.forEach((r, i) => {
    ref(effects, 'effect', ['mitigations', i, 'effect'], r.effect);
    refs(either, 'treatment or class', ['mitigations', i, 'for'], r.for);
    refs(concepts, 'concept', ['mitigations', i, 'when'], r.when);
    refs(concepts, 'concept', ['mitigations', i, 'unless'], r.unless);
  });
  kb.preferences.forEach((r, i) => {
    ref(either, 'treatment or class', ['preferences', i, 'better'], r.better);
    ref(either, 'treatment or class', ['preferences', i, 'worse'], r.worse);
    refs(concepts, 'concept', ['preferences', i, 'when'], r.when);
    refs(concepts, 'concept', ['preferences', i, 'unless'], r.unless);
  });
  kb.claims.forEach((r, i) => {
    refs(concepts, 'concept', ['claims', i, 'when'], r.when);
    refs(concepts, 'concept', ['claims', i, 'unless'], r.unless);
  });
  return issues;
}

/** The whole knowledge-base document: sections of concepts and rules, every reference checked. */
export const KnowledgeBaseSchema = KnowledgeBaseShape.superRefine((kb, ctx) => {
  for (const issue of checkReferences(kb)) ctx.addIssue({ code: 'custom', ...issue });
});

/** A validated knowledge base, and the types of its parts (derived from the schemas above). */
export type KnowledgeBase = z.output<typeof KnowledgeBaseSchema>;
export type KnowledgeBaseInput = z.input<typeof KnowledgeBaseSchema>;
export type Concept = z.output<typeof ConceptSchema>;
export type Measure = z.output<typeof MeasureSchema>;
export type Treatment = z.output<typeof TreatmentSchema>;
export type Effect = z.output<typeof EffectSchema>;
export type Indication = z.output<typeof IndicationSchema>;
export type Severity = z.output<typeof SeveritySchema>;
export type SideEffect = z.output<typeof SideEffectSchema>;
export type Mitigation = z.output<typeof MitigationSchema>;
export type Preference = z.output<typeof PreferenceSchema>;
export type Answer = z.output<typeof AnswerSchema>;
export type Claim = z.output<typeof ClaimSchema>;
