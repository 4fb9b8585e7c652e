/**
 * Explanations of a grounded labelling: why an argument is IN (its justification, the IN arguments that
 * defend it, recursively), why one is OUT (an IN attacker), why one is UNDEC (its UNDEC attackers).
 * The settle order of the labelling makes justifications well founded: an OUT argument's defeater is its
 * earliest settled IN attacker, which was settled before it, so the recursion always goes back in time.
 */
import { SolverError, SolverRangeError } from './errors.js';
import {
  LABEL_IN,
  LABEL_OUT,
  LABEL_UNDEC,
  type Framework,
  type GroundedLabelling,
  type JustificationStep,
} from './types.js';

const ranks = new WeakMap<GroundedLabelling, Int32Array>();

/** Position of each argument in the settle order (-1 for UNDEC), computed once a labelling. O(|A|). */
function settleRank(labelling: GroundedLabelling): Int32Array {
  let rank = ranks.get(labelling);
  if (rank === undefined) {
    rank = new Int32Array(labelling.labels.length).fill(-1);
    const order = labelling.order;
    for (let i = 0; i < order.length; i++) rank[order[i]] = i;
    ranks.set(labelling, rank);
  }
  return rank;
}

function checkArg(af: Framework, arg: number, where: string): void {
  if (!Number.isInteger(arg) || arg < 0 || arg >= af.count) {
    throw new SolverRangeError(`solver/explain: ${where}: argument ${arg} is outside 0..${af.count - 1}`);
  }
}

function earliestInAttacker(
  af: Framework,
  labelling: GroundedLabelling,
  rank: Int32Array,
  arg: number,
): number {
  const labels = labelling.labels;
  let best = -1;
  for (let i = af.attackerStart[arg]; i < af.attackerStart[arg + 1]; i++) {
    const b = af.attackers[i];
    if (labels[b] === LABEL_IN && (best < 0 || rank[b] < rank[best])) best = b;
  }
  return best;
}

/**
 * The defeater of an OUT argument: its IN attacker settled first (the one that made it OUT).
 * @returns the defeater's id, or undefined when `arg` is not OUT
 * @throws SolverRangeError for an id outside the framework
 * Complexity O(attackers of arg), plus O(|A|) once a labelling for the settle ranks.
 */
export function defeaterOf(af: Framework, labelling: GroundedLabelling, arg: number): number | undefined {
  checkArg(af, arg, 'defeaterOf');
  if (labelling.labels[arg] !== LABEL_OUT) return undefined;
  const d = earliestInAttacker(af, labelling, settleRank(labelling), arg);
  return d < 0 ? undefined : d;
}

/**
 * The justification of an IN argument: every attacker of it, and of each of its defenders recursively,
 * paired with the IN argument that defeats it. Pairs come in the order the solver settled the defeaters
 * (then the attackers); each attacker appears once, each defender is expanded once.
 * @throws SolverError SOLVER_NOT_IN when `arg` is not IN; SolverRangeError for an id outside the framework
 * Complexity O(size of the justification's neighbourhood · log), plus O(|A|) once a labelling.
 * @example justification(af, groundedLabelling(af), 0) // [{ attacker: 1, defeater: 2 }] for c -> b -> a
 */
export function justification(af: Framework, labelling: GroundedLabelling, arg: number): JustificationStep[] {
  checkArg(af, arg, 'justification');
  if (labelling.labels[arg] !== LABEL_IN) {
    throw new SolverError(
      'SOLVER_NOT_IN',
      `solver/explain: argument ${af.nameOf(arg)} is ${labelling.label(arg)}, only an IN argument has a justification`,
    );
  }
  const rank = settleRank(labelling);
  const seenAttackers = new Set<number>();
  const expanded = new Set<number>([arg]);
  const stack = [arg];
  const steps: JustificationStep[] = [];
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (let i = af.attackerStart[x]; i < af.attackerStart[x + 1]; i++) {
      const attacker = af.attackers[i];
      if (seenAttackers.has(attacker)) continue;
      seenAttackers.add(attacker);
      // x is IN, so every attacker is OUT and has an IN attacker settled before it.
      const defeater = earliestInAttacker(af, labelling, rank, attacker);
      steps.push({ attacker, defeater });
      if (!expanded.has(defeater)) {
        expanded.add(defeater);
        stack.push(defeater);
      }
    }
  }
  return steps.sort((p, q) => rank[p.defeater] - rank[q.defeater] || rank[p.attacker] - rank[q.attacker]);
}

/**
 * The UNDEC attackers of an argument: for an UNDEC argument, those that keep it undecided (it has no IN
 * attacker, and these are not OUT). Empty for IN arguments; for OUT ones it lists UNDEC attackers too.
 * @throws SolverRangeError for an id outside the framework
 * Complexity O(attackers of arg); result in increasing id order.
 */
export function undecidedAttackers(af: Framework, labelling: GroundedLabelling, arg: number): number[] {
  checkArg(af, arg, 'undecidedAttackers');
  const result: number[] = [];
  for (let i = af.attackerStart[arg]; i < af.attackerStart[arg + 1]; i++) {
    const b = af.attackers[i];
    if (labelling.labels[b] === LABEL_UNDEC) result.push(b);
  }
  return result;
}
