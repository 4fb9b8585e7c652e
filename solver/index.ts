/** The abstract argumentation solver: frameworks, grounded semantics, explanations, file formats. */
export { isCredulouslyAccepted, isScepticallyAccepted } from './acceptance.js';
export { EdgeList } from './edge-list.js';
export {
  SOLVER_ERROR_CODES,
  SolverError,
  SolverFormatError,
  SolverRangeError,
  type SolverErrorCode,
} from './errors.js';
export { defeaterOf, justification, undecidedAttackers } from './explain.js';
export { FRAMEWORK_WRITERS, writeFramework } from './formats/write-framework.js';
export { readApx, writeApx } from './formats/apx.js';
export { type DotStyle, writeDot } from './formats/dot.js';
export { readIccma, writeIccma } from './formats/iccma.js';
export { inferFormat, isReadableFormat, READABLE_FORMATS } from './formats/infer-format.js';
export { type FrameworkJson, writeJson } from './formats/json.js';
export { readFramework } from './formats/read-framework.js';
export { readTgf, writeTgf } from './formats/tgf.js';
export { buildFramework, frameworkFromEdges } from './framework.js';
export { groundedLabelling } from './semantics/grounded.js';
export * from './types.js';
