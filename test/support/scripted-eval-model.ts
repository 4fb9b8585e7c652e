/**
 * A scripted model for evaluation runs against the mock OpenAI server: each item's answers follow a plan
 * (right, wrong, malformed, rate limited) in a fixed rotation, for the baselines, the argmed agents (openai
 * back-end) and the predictability evaluator, so every expected figure follows from the plan. Used by the
 * evaluation tests and by `npm run figures:medqa-mock` (bench/eval-mock-figures.ts).
 *
 * It must not import vitest: `test/support` is compiled into `dist/` for the benchmarks.
 */
import { escapeData } from '../../agents/llm/prompts/blocks.js';
import type { EvalItem } from '../../src/eval/types.js';
import {
  lastUserMessage,
  type MockChatRequest,
  type MockReply,
  promptText,
  requestedSchema,
  roleOf,
  sampleFromSchema,
} from './mock-openai-server.js';

export type Plan = 'right' | 'wrong' | 'malformed' | 'rate-limited';

/** The plan of the i-th item of a slice: a fixed rotation so every kind occurs in five items. */
export function planOf(index: number): Plan {
  return (['right', 'wrong', 'malformed', 'rate-limited', 'right'] as const)[index % 5];
}

function optionIds(item: EvalItem): string[] {
  return item.case.options?.map((o) => o.id) ?? ['yes', 'no', 'maybe'];
}

/** A wrong option of the item (the first that is not gold). */
export function wrongOf(item: EvalItem): string {
  return optionIds(item).find((id) => id !== item.answer)!;
}

/** What marks an item's requests: its key, which the scripted reasoning repeats for the evaluator. */
function itemOf(items: readonly EvalItem[], request: MockChatRequest): EvalItem | undefined {
  const text = promptText(request);
  const marked = /\[item ([^\]]+)\]/.exec(text)?.[1];
  if (marked) return items.find((i) => i.key === marked);
  // A prompt names the item's question, and its facts (baselines, agents) or its options (the evaluator);
  // the agents' prompts escape case text as XML entities.
  const has = (s: string) => text.includes(s.slice(0, 120)) || text.includes(escapeData(s).slice(0, 120));
  return items.find((i) => {
    if (!has(i.case.question)) return false;
    const first = i.case.facts[0];
    const fact = typeof first === 'string' ? first : first?.text;
    if (fact !== undefined && has(fact)) return true;
    return (i.case.options ?? []).every((o) => has(o.text));
  });
}

export interface ScriptStats {
  /** Requests per item key and role (paid requests reaching the server). */
  requests: Map<string, number>;
  rateLimited: Map<string, number>;
  /** Answers given (200), per item key: what a real endpoint would bill. */
  paid?: Map<string, number>;
}

/**
 * A responder for baselines and the evaluator: per item, per its plan. Rate-limited items get 429 (with
 * Retry-After 0) for their first three requests of each role, more than the client's one retry, so the
 * runner has to slow down and retry the item. Self-consistency samples (temperature > 0) vote 2:1.
 * The evaluator predicts right for even-numbered items and wrong for odd ones.
 */
export function scriptFor(items: readonly EvalItem[], stats?: ScriptStats) {
  const seen = new Map<string, number>();
  const samplesAnswered = new Map<string, number>();
  return function respond(request: MockChatRequest): MockReply {
    const reply = answer(request);
    const item = itemOf(items, request);
    if (item && stats?.paid && (typeof reply === 'string' || !('status' in reply))) {
      stats.paid.set(item.key, (stats.paid.get(item.key) ?? 0) + 1);
    }
    return reply;
  };

  function answer(request: MockChatRequest): MockReply {
    const item = itemOf(items, request);
    const role = roleOf(request) ?? 'unknown';
    if (!item) return { status: 500 };
    const index = items.indexOf(item);
    const plan = planOf(index);
    const key = `${item.key}|${role}`;
    stats?.requests.set(item.key, (stats.requests.get(item.key) ?? 0) + 1);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (plan === 'rate-limited' && n < 3) {
      stats?.rateLimited.set(item.key, (stats.rateLimited.get(item.key) ?? 0) + 1);
      return { status: 429, retryAfter: 0 };
    }
    if (['generator-propose', 'generator-counter', 'verifier', 'comparer'].includes(role)) {
      return agentReply(request, role, item, plan);
    }
    if (role === 'evaluator') {
      // The record is redacted (option letters masked), so the scripted reader goes by the option's text.
      const text = /favours [^«]*«([^»]+)»/.exec(lastUserMessage(request))?.[1];
      const decided = (item.case.options ?? optionIds(item).map((id) => ({ id, text: id }))).find((o) => o.text === text)?.id;
      const guess = index % 2 === 0 ? decided : optionIds(item).find((id) => id !== decided);
      return `Answer: ${guess}`;
    }
    const sampled = (request.temperature ?? 0) > 0;
    let answer = plan === 'wrong' ? wrongOf(item) : item.answer;
    // Self-consistency: every third sample answered dissents, so the majority still follows the plan. Counted
    // over the item's sampled answers only (not its other calls, not refused requests), so the votes do not
    // depend on the order in which concurrent requests arrive.
    if (sampled) {
      const answeredSamples = samplesAnswered.get(item.key) ?? 0;
      samplesAnswered.set(item.key, answeredSamples + 1);
      if (answeredSamples % 3 === 2) answer = answer === item.answer ? wrongOf(item) : item.answer;
    }
    if (plan === 'malformed') return role === 'baseline-direct' ? 'I cannot tell.' : `[item ${item.key}] The case is unclear to me.`;
    if (role === 'baseline-direct') return `Answer: ${answer}`;
    const text = item.case.options?.find((o) => o.id === answer)?.text ?? answer;
    return `[item ${item.key}] Weighing the facts, the reasoning favours option ${answer} «${text}».\nAnswer: ${answer}`;
  }
}

/** The expected correctness of a baseline on the i-th item. */
export function expectedCorrect(index: number): boolean {
  const plan = planOf(index);
  return plan === 'right' || plan === 'rate-limited';
}

/**
 * The argmed agents' answers (openai back-end), filled from the requested JSON Schema: the verifier fails
 * the first critical question of every decision argument except the planned one (gold, or a wrong option
 * for a `wrong` item), so the counter-arguments defeat the others and the planned option is decided. A
 * `malformed` item gets broken JSON (the agent drops the answer after its repair retry).
 */
function agentReply(request: MockChatRequest, role: string, item: EvalItem, plan: Plan): MockReply {
  if (plan === 'malformed') return { rawJson: '{"arguments": [ broken' };
  const schema = requestedSchema(request);
  const target = plan === 'wrong' ? wrongOf(item) : item.answer;
  const option = /<argument[^>]*\soption="([^"]+)"/.exec(promptText(request))?.[1];
  let firstQuestion = true;
  return {
    json: sampleFromSchema(schema, {
      choose: (path, values) => {
        if (role === 'verifier' && path[path.length - 1] === 'challenge') {
          const succeeds = option !== undefined && option !== target && firstQuestion;
          firstQuestion = false;
          return succeeds ? 'yes' : 'no';
        }
        return path[path.length - 1] === 'worse' ? (values[1] ?? values[0]) : values[0];
      },
      // Distinct per challenged option: identical counter-arguments would be merged into one by the engine.
      text: (path) => `scripted ${path.join('.')} against ${option ?? 'none'}`,
    }),
  };
}
