/**
 * The benchmarks' zero-latency in-process back-end whose verifier fails every critical question, so a
 * deliberation grows its graph to the argument budget and its whole time is engine time (bench/engine.ts,
 * bench/revise.ts).
 */
import type { Backend } from '../agents/types.js';

/** A zero-latency back-end whose verifier fails every question: the graph grows to the argument budget. */
export function explodingBackend(): Backend {
  let n = 0;
  return {
    name: 'bench-exploding',
    generator: {
      propose: async (request) =>
        (request.options ?? []).map((option) => ({
          scheme: request.scheme.id,
          kind: 'decision' as const,
          option: option.id,
          variables: { D: option.id },
          premises: request.scheme.premises.map((p) => p.text),
          conclusion: `${option.id} should be considered`,
          text: `decision ${option.id}`,
        })),
      counter: async (request) => {
        n += 1;
        return {
          scheme: request.scheme.id,
          kind: request.scheme.yields,
          ...(request.scheme.yields === 'decision' ? { option: request.argument.option } : {}),
          variables: { X: `c${n}` },
          premises: request.scheme.premises.map((p) => p.text),
          conclusion: request.scheme.conclusion,
          text: `counter ${n} to ${request.argument.id} on ${request.question.id}`,
        };
      },
      compare: async () => [],
    },
    verifier: {
      verify: async (request) =>
        request.scheme.criticalQuestions.map((q) => ({
          question: q.id,
          verdict: 'fail' as const,
          reason: 'bench',
        })),
    },
  };
}
