/**
 * Prompt of a counter-argument: the generator instantiates the counter-scheme of a critical question that
 * an argument failed, so that the new argument attacks the challenged one. The reason comes first, then the
 * answer (`argument`, or `unknown` when none can be written), then the argument; the keys and two worked
 * examples (one of each answer, from the counter-scheme's own example) are in the prompt text itself.
 */
import type { CounterRequest } from '../../types.js';
import type { Scheme } from '../../../schemes/types.js';
import { candidateOptions } from '../../case.js';
import type { LlmMessage } from '../types.js';
import {
  argumentBlock,
  caseBlock,
  escapeData,
  DATA_RULES,
  EXAMPLE_NOTE,
  exampleDraft,
  fillVariables,
  DRAFT_RULES,
  roleLine,
  schemeDescription,
} from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const GENERATOR_COUNTER = 'generator-counter';

/**
 * Builds the messages.
 * @param challengedScheme the scheme of the challenged argument (to name its premises), when known
 */
export function generatorCounterPrompt(request: CounterRequest, challengedScheme?: Scheme): LlmMessage[] {
  const decision = request.scheme.yields === 'decision';
  const draft = exampleDraft(request.scheme);
  const written = {
    reason: `Fact f2 gives the reason the challenged argument does not stand: ${draft.text}`,
    answer: 'argument',
    argument: decision ? { option: 'B', ...draft } : draft,
  };
  const unknown = {
    reason:
      'unknown: the case does not say whether the patient is pregnant, so no counter-argument can be written from it.',
    answer: 'unknown',
    argument: null,
  };
  const system = [
    roleLine(GENERATOR_COUNTER),
    'You are the generator agent of a clinical argumentation system. An argument failed one of its critical',
    'questions. Write the counter-argument: one argument of the counter-scheme below that states, for this',
    'patient, why the challenged argument does not stand. It will attack the challenged argument.',
    '',
    "The challenge that succeeded, and the verifier's reason, are in the user message.",
    '',
    'Answer with one JSON object with these keys, in this order:',
    '- "reason": first, why the challenged argument does not stand for this patient, citing fact ids; or why no',
    '  counter-argument can be written;',
    '- "answer": "argument" when you write the counter-argument, or "unknown" when the case gives nothing to',
    '  build it from or you cannot tell (never invent a fact to write one);',
    `- "argument": the counter-argument${decision ? ' (with "option", the id of the option it argues for, first)' : ''}, or null with "unknown".`,
    EXAMPLE_NOTE,
    JSON.stringify(written),
    'Example of an answer when no counter-argument can be written:',
    JSON.stringify(unknown),
    '',
    'Counter-scheme:',
    schemeDescription(request.scheme),
    '',
    DRAFT_RULES,
    '',
    DATA_RULES,
  ].join('\n');
  const user = [
    'The case:',
    caseBlock(request.kase, request.facts, candidateOptions(request.kase)),
    '',
    'The challenged argument:',
    argumentBlock(request.argument, challengedScheme),
    '',
    `The challenge that succeeded (question ${request.question.id}, on ${request.question.targets}):`,
    `<challenge>${escapeData(fillVariables(request.question.challenge ?? request.question.text, request.argument.variables))}</challenge>`,
    'Why the verifier found that it succeeds:',
    `<verdict>${escapeData(request.verdict.reason)}</verdict>`,
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
