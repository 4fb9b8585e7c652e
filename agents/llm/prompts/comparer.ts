/**
 * Prompt of the better-decision round (ASBD): decisions tied only by their mutual exclusion are compared,
 * and each comparison names the better option, the worse one and the criterion.
 */
import type { CompareRequest } from '../../types.js';
import { candidateOptions } from '../../case.js';
import type { LlmMessage } from '../types.js';
import { argumentBlock, caseBlock, DATA_RULES, DRAFT_RULES, roleLine, schemeDescription } from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const COMPARER = 'comparer';

/** Builds the messages. */
export function comparerPrompt(request: CompareRequest): LlmMessage[] {
  const system = [
    roleLine(COMPARER),
    'You are the comparer agent of a clinical argumentation system. Several candidate decisions survived all',
    'criticism and exclude each other. Compare them for this patient: for each pair where one option achieves',
    'the clinical goal clearly better than another on a named criterion (efficacy, safety, evidence,',
    'patient preference, cost, ...), write one argument of the scheme below with `better` and `worse` set to',
    'the option ids. Leave `comparisons` empty when no option is clearly better.',
    '',
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
    'The tied decision arguments:',
    ...request.tied.map((argument) => argumentBlock(argument)),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
