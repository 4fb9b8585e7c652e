/**
 * Prompt of a counter-argument: the generator instantiates the counter-scheme of a critical question that
 * an argument failed, so that the new argument attacks the challenged one.
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
  const system = [
    roleLine(GENERATOR_COUNTER),
    'You are the generator agent of a clinical argumentation system. An argument failed one of its critical',
    'questions. Write the counter-argument: one argument of the counter-scheme below that states, for this',
    'patient, why the challenged argument does not stand. It will attack the challenged argument.',
    ...(decision ? ['Set `option` to the id of the option the counter-argument argues for.'] : []),
    'Answer with `argument: null` when the case gives nothing to build it from.',
    '',
    "The challenge that succeeded, and the verifier's reason, are in the user message.",
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
