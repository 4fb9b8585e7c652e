/**
 * The data the graph page draws, built on the server from a case record and the schemes: the graph with its
 * labels, the decision and its justification, the patient's facts, the revisions of a contested case, and
 * for every scheme its premises and critical questions, so the page can say which question lies behind each
 * attack, and offer the schemes of a counter-argument, without another request.
 */
import { normaliseFacts } from '../../agents/case.js';
import type { Scheme } from '../../schemes/types.js';
import type { CaseRecord } from '../cases/types.js';
import type { DeliberationGraph, JustificationStep } from '../engine/types.js';
import type { RevisionView } from '../revisions/types.js';

export interface ViewSchemeInfo {
  title: string;
  yields: 'decision' | 'belief';
  premises: Array<{ id: string; text: string }>;
  conclusion: string;
  criticalQuestions: Array<{ id: string; text: string; targets: string }>;
}

export interface ViewData {
  case: {
    id: string;
    title?: string;
    question: string;
    status: string;
    options: Array<{ id: string; text: string }>;
    decision?: { option: string; argument: string };
    tied?: string[];
    explanation?: string;
    error?: string;
  };
  graph: DeliberationGraph;
  justification: JustificationStep[];
  explanationArguments: string[];
  schemes: Record<string, ViewSchemeInfo>;
  /** Whether the case may still change (the page then reloads itself). */
  live: boolean;
  /** The patient's facts as the case now states them. */
  facts: Array<{ id: string; text: string; source?: string }>;
  /** The revisions of the graph, oldest first (empty until the case finished). */
  revisions: RevisionView[];
  /** Whether the revisions' hash chain verifies. */
  chainVerified: boolean;
  /** Whether contributions need an API key (the page's form then asks for one). */
  apiKeyRequired: boolean;
}

/** What the page is built from besides the record. */
export interface ViewExtras {
  revisions?: RevisionView[];
  chainVerified?: boolean;
  apiKeyRequired?: boolean;
}

/**
 * Gathers what the page shows. The graph of a finished case is the result's (final labels); a running case
 * shows the graph stored so far. O(|A| + |R| + schemes).
 */
export function buildViewData(
  record: CaseRecord,
  graph: DeliberationGraph | undefined,
  schemes: readonly Scheme[],
  terminal: boolean,
  extras: ViewExtras = {},
): ViewData {
  const result = record.result;
  const shown = result?.graph ?? graph ?? { nodes: [], attacks: [] };
  // Every scheme: a clinician's counter-argument may use one the deliberation did not.
  const schemeInfo: Record<string, ViewSchemeInfo> = {};
  for (const scheme of schemes) {
    schemeInfo[scheme.id] = {
      title: scheme.title,
      yields: scheme.yields,
      premises: scheme.premises,
      conclusion: scheme.conclusion,
      criticalQuestions: scheme.criticalQuestions.map(({ id, text, targets }) => ({ id, text, targets })),
    };
  }
  return {
    case: {
      id: record.id,
      title: record.input.title,
      question: record.input.question,
      status: record.status,
      options: record.input.options ?? [],
      decision: result?.decision,
      tied: result?.tied,
      explanation: result?.explanation,
      error: record.error,
    },
    graph: shown,
    justification: result?.justification ?? [],
    explanationArguments: result?.explanationArguments ?? [],
    schemes: schemeInfo,
    live: !terminal,
    facts: normaliseFacts(record.input.facts).map(({ id, text, source }) => ({
      id,
      text,
      ...(source !== undefined ? { source } : {}),
    })),
    revisions: extras.revisions ?? [],
    chainVerified: extras.chainVerified ?? true,
    apiKeyRequired: extras.apiKeyRequired ?? false,
  };
}
