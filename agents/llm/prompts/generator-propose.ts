/**
 * Prompt of round 0: the generator instantiates the decision scheme (ASDM) for every candidate option, or
 * proposes candidate options when the case gives none. Written, like the verifier's, for the 7B–13B
 * instruction models people run locally: the answer's keys are listed in order (the reason first, then the
 * argument) and a worked example of a complete answer, built from the scheme's own example, is in the prompt
 * text itself, not only in `response_format`.
 */
import type { ProposeRequest } from '../../types.js';
import type { LlmMessage } from '../types.js';
import {
  caseBlock,
  DATA_RULES,
  DRAFT_RULES,
  EXAMPLE_NOTE,
  exampleDraft,
  roleLine,
  schemeDescription,
} from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const GENERATOR_PROPOSE = 'generator-propose';

/** The reason of the worked example (about the scheme's illustrative patient). */
const EXAMPLE_REASON =
  'Fact f1 states an uncomplicated lower urinary tract infection in a non-pregnant woman, for which this option is a first-line treatment.';

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
  const example = {
    arguments: [
      {
        option: request.options ? 'A' : 'nitrofurantoin',
        reason: EXAMPLE_REASON,
        ...exampleDraft(request.scheme),
      },
    ],
  };
  const system = [
    roleLine(GENERATOR_PROPOSE),
    'You are the generator agent of a clinical argumentation system. You build arguments by instantiating',
    'argumentation schemes for a patient case.',
    '',
    ...task,
    '',
    'Answer with one JSON object {"arguments": [...]}, each item with these keys, in this order:',
    '- "option": the option id;',
    '- "reason": first, how the facts of the case support arguing for this option, citing fact ids. When the',
    '  case gives nothing for an option, or you do not know the option, say so here ("unknown: ...") and write',
    '  the argument from the case alone, citing no facts: never invent a fact;',
    '- then "variables", "premises", "conclusion", "text" and "facts", as described below.',
    EXAMPLE_NOTE,
    JSON.stringify(example),
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
