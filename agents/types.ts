/**
 * Contracts of the agents layer: what a generator and a verifier do, whatever reasons for them
 * (a language model, or the offline knowledge base). The engine talks to these interfaces only.
 */
import type { Scheme } from '../schemes/types.js';
import type { Case, NormalisedFact, Option } from './case.js';

/** An argument as an agent proposes it: an instantiated scheme. */
export interface ArgumentDraft {
  /** Id of the scheme it instantiates (`ASDM`, `ASSE`, `ASBD`, `FACT`, ...). */
  scheme: string;
  kind: 'decision' | 'belief';
  /** For decision arguments: the option id argued for. */
  option?: string;
  /** The scheme's variables bound to case-specific values. */
  variables: Record<string, string>;
  /** Instantiated premises, in the scheme's order. */
  premises: string[];
  conclusion: string;
  /** One readable sentence summarising the argument. */
  text: string;
  /** Ids of the case facts it rests on (provenance). */
  facts?: string[];
  /** Where the knowledge came from (a knowledge-base rule id and its source, a model name). */
  source?: string;
}

/** An argument in the graph: a draft with its identity and history. */
export interface Argument extends ArgumentDraft {
  id: string;
  round: number;
  /** `generator`, `verifier`, `better-decision`, ... */
  agent: string;
}

/**
 * The answer to one critical question, always in one orientation: "does this challenge succeed?".
 * - `fail`: yes, the challenge succeeds (the argument does not stand on this question; a counter-argument follows);
 * - `pass`: no, the argument withstands it, for a reason the case or the knowledge gives;
 * - `unknown`: neither can be shown (the facts neither state nor rule out what the question asks, or the
 *   back-end cannot assess it). Absence of evidence is not a pass: the engine leaves the argument undecided
 *   with an open question that a verified answer settles.
 */
export interface QuestionVerdict {
  /** The critical question's id within the argument's scheme. */
  question: string;
  verdict: VerdictValue;
  /** Why, grounded in the case. */
  reason: string;
  /** For `unknown`: what would settle it, as an instruction to a clinician ("confirm whether ..."). */
  settle?: string;
  /** For `unknown`: ids of the case facts the question turns on (those that may state it but were not read). */
  facts?: string[];
  /**
   * What the answer took as absent because no fact of the case mentions it (readable names, such as "active
   * bleeding"): an argument that stands rests on them, so the explanation lists them for a clinician to confirm.
   */
  assumedAbsent?: string[];
}

/** The values of a verdict (see `QuestionVerdict`). */
export type VerdictValue = 'pass' | 'fail' | 'unknown';

/** One call to a reasoning model, as recorded in the call log. No prompt text: only its hash. */
export interface LlmCallRecord {
  role: 'generator' | 'verifier' | 'comparer' | 'baseline' | 'evaluator';
  promptHash: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  cached: boolean;
  attempts: number;
  error?: string;
}

/** A cache of model answers keyed by prompt hash (model and settings included in the hash). */
export interface CallCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, answer: string, record: LlmCallRecord): Promise<void>;
}

/** What every agent call carries: the case, cancellation, and where to record calls and failures. */
export interface AgentContext {
  kase: Case;
  facts: NormalisedFact[];
  signal?: AbortSignal;
  /** Called once per model call (cached or not). */
  recordCall?: (call: LlmCallRecord) => void;
  /** Called when an answer is dropped after failing validation, or a call fails for good. */
  recordFailure?: (failure: AgentFailure) => void;
}

export interface AgentFailure {
  role: LlmCallRecord['role'];
  stage: 'propose' | 'verify' | 'counter' | 'compare';
  argument?: string;
  error: string;
}

export interface ProposeRequest extends AgentContext {
  scheme: Scheme;
  /** The candidate options; undefined when the generator must propose them. */
  options?: Option[];
  maxDecisions: number;
}

export interface VerifyRequest extends AgentContext {
  argument: Argument;
  scheme: Scheme;
}

export interface CounterRequest extends AgentContext {
  /** The challenged argument. */
  argument: Argument;
  /** The question it failed, with the verifier's reason. */
  question: Scheme['criticalQuestions'][number];
  verdict: QuestionVerdict;
  /** The scheme the counter-argument instantiates (the question's counterScheme). */
  scheme: Scheme;
}

export interface CompareRequest extends AgentContext {
  /** Decision arguments left undecided only by their mutual exclusion. */
  tied: Argument[];
  scheme: Scheme;
}

/**
 * A comparer's answer that it cannot tell which tied option is better: it depends on something the case does
 * not settle. Not a tie (that is an empty list of comparisons): the engine leaves the tied decisions open.
 */
export interface UnknownComparison {
  unknown: true;
  /** Why, grounded in the case. */
  reason: string;
}

export interface Generator {
  /** Round 0: one decision argument per candidate option, or proposed options (at most maxDecisions). */
  propose(request: ProposeRequest): Promise<ArgumentDraft[]>;
  /** A counter-argument for a failed critical question, or null when none can be built. */
  counter(request: CounterRequest): Promise<ArgumentDraft | null>;
  /** Better-decision arguments among tied decisions: each one's `option` is the better one, and
   * `variables.worse` names the option (id) it is better than. Empty when no comparison can be made; throws
   * when the comparison could not be asked (a failed call), which the engine records as incomplete; an
   * `UnknownComparison` when which is better depends on what the case does not settle. */
  compare(request: CompareRequest): Promise<ArgumentDraft[] | UnknownComparison>;
}

export interface Verifier {
  /** All critical questions of the argument's scheme, answered in one call. */
  verify(request: VerifyRequest): Promise<QuestionVerdict[]>;
}

/** A reasoning back-end: a generator and a verifier sharing one source of knowledge. */
export interface Backend {
  readonly name: 'knowledge' | 'openai' | (string & {});
  readonly generator: Generator;
  readonly verifier: Verifier;
}
