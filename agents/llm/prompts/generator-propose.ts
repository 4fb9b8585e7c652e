/**
 * Prompt of round 0: the generator instantiates the decision scheme (ASDM) for every candidate option, or
 * proposes candidate options when the case gives none.
 */
import type { ProposeRequest } from '../../types.js';
import type { LlmMessage } from '../types.js';
import { caseBlock, DATA_RULES, DRAFT_RULES, roleLine, schemeDescription } from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const GENERATOR_PROPOSE = 'generator-propose';

/**
 * Builds the messages.
 * @param request the scheme, the case, and the options (undefined: propose up to `maxDecisions`)
 */
export function generatorProposePrompt(request: ProposeRequest): LlmMessage[] {
  const task = request.options
    ? [
        'Task: for EACH candidate option of the case, write one decision argument of the scheme below that',
        'argues for that option (set `option` to the option id). Argue for every option as well as the case',
        'allows, even the ones you think are wrong: other agents will criticise them.',
      ]
    : [
        `Task: propose at most ${request.maxDecisions} mutually exclusive candidate decisions that answer the`,
        'question of the case, and write one decision argument of the scheme below for each. Give each a new',
        'short `option` id (lower case letters, digits and "-") and state the decision itself in the variable',
        'that names the decision.',
      ];
  const system = [
    roleLine(GENERATOR_PROPOSE),
    'You are the generator agent of a clinical argumentation system. You build arguments by instantiating',
    'argumentation schemes for a patient case.',
    '',
    ...task,
    '',
    schemeDescription(request.scheme),
    '',
    DRAFT_RULES,
    '',
    DATA_RULES,
  ].join('\n');
  const user = ['The case:', caseBlock(request.kase, request.facts, request.options)].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
