/**
 * Prompt of the better-decision round (ASBD): decisions tied only by their mutual exclusion are compared.
 * The reason comes first, then the answer (`better`, `none` for a genuine tie, `unknown` when it depends on
 * what the case does not settle), then the comparisons, each naming the better option, the worse one and the
 * criterion; the keys and worked examples (from the scheme's own example) are in the prompt text itself.
 */
import type { CompareRequest } from '../../types.js';
import { candidateOptions } from '../../case.js';
import type { LlmMessage } from '../types.js';
import {
  argumentBlock,
  caseBlock,
  DATA_RULES,
  DRAFT_RULES,
  EXAMPLE_NOTE,
  exampleDraft,
  roleLine,
  schemeDescription,
} from './blocks.js';

/** The role name of this prompt (also the marker in its system prompt). */
export const COMPARER = 'comparer';

/** The scheme variables the answer's `better` and `worse` keys fill. */
const FIXED = ['better', 'worse'];

/** Builds the messages. */
export function comparerPrompt(request: CompareRequest): LlmMessage[] {
  const example = request.scheme.example?.variables;
  const better = {
    reason:
      'Both options treat the infection (f1), but with the eGFR of 38 in f2 option A often fails while B does not.',
    answer: 'better',
    comparisons: [
      {
        better: example?.better ?? 'B',
        worse: example?.worse ?? 'A',
        ...exampleDraft(request.scheme, FIXED),
      },
    ],
  };
  const unknown = {
    reason:
      'unknown: option A is better unless the patient is pregnant, and the case does not say whether she is.',
    answer: 'unknown',
    comparisons: [],
  };
  const system = [
    roleLine(COMPARER),
    'You are the comparer agent of a clinical argumentation system. Several candidate decisions survived all',
    'criticism and exclude each other. Compare them for this patient: for each pair where one option achieves',
    'the clinical goal clearly better than another on a named criterion (efficacy, safety, evidence,',
    'patient preference, cost, ...), write one argument of the scheme below with `better` and `worse` set to',
    'the option ids.',
    '',
    'Answer with one JSON object with these keys, in this order:',
    '- "reason": first, how the tied options compare for this patient, citing fact ids;',
    '- "answer": "better" when an option is clearly better than another, "none" when no option is clearly better',
    '  (a real tie), or "unknown" when which is better depends on something the case neither states nor rules',
    '  out (say what in the reason; never guess);',
    '- "comparisons": for "better", one item per such pair, with "better" and "worse" (option ids) first and then',
    '  "variables", "premises", "conclusion", "text" and "facts"; an empty list for "none" and "unknown".',
    EXAMPLE_NOTE,
    JSON.stringify(better),
    'Example of an answer when it depends on what the case does not say:',
    JSON.stringify(unknown),
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
