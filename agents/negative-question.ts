/**
 * Recognises a question asked in the negative: "Which drug should be avoided?", "Which is contraindicated?",
 * "least appropriate", "All of the following EXCEPT", "Which is NOT recommended?", "Which should be withheld
 * (stopped, discontinued, held)?", "Which would be harmful?". The decision scheme (ASDM) argues which option
 * should be chosen; answering a negative question with it would give the option to keep where the question asks
 * for the one to drop. So argmed refuses such a question with this reason instead of answering it backwards.
 *
 * Lower-case "not" counts only where it negates the choice itself ("should not be given", "is not
 * appropriate"), so "given she is not pregnant" is not a negative question. Likewise a verb of withholding
 * counts only as the verb the question asks about ("should be withheld", "would you stop"), so "which drug
 * should be started now that metformin was stopped?" asks positively. Upper-case NOT and EXCEPT are the exam
 * convention for a negative item and always count.
 */

const CUES: ReadonlyArray<[RegExp, string]> = [
  [/\b(avoid|avoided|avoiding)\b/i, 'avoid'],
  [/\b(contraindicated|contra-indicated|contraindication)\b/i, 'contraindicated'],
  [
    /\b(least|worst)\s+(appropriate|suitable|likely|indicated|recommended|effective|safe|preferred|useful)\b/i,
    'least appropriate',
  ],
  [/\b(inappropriate|unsuitable|unsafe|harmful|dangerous|inadvisable|ill-advised)\b/i, 'inappropriate'],
  [
    /\b(should|must|would|could|can|do|does|is|are|be|to|we|you|I)\s+(?:\w+\s+){0,2}?(be\s+)?(withh[eo]ld\w*|stop|stopped|discontinu\w*|held|hold|omit|omitted|ceased?|deprescrib\w*)\b/i,
    'withhold',
  ],
  [/\bEXCEPT\b/, 'EXCEPT'],
  [/\bNOT\b/, 'NOT'],
  [/\bexcept\b/i, 'except'],
  [
    /\b(should|must|would|could|can|do|does|is|are|be)(?:\s+\w+){0,2}?\s+not\s+(?:\w+\s+){0,2}?(be\s+)?(giv|give|use|prescrib|start|offer|recommend|advis|appropriate|indicated|suitable|safe|choos|chose|consider|administ)\w*/i,
    'not',
  ],
  [
    /\b(shouldn't|mustn't|isn't|aren't|wouldn't|don't|doesn't|can't|cannot)\s+(?:\w+\s+){0,2}?(be\s+)?(giv|give|use|prescrib|start|offer|recommend|advis|appropriate|indicated|suitable|safe|choos|chose|consider|administ)\w*/i,
    'not',
  ],
  [
    /\bnot\s+(be\s+)?(giv|give|use|prescrib|start|offer|recommend|advis|appropriate|indicated|suitable|safe)\w*/i,
    'not',
  ],
];

/**
 * The negative cue a question uses, or undefined for a question asked positively.
 * @example negativeCue('Which drug should we avoid?') // 'avoid'
 */
export function negativeCue(question: string): string | undefined {
  for (const [pattern, cue] of CUES) if (pattern.test(question)) return cue;
  return undefined;
}
