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
  })
  .strict()
  .superRefine((scheme, ctx) => {
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
