/**
 * The zod schemas of the agents' structured answers, derived from the scheme being instantiated: one field
 * per variable and per premise id, fact ids limited to the case's, option ids to the candidates, one
 * verdict per critical question (all required). They are sent to the endpoint as JSON Schema and every
 * answer is validated against them; an answer that does not fit is never accepted. In every answer the
 * reason comes before the verdict (key order is the order a model writes in, and grammars enforce it), and
 * the generator roles may answer "unknown" rather than invent an argument or a comparison.
 *
 * Objects are strict: the JSON Schema sent says `additionalProperties: false`, and the validator refuses what
 * it refuses. A verdict for a question that was not asked, or a key the schema does not know, means the model
 * answered something other than what was asked; it gets the repair call, never a silent trim.
 */
import { z } from 'zod';
import type { Scheme } from '../../schemes/types.js';

/** Longest text accepted in one answer field: an argument is a few sentences, not an essay. */
const MAX_FIELD = 4_000;

const text = () => z.string().trim().min(1).max(MAX_FIELD);

/** Schemas kept per scheme before the oldest are dropped: fact and option ids vary with the case. */
const MEMO_LIMIT = 256;
const memo = new WeakMap<Scheme, Map<string, z.ZodType>>();

/**
 * The schema built for these arguments before, or a new one. A zod schema costs far more to build than to
 * use: construction, then the validator zod compiles on its first parse, then the JSON Schema conversion
 * the client caches per schema object. Rebuilding them for every model call was the largest part of
 * argmed's CPU a call (`npm run bench:engine`, "cpu/call").
 */
function memoized<T extends z.ZodType>(scheme: Scheme, key: unknown[], build: () => T): T {
  let schemas = memo.get(scheme);
  if (schemas === undefined) {
    schemas = new Map();
    memo.set(scheme, schemas);
  }
  const id = JSON.stringify(key);
  let schema = schemas.get(id);
  if (schema === undefined) {
    if (schemas.size >= MEMO_LIMIT) schemas.delete(schemas.keys().next().value!);
    schema = build();
    schemas.set(id, schema);
  }
  return schema as T;
}

/** Ids an enum can be made of: at least one, or the field accepts only an empty list. */
function idList(ids: readonly string[]) {
  if (ids.length === 0) return z.array(z.string()).max(0);
  return z.array(z.enum(ids as [string, ...string[]])).max(64);
}

function idField(ids: readonly string[] | undefined) {
  if (ids && ids.length > 0) return z.enum(ids as [string, ...string[]]);
  return z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'a short id: letters, digits, "-" or "_"');
}

/**
 * The fields of one instantiated argument of `scheme`.
 * @param factIds ids of the case facts (what `facts` may cite)
 * @param fixed variables the caller fills in itself (left out of the answer)
 */
export function draftSchema(scheme: Scheme, factIds: readonly string[], fixed: readonly string[] = []) {
  const variables = Object.fromEntries(
    scheme.variables
      .filter((v) => !fixed.includes(v.name))
      .map((v) => [v.name, text().describe(v.description)]),
  );
  const premises = Object.fromEntries(scheme.premises.map((p) => [p.id, text().describe(p.text)]));
  return z.strictObject({
    variables: z.strictObject(variables),
    premises: z.strictObject(premises),
    conclusion: text().describe(scheme.conclusion),
    text: text(),
    facts: idList(factIds),
  });
}

function uniqueOptions(items: Array<{ option: string }>, ctx: z.RefinementCtx, required?: readonly string[]) {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.option)) {
      ctx.addIssue({
        code: 'custom',
        path: ['arguments', index, 'option'],
        message: `option "${item.option}" appears twice`,
      });
    }
    seen.add(item.option);
  });
  for (const option of required ?? []) {
    if (!seen.has(option)) {
      ctx.addIssue({ code: 'custom', path: ['arguments'], message: `no argument for option "${option}"` });
    }
  }
}

/**
 * Round 0: one argument per given option (each exactly once), or up to `maxDecisions` proposed options
 * with new short ids when none are given.
 */
export function proposeSchema(
  scheme: Scheme,
  factIds: readonly string[],
  optionIds: readonly string[] | undefined,
  maxDecisions: number,
) {
  return memoized(scheme, ['propose', factIds, optionIds ?? null, maxDecisions], () => {
    const item = z
      .strictObject({
        option: idField(optionIds),
        reason: text().describe('how the facts of the case support arguing for this option, citing fact ids'),
      })
      .extend(draftSchema(scheme, factIds).shape);
    const count = optionIds ? optionIds.length : maxDecisions;
    return z
      .strictObject({ arguments: z.array(item).min(1).max(count) })
      .superRefine((value, ctx) => uniqueOptions(value.arguments, ctx, optionIds));
  });
}

