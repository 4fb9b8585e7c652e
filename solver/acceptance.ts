/**
 * Credulous and sceptical acceptance under grounded semantics (ICCMA problems DC-GR and DS-GR). The
 * grounded extension is the unique grounded extension, so both questions reduce to "is the argument IN".
 */
import { SolverRangeError } from './errors.js';
import { groundedLabelling } from './semantics/grounded.js';
import { LABEL_IN, type Framework, type GroundedLabelling } from './types.js';

function checkArg(af: Framework, arg: number): void {
  if (!Number.isInteger(arg) || arg < 0 || arg >= af.count) {
    throw new SolverRangeError(`solver/acceptance: argument ${arg} is outside 0..${af.count - 1}`);
  }
}

/**
 * DC-GR: is `arg` in some grounded extension, i.e. labelled IN.
 * @param labelling a labelling of `af` already computed, or undefined to compute one (O(|A| + |R|))
 * @throws SolverRangeError when `arg` is not an id of `af`
 */
export function isCredulouslyAccepted(
  af: Framework,
  labelling: GroundedLabelling | undefined,
  arg: number,
): boolean {
  checkArg(af, arg);
  return (labelling ?? groundedLabelling(af)).labels[arg] === LABEL_IN;
}

/**
 * DS-GR: is `arg` in every grounded extension, i.e. labelled IN (the grounded extension is unique).
 * @param labelling a labelling of `af` already computed, or undefined to compute one (O(|A| + |R|))
 * @throws SolverRangeError when `arg` is not an id of `af`
 */
export function isScepticallyAccepted(
  af: Framework,
  labelling: GroundedLabelling | undefined,
  arg: number,
): boolean {
  checkArg(af, arg);
  return (labelling ?? groundedLabelling(af)).labels[arg] === LABEL_IN;
}
