export { baselineMessages, caseBlock, evaluatorMessages, gradedOptions } from './baseline-prompts.js';
export { parseAnswer, stripAnswer } from './parse-answer.js';
export { runArgmed } from './run-argmed.js';
export { runSelfConsistency, runSingle } from './run-baseline.js';
export { type MethodContext, runMethod } from './run-method.js';
