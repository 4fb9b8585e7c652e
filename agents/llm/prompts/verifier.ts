/**
 * Prompt of the verifier: all critical questions of an argument's scheme asked at once, each in one
 * orientation, "does this challenge succeed?", answered with a reason first and then `yes`, `no` or `unknown`.
 * Written for the 7B–13B instruction models people run locally: the challenges are stated with the argument's
 * own values filled in (no raw `{D}`), and the answer's keys and one worked example are in the prompt text
 * itself, not only in `response_format`. The filled-in challenges carry values an earlier agent wrote, so they
 * go into the user message as an escaped data block, never into the instructions.
 */
import type { VerifyRequest } from '../../types.js';
import { candidateOptions } from '../../case.js';
import type { LlmMessage } from '../types.js';
import {
  argumentBlock,
  caseBlock,
  DATA_RULES,
  escapeData,
  fillVariables,
  roleLine,
  schemeDescription,
} from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const VERIFIER = 'verifier';

/** Builds the messages for one argument. */
export function verifierPrompt(request: VerifyRequest): LlmMessage[] {
  const questions = request.scheme.criticalQuestions;
  const example = Object.fromEntries(
    questions.map((q, index) => [
      q.id,
      {
        reason: EXAMPLE_REASONS[index % EXAMPLE_REASONS.length][0],
        challenge: EXAMPLE_REASONS[index % EXAMPLE_REASONS.length][1],
      },
    ]),
  );
  const system = [
    roleLine(VERIFIER),
    'You are the verifier agent of a clinical argumentation system. You test one argument: for each challenge',
    'listed in the user message, decide whether the challenge succeeds for this patient.',
    '',
    'Answer every challenge, by its id, with two keys, in this order:',
    '- "reason": one or two sentences grounded in the case, citing fact ids (f1, f2, ...) where there are any;',
    '- "challenge": "yes" if the challenge succeeds (the case gives a real reason that the argument does not',
    '  stand on it), "no" if it does not (the case or well-established medical knowledge shows the argument',
    '  withstands it), or "unknown" if the case neither shows nor rules it out.',
    'Absence of evidence is not evidence of absence: when a challenge depends on something the case does not',
    'state or rule out (for example a possible pregnancy, an allergy, kidney function), answer "unknown" and say',
    'in the reason what would have to be confirmed. Never guess "no" to be helpful.',
    '',
    `Example of the answer's shape for this scheme (the values are only an illustration):`,
    JSON.stringify({ verdicts: example }),
    '',
    schemeDescription(request.scheme),
    '',
    DATA_RULES,
  ].join('\n');
  const user = [
    'The case:',
    caseBlock(request.kase, request.facts, candidateOptions(request.kase)),
    '',
    'The argument to test:',
    argumentBlock(request.argument, request.scheme),
    '',
    'The challenges (does each one succeed for this patient?):',
    '<challenges>',
    ...questions.map(
      (q) =>
        `<challenge id="${escapeData(q.id)}" targets="${escapeData(q.targets)}">${escapeData(
          fillVariables(q.challenge ?? q.text, request.argument.variables),
        )}</challenge>`,
    ),
    '</challenges>',
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** Reasons of the worked example, cycled over the scheme's questions: one of each answer. */
const EXAMPLE_REASONS: ReadonlyArray<[string, 'yes' | 'no' | 'unknown']> = [
  ['Fact f2 records anaphylaxis to penicillin, so this challenge holds for this patient.', 'yes'],
  ['Fact f1 states the finding the argument relies on, and nothing in the case contradicts it.', 'no'],
  ['The case does not say whether the patient is pregnant; this must be confirmed.', 'unknown'],
];
