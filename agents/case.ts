/**
 * The clinical case: the one document that `argmed decide`, `POST /v1/cases`, the CDS Hooks mapping and
 * the evaluation datasets all produce. Case text is untrusted data: agents pass it to models inside
 * delimited blocks and never follow it as instructions.
 */
import { z } from 'zod';

/** Longest text accepted in one field; a case is a summary, not a record dump. */
export const MAX_TEXT = 8_000;

/**
 * Characters no clinical text needs and that stores do not keep as sent: NUL (PostgreSQL refuses it in
 * text), the other C0 controls but tab, line feed and carriage return, DEL, and UTF-16 surrogates without
 * their pair (stored as U+FFFD, so the text would change silently).
 */
const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A character as its code point, `U+0000`. */
function codePointName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character of `text` that no clinical text needs, as `U+0000`, or undefined. */
export function controlCharacterIn(text: string): string | undefined {
  const match = CONTROL_OR_LONE_SURROGATE.exec(text);
  return match ? codePointName(match[0]) : undefined;
}

/** Why `text` is refused as clinical text, naming the first character no clinical text needs, or undefined. */
export function uncleanTextReason(text: string): string | undefined {
  const found = controlCharacterIn(text);
  if (!found) return undefined;
  return /^U\+D[89A-F]/.test(found)
    ? `contains ${found}, half of a UTF-16 surrogate pair without its other half, which is not text`
    : `contains the control character ${found}, which clinical text does not use`;
}

/** A string schema that refuses control characters and lone surrogates (see `controlCharacterIn`). */
export function cleanString() {
  return z.string().check((ctx) => {
    const reason = uncleanTextReason(ctx.value);
    if (reason) ctx.issues.push({ code: 'custom', input: ctx.value, message: reason });
  });
}

export const FactSchema = z.union([
  cleanString().trim().min(1).max(MAX_TEXT),
  z.object({
    id: cleanString().trim().min(1).max(64).optional(),
    text: cleanString().trim().min(1).max(MAX_TEXT),
    /** Concept codes the knowledge back-end matches on (e.g. `penicillin-allergy`), lower-case kebab. */
    codes: z.array(cleanString().trim().min(1).max(128)).max(32).optional(),
    /** Where the fact came from, e.g. a FHIR reference `AllergyIntolerance/123`. */
    source: cleanString().max(512).optional(),
  }),
]);

export const OptionSchema = z.object({
  id: cleanString().trim().min(1).max(32),
  text: cleanString().trim().min(1).max(MAX_TEXT),
});

/** The reasoning back-ends: the offline knowledge base, an OpenAI-compatible endpoint, a GGUF model in process. */
export const BACKENDS = ['knowledge', 'openai', 'local'] as const;

/** Per-case settings: which back-end reasons and the budgets of the dialogue (all optional). */
export const CaseSettingsSchema = z
  .object({
    backend: z.enum(BACKENDS).optional(),
    maxRounds: z.number().int().min(0).max(32).optional(),
    maxDecisions: z.number().int().min(1).max(26).optional(),
    maxArguments: z.number().int().min(1).max(10_000).optional(),
    maxLlmCalls: z.number().int().min(1).max(100_000).optional(),
    maxTokens: z.number().int().min(1).max(100_000_000).optional(),
    deadlineMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict();

export const CaseSchema = z
  .object({
    id: cleanString().trim().min(1).max(128).optional(),
    title: cleanString().trim().max(512).optional(),
    facts: z.array(FactSchema).max(500).default([]),
    question: cleanString().trim().min(1, 'the case needs a question').max(MAX_TEXT),
    /** `choice`: one of `options` (or options proposed by the generator); `yes-no-maybe`: PubMedQA style. */
    questionType: z.enum(['choice', 'yes-no-maybe']).default('choice'),
    options: z
      .array(OptionSchema)
      .min(2, 'give at least two options, or leave options out')
      .max(26)
      .optional(),
    /** The clinical goal the decision serves (ASDM's G); derived from the question when absent. */
    goal: cleanString().trim().min(1).max(MAX_TEXT).optional(),
    settings: CaseSettingsSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.options?.forEach((option, index) => {
      if (seen.has(option.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['options', index, 'id'],
          message: `duplicate option id "${option.id}"`,
        });
      }
      seen.add(option.id);
    });
    // An explanation cites facts by id: two facts with one id (given, or the `fN` a fact without one gets)
    // would make a citation ambiguous.
    const factAt = new Map<string, number>();
    value.facts.forEach((fact, index) => {
      const given = typeof fact === 'string' ? undefined : fact.id;
      const id = given ?? `f${index + 1}`;
      const first = factAt.get(id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: given === undefined ? ['facts', index] : ['facts', index, 'id'],
          message:
            given === undefined
              ? `this fact's automatic id "${id}" is already the id of facts/${first}; give the facts distinct ids`
              : `duplicate fact id "${id}" (also facts/${first})`,
        });
      } else factAt.set(id, index);
    });
  });

