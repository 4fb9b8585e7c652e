/**
 * The plain-prompting baselines: `direct` (answer only), `cot` (reason step by step, then answer) and
 * `self-consistency` (k chain-of-thought samples at a sampling temperature, majority vote; ties go to the
 * answer reached first). All use the run's model; direct and cot at temperature 0.
 */
import type { LlmCallRecord } from '../../../agents/types.js';
import type { ChatModel, EvalItem, MethodOutcome } from '../types.js';
import { baselineMessages, gradedOptions } from './baseline-prompts.js';
import { parseAnswer, stripAnswer } from './parse-answer.js';

export interface BaselineOptions {
  model: ChatModel;
  signal?: AbortSignal;
}

/**
 * The cache keys of the model calls a baseline will make on `item` (empty when the model cannot tell
 * them): the same messages and options as `runSingle` and `runSelfConsistency` send, so that a run can
 * look their answers up ahead of time. O(k × size of the prompt).
 */
export function baselineCallKeys(
  item: EvalItem,
  method: 'direct' | 'cot' | 'self-consistency',
  model: ChatModel,
  selfConsistency: { k: number; temperature: number },
): string[] {
  if (!model.textCallKey) return [];
  if (method !== 'self-consistency') return [model.textCallKey(baselineMessages(item.case, method), { temperature: 0 })];
  const messages = baselineMessages(item.case, 'cot');
  return Array.from({ length: selfConsistency.k }, (_, sample) =>
    model.textCallKey!(messages, { temperature: selfConsistency.temperature, sample }),
  );
}

/**
 * One direct or chain-of-thought answer.
 * @throws the client's LlmError once its retries are spent (the runner decides: slow down or fail the item).
 */
export async function runSingle(item: EvalItem, style: 'direct' | 'cot', o: BaselineOptions): Promise<MethodOutcome> {
  // The options here and in baselineCallKeys must agree (temperature 0, no sample index).
  const { text, calls } = await o.model.complete(baselineMessages(item.case, style), {
    role: 'baseline',
    temperature: 0,
    signal: o.signal,
  });
  const parsed = parseAnswer(text, gradedOptions(item.case));
  return { predicted: parsed.answer, parsedBy: parsed.parsedBy, explanation: stripAnswer(text), raw: text, calls };
}

/**
 * Self-consistency: `k` chain-of-thought samples (sample index in the cache key, so each is its own call),
 * majority vote over the parsed answers. Unparseable samples do not vote.
 */
export async function runSelfConsistency(
  item: EvalItem,
  o: BaselineOptions & { k: number; temperature: number },
): Promise<MethodOutcome> {
  const messages = baselineMessages(item.case, 'cot');
  const samples = await Promise.all(
    Array.from({ length: o.k }, (_, sample) =>
      o.model.complete(messages, { role: 'baseline', temperature: o.temperature, sample, signal: o.signal }),
    ),
  );
  const options = gradedOptions(item.case);
  const votes: Record<string, number> = {};
  const order: string[] = [];
  const calls: LlmCallRecord[] = [];
  for (const sample of samples) {
    calls.push(...sample.calls);
    const parsed = parseAnswer(sample.text, options);
    if (parsed.answer === undefined) continue;
    if (!(parsed.answer in votes)) order.push(parsed.answer);
    votes[parsed.answer] = (votes[parsed.answer] ?? 0) + 1;
  }
  let predicted: string | undefined;
  for (const answer of order) if (predicted === undefined || votes[answer] > votes[predicted]) predicted = answer;
  // The explanation is the reasoning of the first sample that voted for the winner.
  const winner = samples.find((s) => parseAnswer(s.text, options).answer === predicted);
  return {
    predicted,
    parsedBy: predicted === undefined ? 'none' : 'vote',
    explanation: stripAnswer(winner?.text ?? samples[0]?.text ?? ''),
    raw: winner?.text ?? samples[0]?.text,
    votes,
    calls,
  };
}
