/**
 * Contracts of the engine: the options of a deliberation, the events it emits and the result it returns.
 */
import type { Option } from '../../agents/case.js';
import type { AgentFailure, Argument, Backend, CallCache, LlmCallRecord } from '../../agents/types.js';
import type { Scheme } from '../../schemes/types.js';

export type Label = 'IN' | 'OUT' | 'UNDEC';

export type DeliberationStatus = 'decided' | 'undecided' | 'no-justified-decision' | 'failed';

export interface Budgets {
  /** Rounds of critique after round 0 (the paper's cap is 8). */
  maxRounds: number;
  /** Candidate decisions proposed when the case gives none. */
  maxDecisions: number;
  maxArguments: number;
  maxLlmCalls: number;
  maxTokens: number;
  /** Wall-clock limit in milliseconds. */
  deadlineMs: number;
  /** Verifier/generator calls in flight at once. */
  concurrency: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  maxRounds: 8,
  maxDecisions: 4,
  maxArguments: 200,
  maxLlmCalls: 400,
  maxTokens: 400_000,
  deadlineMs: 120_000,
  concurrency: 8,
};

/** The schemes the engine looks up by id (the registry of `schemes/load.ts` fits this shape). */
export interface SchemeLookup {
  get(id: string): Scheme | undefined;
  has(id: string): boolean;
  all(): readonly Scheme[];
}

export interface DeliberateOptions {
  backend: Backend;
  budgets?: Partial<Budgets>;
  /** Used by the back-end factory (`src/backends.ts`); the engine itself only passes it along. */
  cache?: CallCache;
  signal?: AbortSignal;
  /** Receives every event as it happens (for streaming). */
  onEvent?: (event: DeliberationEvent) => void;
  /** The schemes; loaded from the default `schemes/` folder when absent. */
  schemes?: SchemeLookup;
  /** Scheme of round-0 decision arguments (default `ASDM`). */
  decisionScheme?: string;
  /** Scheme of the better-decision round (default `ASBD`). */
  betterDecisionScheme?: string;
}

/** Where a clinician's contributed argument came from (absent on the deliberation's own arguments). */
export interface Contribution {
  /** Who: an API key id (`key:<hash prefix>`), `anonymous`, or `cds:<user>` for a CDS Hooks override. */
  author: string;
  /** The revision that added it. */
  revision: number;
  /** True when the clinician marked it as their own judgement: the back-end did not verify it. */
  judgement: boolean;
  at: string;
}

/** An argument node as the result and the graph exports show it. */
export interface ArgumentNode extends Argument {
  label?: Label;
  contribution?: Contribution;
}

export interface AttackEdge {
  /** `from` attacks `to`. */
  from: string;
  to: string;
  type: 'attack';
  /** The critical question that produced it (`exclusive` for mutual exclusion, `better-decision` for ASBD,
   * `clinician` for a contributed attack that names no question). */
  question: string;
  reason: string;
}

export interface DeliberationGraph {
  nodes: ArgumentNode[];
  attacks: AttackEdge[];
}

export interface JustificationStep {
  /** An attacker of the decision or of one of its defenders. */
  attacker: string;
  /** The IN argument that defeats it. */
  defeater: string;
}

export interface RejectedOption {
  option: string;
  argument: string;
  label: Label;
  /** IN arguments that defeat it (empty for an UNDEC option). Being excluded by the chosen decision is listed
   * only when nothing else defeats it, since it is true of every rejected option. */
  defeaters: string[];
}

export interface Usage {
  llmCalls: number;
  cachedCalls: number;
  tokensIn: number;
  tokensOut: number;
  wallMs: number;
  /** Wall time of each round, round 0 first. */
  roundMs: number[];
  /** Agent calls the engine made, by stage (a back-end may make several model calls for one). */
  agentCalls?: { propose: number; verify: number; counter: number; compare: number };
  /** Arguments whose critical questions were asked (one verify call each). */
  argumentsVerified?: number;
}

export interface DeliberationResult {
  status: DeliberationStatus;
  /** For `failed`: why. */
  reason?: string;
  decision?: { option: string; argument: string };
  /** For `undecided`: the options still tied. */
  tied?: string[];
  graph: DeliberationGraph;
  /** The defence of the decision, in the order the solver settled it. */
  justification: JustificationStep[];
  /** Ids of the IN arguments that make up the explanation (decision first). */
  explanationArguments: string[];
  rejected: RejectedOption[];
  /** Plain-text explanation built from the graph (no model call). */
  explanation: string;
  rounds: number;
  usage: Usage;
  budgetsHit: Array<keyof Budgets>;
  failures: AgentFailure[];
  calls: LlmCallRecord[];
  /** The candidate options with their text (the case's, or those the generator proposed). */
  candidates?: Option[];
  /** True when the caller's abort signal stopped the deliberation early. */
  aborted?: boolean;
  /** The revision of the graph this result is for, once the case was contested (absent: revision 1). */
  revision?: number;
}

/** What `deliberationEvents` yields: every event, then the result last. */
export type DeliberationStreamItem = DeliberationEvent | { type: 'result'; result: DeliberationResult };

export type DeliberationEvent =
  | { type: 'argument-added'; argument: Argument }
  | { type: 'attack-added'; attack: AttackEdge }
  | { type: 'round-done'; round: number; added: number; ms: number }
  | { type: 'solved'; labels: Record<string, Label> }
  | { type: 'decided'; status: DeliberationStatus; decision?: { option: string; argument: string } };