/** Invisible formatting characters (Unicode Cf: zero-width characters, bidirectional controls). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** An id as a reader sees it: Unicode-normalised (NFKC), without invisible formatting characters. */
const seenAs = (id: string) => id.normalize('NFKC').replace(FORMAT_CHARACTERS, '');

/** Why a reader could not tell `id` apart: `firstSeen` maps what earlier ids look like to them. */
function unreadableReason(id: string, firstSeen: ReadonlyMap<string, string>): string | undefined {
  const hidden = id.match(FORMAT_CHARACTERS)?.[0];
  if (hidden) return `contains the invisible formatting character ${codePointName(hidden)}`;
  const twin = firstSeen.get(seenAs(id));
  if (twin !== undefined && twin !== id) return `looks the same as the id "${twin}" (Unicode normalisation)`;
  return undefined;
}

/** Adds an issue for each id that holds an invisible character or looks the same as an earlier one. */
function checkReadableIds(ids: ReadonlyArray<{ id: string; path: (string | number)[] }>, ctx: z.RefinementCtx): void {
  const firstSeen = new Map<string, string>();
  for (const { id, path } of ids) {
    const reason = unreadableReason(id, firstSeen);
    if (reason) ctx.addIssue({ code: 'custom', path, message: reason });
    else if (!firstSeen.has(seenAs(id))) firstSeen.set(seenAs(id), id);
  }
}

/**
 * Why a new id among `others` could not be told apart by a reader (the check `NewCaseSchema` makes, for an id
 * added later, such as a contributed fact's). O(n) for n others. @returns undefined when it reads apart.
 */
export function unreadableIdReason(id: string, others: readonly string[]): string | undefined {
  const firstSeen = new Map<string, string>();
  for (const other of others) if (!firstSeen.has(seenAs(other))) firstSeen.set(seenAs(other), other);
  return unreadableReason(id, firstSeen);
}

/**
 * The case schema for new input (`POST /v1/cases`, `argmed decide`): also refuses ids that a reader could not
 * tell apart, since an explanation cites facts and options by id (an id with a zero-width or bidirectional
 * control character, or one that looks the same as another after Unicode normalisation). Stored cases are
 * read back with `CaseSchema`, so no case stored before this check becomes unreadable.
 */
export const NewCaseSchema = CaseSchema.superRefine((value, ctx) => {
  checkReadableIds(
    (value.options ?? []).map((option, index) => ({ id: option.id, path: ['options', index, 'id'] })),
    ctx,
  );
  const factIds = value.facts.flatMap((fact, index) =>
    typeof fact === 'string' || fact.id === undefined ? [] : [{ id: fact.id, path: ['facts', index, 'id'] }],
  );
  checkReadableIds(factIds, ctx);
});

export type CaseInput = z.input<typeof CaseSchema>;
export type Case = z.output<typeof CaseSchema>;
export type Fact = z.output<typeof FactSchema>;
export type Option = z.output<typeof OptionSchema>;
export type CaseSettings = z.output<typeof CaseSettingsSchema>;

/** A fact in its normalised form: what agents actually reason over. */
export interface NormalisedFact {
  id: string;
  text: string;
  codes: string[];
  source?: string;
}

/** Gives every fact an id (`f1`, `f2`, ... unless given) and a list of codes. */
export function normaliseFacts(facts: readonly Fact[]): NormalisedFact[] {
  return facts.map((fact, index) => {
    if (typeof fact === 'string') return { id: `f${index + 1}`, text: fact, codes: [] };
    return { id: fact.id ?? `f${index + 1}`, text: fact.text, codes: fact.codes ?? [], source: fact.source };
  });
}

const YES_NO_MAYBE: Option[] = [
  { id: 'yes', text: 'yes' },
  { id: 'no', text: 'no' },
  { id: 'maybe', text: 'maybe' },
];

/** The candidate options of a case: its own, yes/no/maybe for that question type, or none (to be proposed). */
export function candidateOptions(kase: Case): Option[] | undefined {
  if (kase.options) return kase.options;
  if (kase.questionType === 'yes-no-maybe') return YES_NO_MAYBE;
  return undefined;
}
