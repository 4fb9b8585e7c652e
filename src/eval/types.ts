/**
 * Contracts of the evaluation layer: dataset items, the run specification, method outcomes and stored
 * item results. Adapters, methods, the runner, the queue and the reports depend on this file only.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { BACKENDS, type Case, type Option } from '../../agents/case.js';
import type { LlmClient } from '../../agents/llm/client.js';
import type { LlmCallRecord } from '../../agents/types.js';
import type { Config } from '../config.js';
import type { DeliberationProbes } from './faithfulness/probe-deliberation.js';
import type { Budgets, DeliberationGraph, DeliberationStatus, JustificationStep, RejectedOption } from '../engine/types.js';

export const DATASETS = ['medqa', 'pubmedqa', 'casimedicos', 'jsonl'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const METHODS = ['argmed', 'direct', 'cot', 'self-consistency'] as const;
export type MethodName = (typeof METHODS)[number];

/** A reference explanation graph (CasiMedicos-Arg): claims and premises with support/attack relations. */
export interface ReferenceGraph {
  components: Array<{ id: string; kind: 'claim' | 'premise' | 'option'; text: string }>;
  relations: Array<{ from: string; to: string; type: 'support' | 'attack' }>;
}

/** One evaluation item: a case, its gold answer, and reference explanations when the dataset has them. */
export interface EvalItem {
  /** Stable within the dataset file (a PMID, a record id, or `line-N`). */
  key: string;
  case: Case;
  /** Gold option id (`A`, `3`, `yes`, ...). */
  answer: string;
  /** A reference explanation as text (PubMedQA long answer, a doctor's explanation). */
  reference?: string;
  referenceGraph?: ReferenceGraph;
}

/** A record that could not be read: where, and why. Reported, then skipped. */
export interface DatasetProblem {
  /** 1-based line number in the file (or record index for JSON files). */
  line: number;
  key?: string;
  message: string;
}

export interface LoadedDataset {
  items: EvalItem[];
  problems: DatasetProblem[];
  /** Records in the file before slicing (valid ones). */
  total: number;
}

export const SliceSchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).optional(),
    sample: z.number().int().min(1).optional(),
    seed: z.number().int().default(42),
  })
  .strict();
export type SliceOptions = z.input<typeof SliceSchema>;

/** The `localModel` of a run's spec: the GGUF file's name when the run argues on the local back-end. */
export function localModelName(config: Pick<Config, 'local'>, backend: string): string | undefined {
  return backend === 'local' && config.local.modelPath ? basename(config.local.modelPath) : undefined;
}

/** What defines a run: same spec, same run id, so re-running a command resumes it. */
export const RunSpecSchema = z
  .object({
    dataset: z.enum(DATASETS),
    file: z.string().min(1),
    slice: SliceSchema.default({ offset: 0, seed: 42 }),
    methods: z.array(z.enum(METHODS)).min(1),
    backend: z.enum(BACKENDS).default('knowledge'),
    /** Model name for baselines and the openai back-end (recorded so runs on other models differ). */
    model: z.string().default('unknown'),
    /** File name of the local back-end's GGUF model (recorded so runs on other model files differ). */
    localModel: z.string().optional(),
    selfConsistency: z
      .object({ k: z.number().int().min(1).max(40).default(5), temperature: z.number().min(0).max(2).default(0.7) })
      .default({ k: 5, temperature: 0.7 }),
    /** Ask the evaluator model to predict each decision from its explanation (costs one call an item). */
    predictability: z.boolean().default(false),
    /** Faithfulness probes of argmed (repeat runs, reordered facts, deleted facts); absent: none. Optional
     * without a default so the ids of runs that do not ask for it stay what they were. */
    faithfulness: z
      .object({ repeats: z.number().int().min(0).max(10).default(2), facts: z.number().int().min(0).max(20).default(3) })
      .strict()
      .optional(),
    budgets: z.record(z.string(), z.number()).optional(),
  })
  .strict();
export type RunSpecInput = z.input<typeof RunSpecSchema>;
export type RunSpec = z.output<typeof RunSpecSchema>;

/** Argumentation details of an argmed outcome, kept for the explanation metrics and the item page. */
export interface ArgmedDetails {
  status: DeliberationStatus;
  graph: DeliberationGraph;
  justification: JustificationStep[];
  explanationArguments: string[];
  rejected: RejectedOption[];
  rounds: number;
  budgetsHit: Array<keyof Budgets>;
  verifyFailures: string[];
  caseId?: string;
  /** Stability and counterfactual-fact probes, when the run asked for them. */
  probes?: DeliberationProbes;
}

/** What a method returns for one item. */
export interface MethodOutcome {
  /** The parsed answer (an option id), undefined when none could be parsed or decided. */
  predicted?: string;
  /** How the answer was read: `letter`, `text`, `label`, `decision`, `vote`, or `none`. */
  parsedBy: string;
  /** The explanation shown to the evaluator (reasoning without its final answer line). */
  explanation: string;
  /** Raw final model text (baselines), for inspection of unparseable answers. */
  raw?: string;
  votes?: Record<string, number>;
  argmed?: ArgmedDetails;
  /** The evaluator model's guess of `predicted` from the redacted explanation: an option id, `none` (no
   * decision) or `unparsed`. */
  evaluatorPrediction?: string;
  calls: LlmCallRecord[];
}

/** One stored result: an item × method. */
export interface ItemResult {
  runId: string;
  itemKey: string;
  method: MethodName;
  status: 'done' | 'failed';
  gold: string;
  predicted?: string;
  correct: boolean;
  /** Count of LLM calls actually paid (not served from cache). */
  calls: number;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  error?: string;
  /** The outcome with what the metrics need of the item: its graded options and reference explanations. */
  outcome?: MethodOutcome & { options?: Option[]; reference?: string; referenceGraph?: ReferenceGraph };
  finishedAt: string;
}

/**
 * The model the baselines and the evaluator talk to: the part of agents/llm's `LlmClient` they use
 * (retries with backoff honouring Retry-After, the call cache, the concurrency limit, call records), and
 * optionally the cache key of a call (`textCallKey`), with which a run looks up upcoming calls ahead.
 */
export type ChatModel = Pick<LlmClient, 'model' | 'complete'> & Partial<Pick<LlmClient, 'textCallKey'>>;

/** Progress of a run as the bar, the API and the coordinator show it. */
export interface RunProgress {
  runId: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  correct: number;
  tokensIn: number;
  tokensOut: number;
  perMethod: Record<string, { done: number; failed: number; correct: number }>;
}
