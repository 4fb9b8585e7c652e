/**
 * Prompt of the verifier: all critical questions of an argument's scheme asked at once, each answered pass
 * or fail with a reason grounded in the case.
 */
import type { VerifyRequest } from '../../types.js';
import { candidateOptions } from '../../case.js';
import type { LlmMessage } from '../types.js';
import { argumentBlock, caseBlock, DATA_RULES, roleLine, schemeDescription } from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const VERIFIER = 'verifier';

/** Builds the messages for one argument. */
export function verifierPrompt(request: VerifyRequest): LlmMessage[] {
  const questions = request.scheme.criticalQuestions.map(
    (q) => `- ${q.id} (challenges ${q.targets}): ${q.text}`,
  );
  const system = [
    roleLine(VERIFIER),
    'You are the verifier agent of a clinical argumentation system. You test one argument by asking every',
    'critical question of its scheme about this patient. The variables in the questions ({D}, {G}, ...) take',
    'the values the argument binds them to.',
    '',
    'Answer every question, by its id, with:',
    '- verdict "fail" when the case gives a real reason that the argument does not stand on this question',
    '  (the challenge succeeds), or',
    '- verdict "pass" when the argument withstands the question for this patient;',
    'and a short reason grounded in the case, citing fact ids where there are any.',
    '',
    schemeDescription(request.scheme),
    'Critical questions:',
    ...questions,
    '',
    DATA_RULES,
  ].join('\n');
  const user = [
    'The case:',
    caseBlock(request.kase, request.facts, candidateOptions(request.kase)),
    '',
    'The argument to test:',
    argumentBlock(request.argument, request.scheme),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
