/**
 * Per-item statistics of an argmed deliberation: graph size, rounds, label shares, justification size,
 * critical-question coverage and the structural checks of the justification.
 *
 * Critical-question coverage is the share of arguments whose critical questions were actually put by the
 * verifier: the dialogue verifies the arguments of round k in round k + 1, so when it stopped on a budget
 * the arguments of its last round were never questioned; an argument whose verification failed (the
 * model's answer was dropped) was not questioned either.
 */
import type { ArgmedDetails } from '../types.js';
import { defendsDecision, isConflictFree } from './justification-checks.js';

export interface ArgumentStatistics {
  arguments: number;
  attacks: number;
  rounds: number;
  in: number;
  out: number;
  undec: number;
  justificationSize: number;
  cqCoverage: number;
  /** Undefined when there is no decision to check. */
  conflictFree?: boolean;
  defends?: boolean;
}

/** Statistics of one deliberation. O(|A| + |R|). */
export function argumentStatistics(details: ArgmedDetails, decisionArgument?: string): ArgumentStatistics {
  const { nodes, attacks } = details.graph;
  const count = (label: string) => nodes.filter((n) => n.label === label).length;
  const stoppedOnBudget = details.budgetsHit.length > 0;
  const failed = new Set(details.verifyFailures);
  const questioned = nodes.filter((n) => !failed.has(n.id) && (!stoppedOnBudget || n.round < details.rounds)).length;
  const set = new Set(details.explanationArguments);
  const decided = decisionArgument !== undefined;
  return {
    arguments: nodes.length,
    attacks: attacks.length,
    rounds: details.rounds,
    in: count('IN'),
    out: count('OUT'),
    undec: count('UNDEC'),
    justificationSize: set.size,
    cqCoverage: nodes.length === 0 ? 0 : questioned / nodes.length,
    conflictFree: decided ? isConflictFree(set, attacks) : undefined,
    defends: decided ? defendsDecision(decisionArgument, set, attacks) : undefined,
  };
}
