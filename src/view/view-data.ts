/**
 * The data the graph page draws, built on the server from a case record and the schemes: the graph with its
 * labels, the decision and its justification, and for every scheme its premises and critical questions, so
 * the page can say which question lies behind each attack without another request.
 */
import type { Scheme } from '../../schemes/types.js';
import type { CaseRecord } from '../cases/types.js';
import type { DeliberationGraph, JustificationStep } from '../engine/types.js';

export interface ViewSchemeInfo {
  title: string;
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
): ViewData {
  const result = record.result;
  const shown = result?.graph ?? graph ?? { nodes: [], attacks: [] };
  const used = new Set(shown.nodes.map((node) => node.scheme));
  const schemeInfo: Record<string, ViewSchemeInfo> = {};
  for (const scheme of schemes) {
    if (!used.has(scheme.id)) continue;
    schemeInfo[scheme.id] = {
      title: scheme.title,
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
  };
}