/**
 * The answers to "does this challenge succeed?": `yes` (the argument does not stand on it), `no` (it withstands
 * it), `unknown` (the case neither shows nor rules it out).
 */
export const CHALLENGE_ANSWERS = ['no', 'yes', 'unknown'] as const;

/** The verifier's answer: for every critical question of the scheme, by id, a reason and then the answer. */
export function verifySchema(scheme: Scheme) {
  return memoized(scheme, ['verify'], () => {
    // The reason comes first, so a model states its grounds before it commits to an answer.
    const verdict = z.strictObject({ reason: text(), challenge: z.enum(CHALLENGE_ANSWERS) });
    const verdicts = Object.fromEntries(
      scheme.criticalQuestions.map((q) => [q.id, verdict.describe(q.challenge ?? q.text)]),
    );
    return z.strictObject({ verdicts: z.strictObject(verdicts) });
  });
}

/** The generator's answers to "can you write the counter-argument?": `argument` or `unknown` (none can be written). */
export const COUNTER_ANSWERS = ['argument', 'unknown'] as const;

/**
 * A counter-argument of `scheme`: the reason, then `answer` (`argument`, or `unknown` when the case gives
 * nothing to build it from or the model cannot tell), then the argument (null for `unknown`, whatever was
 * written there). Decision schemes also name the option argued for.
 */
export function counterSchema(
  scheme: Scheme,
  factIds: readonly string[],
  optionIds: readonly string[] | undefined,
) {
  return memoized(scheme, ['counter', factIds, optionIds ?? null], () => {
    const base = draftSchema(scheme, factIds);
    const argument =
      scheme.yields === 'decision' ? z.strictObject({ option: idField(optionIds) }).extend(base.shape) : base;
    return z
      .strictObject({
        reason: text().describe(
          'why the challenged argument does not stand for this patient, or why no counter-argument can be written',
        ),
        answer: z.enum(COUNTER_ANSWERS),
        argument: argument.nullable(),
      })
      .superRefine((value, ctx) => {
        if (value.answer === 'argument' && value.argument === null) {
          ctx.addIssue({
            code: 'custom',
            path: ['argument'],
            message: 'answer "argument" needs the argument (or answer "unknown")',
          });
        }
      });
  });
}

/** The comparer's answers: `better` (comparisons follow), `none` (no option is clearly better: a genuine tie),
 * `unknown` (which is better depends on something the case does not settle). */
export const COMPARE_ANSWERS = ['better', 'none', 'unknown'] as const;

/**
 * Better-decision comparisons among tied options: the reason, then `answer` (see `COMPARE_ANSWERS`), then the
 * comparisons (at least one for `better`; ignored otherwise). `better` and `worse` are tied option ids,
 * different from each other; the scheme's own `better`/`worse` variables are filled from them.
 */
export function compareSchema(scheme: Scheme, factIds: readonly string[], tiedOptions: readonly string[]) {
  return memoized(scheme, ['compare', factIds, tiedOptions], () =>
    compareSchemaOf(scheme, factIds, tiedOptions),
  );
}

function compareSchemaOf(scheme: Scheme, factIds: readonly string[], tiedOptions: readonly string[]) {
  const item = z
    .strictObject({ better: idField(tiedOptions), worse: idField(tiedOptions) })
    .extend(draftSchema(scheme, factIds, ['better', 'worse']).shape);
  const pairs = tiedOptions.length * (tiedOptions.length - 1);
  const answer = z.strictObject({
    reason: text().describe('how the tied options compare for this patient, citing fact ids'),
    answer: z.enum(COMPARE_ANSWERS),
    comparisons: z.array(item).max(Math.max(1, pairs)),
  });
  return answer.superRefine((value, ctx) => {
    if (value.answer !== 'better') return;
    if (value.comparisons.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['comparisons'],
        message: 'answer "better" needs at least one comparison',
      });
    }
    value.comparisons.forEach((c, index) => {
      if (c.better === c.worse) {
        ctx.addIssue({
          code: 'custom',
          path: ['comparisons', index, 'worse'],
          message: 'better and worse must differ',
        });
      }
    });
  });
}
