/**
 * Contracts of the engine: the options of a deliberation, the events it emits and the result it returns.
 */
import type { Option } from '../../agents/case.js';
import type { AgentFailure, Argument, Backend, CallCache, LlmCallRecord } from '../../agents/types.js';
import type { SchemeRegistry } from '../../schemes/load.js';

export type Label = 'IN' | 'OUT' | 'UNDEC';

/**
 * How a deliberation ended. `decided`: one option is justified by verified arguments. `undecided`: a genuine tie
 * (options neither defeats the other). `no-justified-decision`: every option is refuted by verified arguments
 * (the paper's signal of a reasoning error). `insufficient-knowledge`: open questions the back-end could not
 * answer stand between the options and a decision. `incomplete`: verifications did not complete (calls failed,
 * invalid answers, budgets or the deadline). `unsupported-question`: the question is of a kind argmed refuses
 * to argue (asked in the negative: the decision scheme argues for the option to choose, so it would answer
 * backwards); `reason` says why and how to ask instead. `failed`: nothing could be argued at all.
 */
export type DeliberationStatus =
  | 'decided'
  | 'undecided'
  | 'no-justified-decision'
  | 'insufficient-knowledge'
  | 'incomplete'
  | 'unsupported-question'
  | 'failed';

/** Every status, in the order above (for schemas, reports and tests). */
export const DELIBERATION_STATUSES = [
  'decided',
  'undecided',
  'no-justified-decision',
  'insufficient-knowledge',
  'incomplete',
  'unsupported-question',
  'failed',
] as const satisfies readonly DeliberationStatus[];

/** The statuses that abstain for a stated reason rather than decide (the evaluation counts them apart). */
export const ABSTENTION_STATUSES = [
  'undecided',
  'no-justified-decision',
  'insufficient-knowledge',
  'incomplete',
  'unsupported-question',
] as const satisfies readonly DeliberationStatus[];

/** A status that abstains for a stated reason (see `ABSTENTION_STATUSES`). */
export type AbstentionStatus = (typeof ABSTENTION_STATUSES)[number];

/**
 * Why an argument stays undecided: `unknown` (a critical question answered unknown), `no-counter` (a challenge
 * succeeded but no counter-argument could be written), `not-verified` (its verification did not complete) or
 * `counter-failed` (the counter-argument's call failed or found no room in the budget). The first two are
 * knowledge gaps (`insufficient-knowledge`), the last two incomplete work (`incomplete`).
 */
export type DoubtCause = 'unknown' | 'no-counter' | 'not-verified' | 'counter-failed';

/** An open question or unverified argument: a doubt node of the graph, with what it blocks. */
export interface OpenQuestion {
  /** The doubt argument's id in the graph. */
  id: string;
  /** The argument it leaves undecided. */
  argument: string;
  /** The critical question, when one is concerned. */
  question?: string;
  cause: DoubtCause;
  /** Why, in words (the verifier's reason, or the failure). */
  reason: string;
  /** What would settle it. */
  settle: string;
  /** Ids of the case facts it turns on, when the back-end named them. */
  facts?: string[];
}

/** A candidate option that is neither decided nor refuted, and what would make it justified. */
export interface PendingOption {
  option: string;
  argument: string;
  /** Ids of the open questions on the option's own line of defence (not those of the other options). */
  openQuestions: string[];
  /** What would make it justified, as sentences for a clinician. */
  justifiedIf: string[];
}

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

export interface DeliberateOptions {
  backend: Backend;
  budgets?: Partial<Budgets>;
  /** Used by the back-end factory (`src/backends.ts`); the engine itself only passes it along. */
  cache?: CallCache;
  signal?: AbortSignal;
  /** Receives every event as it happens (for streaming). */
  onEvent?: (event: DeliberationEvent) => void;
  /** The schemes; loaded from the default `schemes/` folder when absent. */
  schemes?: SchemeRegistry;
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
  /**
   * What its verification took as absent because no fact of the case mentions it (the verifier's
   * `assumedAbsent` of the questions it passed): the argument stands only if these are indeed absent.
   */
  assumedAbsent?: string[];
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
  /** For `failed` and `unsupported-question`: why. */
  reason?: string;
  decision?: { option: string; argument: string };
  /** For `undecided`: the options still tied. */
  tied?: string[];
  /** For `insufficient-knowledge` and `incomplete`: the open questions and unverified arguments in the way. */
  openQuestions?: OpenQuestion[];
  /** For `insufficient-knowledge` and `incomplete`: each option left open, with what would make it justified. */
  pending?: PendingOption[];
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
  /**
   * For `decided`: the case's facts (id and text) that no argument of the graph cites. The decision does not
   * rest on them, and nothing shows that they were weighed: the explanation lists them for the clinician to
   * check (a contraindication written in words the back-end does not read would be among them).
   */
  uncitedFacts?: Array<{ id: string; text: string }>;
  /**
   * For `decided`: what the decision and its defenders stand on without any fact saying so: conditions the
   * verifier took as absent because no fact mentions them (contraindications, exclusions), each once. The
   * explanation asks a clinician to confirm them before acting.
   */
  assumedAbsent?: string[];
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
