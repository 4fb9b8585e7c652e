/**
 * The shape of an argumentation scheme file (Walton style): premises and a conclusion over variables, and
 * the critical questions that challenge them. One file a scheme under `schemes/`; validated on load.
 */
import { z } from 'zod';

const Identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an identifier: a letter, then letters, digits, "-" or "_"');

export const CriticalQuestionSchema = z.object({
  id: Identifier,
  /** The question as a verifier asks it; may mention variables as {D}, {G}, ... */
  text: z.string().min(1),
  /**
   * The same question as the statement of a challenge ("{D} has side effects that are unacceptable for this
   * patient"), so that every question is asked in one orientation: "does this challenge succeed?". Absent: the
   * question text is used as it is.
   */
  challenge: z.string().min(1).optional(),
  /** What it challenges: a premise id, or `conclusion`. */
  targets: z.string().min(1),
  /** The scheme a failed answer instantiates; its argument attacks the challenged one. */
  counterScheme: Identifier,
});

export const PremiseSchema = z.object({
  id: Identifier,
  text: z.string().min(1),
});

/**
 * A worked instance of the scheme on an illustrative patient (never the case at hand): a value for every
 * variable, the one-sentence summary, and the fact ids it cites. Prompts show it, with the premises and the
 * conclusion filled in from it, so that a small model sees a complete answer of the right shape.
 */
export const SchemeExampleSchema = z
  .object({
    variables: z.record(Identifier, z.string().min(1)),
    text: z.string().min(1),
    facts: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const SchemeSchema = z
  .object({
    id: Identifier,
    title: z.string().min(1),
    description: z.string().default(''),
    /** `decision` arguments argue for an option; `belief` arguments argue about facts and effects. */
    yields: z.enum(['decision', 'belief']),
    variables: z.array(z.object({ name: Identifier, description: z.string() })).min(1),
    premises: z.array(PremiseSchema).min(1),
    conclusion: z.string().min(1),
    criticalQuestions: z.array(CriticalQuestionSchema).default([]),
    example: SchemeExampleSchema.optional(),
  })
  .strict()
  .superRefine((scheme, ctx) => {
    if (scheme.example) {
      const names = scheme.variables.map((v) => v.name);
      const given = Object.keys(scheme.example.variables);
      const missing = names.filter((name) => !given.includes(name));
      const extra = given.filter((name) => !names.includes(name));
      if (missing.length > 0 || extra.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['example', 'variables'],
          message: `must give exactly the scheme's variables (${names.join(', ')})${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`,
        });
      }
    }
    const targets = new Set(['conclusion', ...scheme.premises.map((p) => p.id)]);
    scheme.criticalQuestions.forEach((q, index) => {
      if (!targets.has(q.targets)) {
        ctx.addIssue({
          code: 'custom',
          path: ['criticalQuestions', index, 'targets'],
          message: `targets "${q.targets}", which is neither a premise id of this scheme nor "conclusion"`,
        });
      }
    });
  });

export type Scheme = z.output<typeof SchemeSchema>;
export type CriticalQuestion = z.output<typeof CriticalQuestionSchema>;
export type SchemeExample = z.output<typeof SchemeExampleSchema>;
