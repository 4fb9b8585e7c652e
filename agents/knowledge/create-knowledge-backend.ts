/**
 * The `knowledge` reasoning back-end: a generator and a verifier that instantiate the schemes from a
 * knowledge base of clinical rules. Deterministic and offline: the same case and knowledge base always give
 * the same arguments, verdicts and counter-arguments, in the same order.
 */
import { candidateOptions } from '../case.js';
import type {
  AgentContext,
  ArgumentDraft,
  Backend,
  CompareRequest,
  CounterRequest,
  Generator,
  ProposeRequest,
  QuestionVerdict,
  Verifier,
  VerifyRequest,
} from '../types.js';
import { assess } from './assess.js';
import { optionById } from './assess-decision.js';
import { toDraft } from './assessment.js';
import { type CaseView, viewCase } from './case-view.js';
import { betterDecisionDraft, decisionDraft } from './drafts.js';
import { indexKnowledgeBase } from './knowledge-index.js';
import type { KnowledgeBase } from './types.js';

const SILENT = 'The knowledge base holds no rule bearing on this question, so it cannot answer it.';

/**
 * Creates the knowledge back-end over a validated knowledge base (see `loadKnowledgeBase`).
 * - propose: one ASDM argument per candidate option (options the knowledge base does not know get one too;
 *   its `evidence` question is then unknown, so the option stays open rather than refuted); without options, the
 *   treatments whose indication the facts fully meet, in knowledge-base order, at most `maxDecisions`.
 * - verify: every critical question of the argument's scheme, with a reason naming the rule and facts.
 * - counter: the counter-argument of the failed question, or null when the knowledge base has none.
 * - compare: ASBD arguments between tied options from any applicable preference (strong or conditional).
 * @example const backend = createKnowledgeBackend(await loadKnowledgeBase(path));
 */
export function createKnowledgeBackend(kb: KnowledgeBase): Backend {
  const index = indexKnowledgeBase(kb);
  const view = (context: AgentContext): CaseView => {
    context.signal?.throwIfAborted();
    return viewCase(index, context.kase, context.facts);
  };

  const generator: Generator = {
    async propose(request: ProposeRequest): Promise<ArgumentDraft[]> {
      const caseView = view(request);
      const options =
        request.options ?? candidateOptions(request.kase) ?? caseView.candidates(request.maxDecisions);
      return options.map((option) => toDraft(decisionDraft(caseView, option), request.scheme));
    },

    async counter(request: CounterRequest): Promise<ArgumentDraft | null> {
      const finding = assess(view(request), request.argument)[request.question.id];
      const spec = finding?.verdict === 'fail' ? finding.counter : undefined;
      // A scheme file may name another counter-scheme than the one the knowledge base builds: then none.
      if (!spec || spec.scheme !== request.scheme.id) return null;
      return toDraft(spec, request.scheme);
    },

    async compare(request: CompareRequest): Promise<ArgumentDraft[]> {
      const caseView = view(request);
      const drafts: ArgumentDraft[] = [];
      for (const candidate of request.tied) {
        for (const alternative of request.tied) {
          if (
            candidate.option === undefined ||
            alternative.option === undefined ||
            candidate.option === alternative.option
          )
            continue;
          const better = optionById(caseView, candidate.option);
          const worse = optionById(caseView, alternative.option);
          const betterTreatment = caseView.resolve(better).treatment;
          const worseTreatment = caseView.resolve(worse).treatment;
          // A preference that may apply is argued too: its verification leaves it open rather than a tie.
          const preference =
            betterTreatment && worseTreatment
              ? (caseView.preferences(betterTreatment, worseTreatment)[0] ??
                caseView.openPreferences(betterTreatment, worseTreatment)[0])
              : undefined;
          if (preference)
            drafts.push(toDraft(betterDecisionDraft(caseView, preference, better, worse), request.scheme));
        }
      }
      return drafts;
    },
  };

  const verifier: Verifier = {
    async verify(request: VerifyRequest): Promise<QuestionVerdict[]> {
      const findings = assess(view(request), request.argument);
      return request.scheme.criticalQuestions.map((question) => {
        const finding = findings[question.id];
        if (!finding) {
          const settle = `answer critical question ${question.id} from another source`;
          return { question: question.id, verdict: 'unknown', reason: SILENT, settle };
        }
        return {
          question: question.id,
          verdict: finding.verdict,
          reason: finding.reason,
          ...(finding.settle !== undefined ? { settle: finding.settle } : {}),
          ...(finding.facts !== undefined ? { facts: finding.facts } : {}),
          ...(finding.assumedAbsent !== undefined ? { assumedAbsent: [...finding.assumedAbsent] } : {}),
        };
      });
    },
  };

  return { name: 'knowledge', generator, verifier };
}
