/**
 * Recognises a question asked in the negative: "Which drug should be avoided?", "Which is contraindicated?",
 * "least appropriate", "All of the following EXCEPT", "Which is NOT recommended?". The decision scheme (ASDM)
 * argues which option should be chosen; answering a negative question with it would give the option to keep
 * where the question asks for the one to drop. So argmed refuses such a question with this reason instead of
 * answering it backwards.
 *
 * Lower-case "not" counts only where it negates the choice itself ("should not be given", "is not
 * appropriate"), so "given she is not pregnant" is not a negative question. Upper-case NOT and EXCEPT are the
 * exam convention for a negative item and always count.
 */

const CUES: ReadonlyArray<[RegExp, string]> = [
  [/\b(avoid|avoided|avoiding)\b/i, 'avoid'],
  [/\b(contraindicated|contra-indicated|contraindication)\b/i, 'contraindicated'],
  [
    /\b(least|worst)\s+(appropriate|suitable|likely|indicated|recommended|effective|safe|preferred|useful)\b/i,
    'least appropriate',
  ],
  [/\b(inappropriate|unsuitable|unsafe)\b/i, 'inappropriate'],
  [/\bEXCEPT\b/, 'EXCEPT'],
  [/\bNOT\b/, 'NOT'],
  [/\bexcept\b/i, 'except'],
  [
    /\b(should|must|would|could|can|do|does|is|are|be)(?:\s+\w+){0,2}?\s+not\s+(?:\w+\s+){0,2}?(be\s+)?(giv|give|use|prescrib|start|offer|recommend|appropriate|indicated|suitable|safe|choos|chose|consider|administ)\w*/i,
    'not',
  ],
  [
    /\b(shouldn't|mustn't|isn't|aren't|wouldn't|don't|doesn't|can't|cannot)\s+(?:\w+\s+){0,2}?(be\s+)?(giv|give|use|prescrib|start|offer|recommend|appropriate|indicated|suitable|safe|choos|chose|consider|administ)\w*/i,
    'not',
  ],
  [
    /\bnot\s+(be\s+)?(giv|give|use|prescrib|start|offer|recommend|appropriate|indicated|suitable|safe)\w*/i,
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
