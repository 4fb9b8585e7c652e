/**
 * A scripted in-test back-end for engine unit tests: round 0 argues for every candidate option; the
 * verifier and the generator's counters follow small rule tables keyed by argument text, so each test states
 * the dialogue it wants in a few lines. Schemes are built here too, so engine tests do not depend on the
 * scheme files.
 */
import { CaseSchema, type CaseInput, type Case } from '../../agents/case.js';
import type {
  Argument,
  ArgumentDraft,
  Backend,
  CompareRequest,
  CounterRequest,
  LlmCallRecord,
  ProposeRequest,
  QuestionVerdict,
  VerifyRequest,
} from '../../agents/types.js';
import { type Scheme, SchemeSchema } from '../../schemes/types.js';
import { createRegistry, type SchemeRegistry } from '../../schemes/load.js';

const scheme = (value: unknown): Scheme => SchemeSchema.parse(value);

export const TEST_SCHEMES: Scheme[] = [
  scheme({
    id: 'ASDM',
    title: 'decision',
    yields: 'decision',
    variables: [{ name: 'D', description: 'decision' }],
    premises: [{ id: 'p1', text: 'D promotes G' }],
    conclusion: 'D should be considered',
    criticalQuestions: [
      { id: 'side-effects', text: 'side effects?', targets: 'conclusion', counterScheme: 'ASSE' },
      { id: 'facts', text: 'facts hold?', targets: 'p1', counterScheme: 'FACT' },
    ],
  }),
  scheme({
    id: 'ASSE',
    title: 'side effect',
    yields: 'belief',
    variables: [{ name: 'S', description: 'side effect' }],
    premises: [{ id: 'p1', text: 'D has S' }],
    conclusion: 'D should not be chosen',
    criticalQuestions: [
      { id: 'mitigation', text: 'mitigated?', targets: 'conclusion', counterScheme: 'FACT' },
    ],
  }),
  scheme({
    id: 'FACT',
    title: 'fact challenge',
    yields: 'belief',
    variables: [{ name: 'P', description: 'premise' }],
    premises: [{ id: 'p1', text: 'the case does not support P' }],
    conclusion: 'P does not hold',
    criticalQuestions: [{ id: 'really', text: 'really?', targets: 'conclusion', counterScheme: 'FACT' }],
  }),
  scheme({
    id: 'ASBD',
    title: 'better decision',
    yields: 'decision',
    variables: [
      { name: 'D', description: 'better' },
      { name: 'worse', description: 'worse' },
    ],
    premises: [{ id: 'p1', text: 'D better than worse' }],
    conclusion: 'D rather than worse',
    criticalQuestions: [{ id: 'comparison', text: 'really better?', targets: 'p1', counterScheme: 'FACT' }],
  }),
];

/** A registry over the test schemes. */
export function testSchemes(schemes: Scheme[] = TEST_SCHEMES): SchemeRegistry {
  return createRegistry(schemes);
}

/** A parsed case with options `a`, `b` (or the given ones). */
export function testCase(input: Partial<CaseInput> = {}): Case {
  return CaseSchema.parse({
    question: 'Which treatment?',
    facts: ['fact one'],
    options: [
      { id: 'a', text: 'treatment A' },
      { id: 'b', text: 'treatment B' },
    ],
    ...input,
  });
}

/** A belief draft of the given scheme with `text` as its identity. */
export function belief(schemeId: string, text: string): ArgumentDraft {
  return {
    scheme: schemeId,
    kind: 'belief',
    variables: { X: text },
    premises: [text],
    conclusion: text,
    text,
  };
}

/** A decision draft for an option. */
export function decision(
  option: string,
  schemeId = 'ASDM',
  extra: Record<string, string> = {},
): ArgumentDraft {
  return {
    scheme: schemeId,
    kind: 'decision',
    option,
    variables: { D: option, ...extra },
    premises: [`${option} promotes the goal`],
    conclusion: `${option} should be considered`,
    text: `${schemeId} for ${option}${extra.worse ? ` over ${extra.worse}` : ''}`,
  };
}

export interface FakeScript {
  /** Round 0; by default one ASDM per candidate option. */
  propose?: (request: ProposeRequest) => Promise<ArgumentDraft[]> | ArgumentDraft[];
  /** Failed questions of an argument, keyed by argument text: question id -> reason. Others pass. */
  fails?: Record<string, Record<string, string>> | ((argument: Argument) => Record<string, string>);
  /** Counter-argument for (argument text, question id); default a FACT belief named after them. */
  counter?: (argument: Argument, question: string) => ArgumentDraft | null;
  compare?: (request: CompareRequest) => Promise<ArgumentDraft[]> | ArgumentDraft[];
  /** Extra behaviour before each verify call (delays, throws, hangs). */
  beforeVerify?: (request: VerifyRequest) => Promise<void> | void;
  /** Model-call records to report for every agent call (LLM-budget tests). */
  call?: Partial<LlmCallRecord>;
}

/** Counts of what the fake was asked, for assertions. */
export interface FakeStats {
  propose: number;
  verify: number;
  counter: number;
  compare: number;
  inFlight: number;
  maxInFlight: number;
}

/** Builds the fake back-end and its stats. */
export function fakeBackend(script: FakeScript = {}): { backend: Backend; stats: FakeStats } {
  const stats: FakeStats = { propose: 0, verify: 0, counter: 0, compare: 0, inFlight: 0, maxInFlight: 0 };
  const record = (
    request: { recordCall?: (c: LlmCallRecord) => void },
    role: LlmCallRecord['role'],
  ): void => {
    if (!script.call) return;
    request.recordCall?.({
      role,
      promptHash: 'h',
      model: 'fake',
      tokensIn: 10,
      tokensOut: 5,
      latencyMs: 0,
      cached: false,
      attempts: 1,
      ...script.call,
    });
  };
  const backend: Backend = {
    name: 'fake',
    generator: {
      async propose(request) {
        stats.propose += 1;
        record(request, 'generator');
        if (script.propose) return script.propose(request);
        return (request.options ?? []).map((option) => decision(option.id));
      },
      async counter(request: CounterRequest) {
        stats.counter += 1;
        record(request, 'generator');
        if (script.counter) return script.counter(request.argument, request.question.id);
        return belief(request.scheme.id, `${request.question.id} against ${request.argument.text}`);
      },
      async compare(request) {
        stats.compare += 1;
        record(request, 'comparer');
        return script.compare ? script.compare(request) : [];
      },
    },
    verifier: {
      async verify(request) {
        stats.verify += 1;
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        try {
          record(request, 'verifier');
          await script.beforeVerify?.(request);
          const fails =
            typeof script.fails === 'function'
              ? script.fails(request.argument)
              : (script.fails?.[request.argument.text] ?? {});
          return request.scheme.criticalQuestions.map(
            (q): QuestionVerdict =>
              q.id in fails
                ? { question: q.id, verdict: 'fail', reason: fails[q.id] }
                : { question: q.id, verdict: 'pass', reason: 'holds' },
          );
        } finally {
          stats.inFlight -= 1;
        }
      },
    },
  };
  return { backend, stats };
}
