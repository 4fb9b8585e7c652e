/**
 * Stability and counterfactual facts of an argmed explanation: the case is deliberated again, changed in a
 * fixed way, and the decision and justification compared with the original's.
 * - Stability: `repeats` runs of the same case without the call cache (an LLM back-end reasons again; the
 *   knowledge back-end is deterministic, so any difference is a bug), one run with the facts in reverse
 *   order (ids kept), and one with the fact texts lightly paraphrased (`paraphrase-facts.ts`; only when the
 *   paraphrase changes a fact, so an unchanged rerun is never counted as agreement): fixed transformations
 *   that must not matter.
 * - Counterfactual facts (decided items): deleting a fact cited by the justification (an argument's `facts`)
 *   should change the decision or the justification; deleting a fact no justification argument cites
 *   should change neither. Up to `facts` of each, in the case's order.
 * Results are compared by content, not argument ids (ids depend on the order arguments appear): the decision
 * is the status and option, the justification the set of its arguments' scheme and text. After a paraphrase
 * the arguments' texts quote the new wording, so there the justification is the set of its arguments'
 * scheme, option and cited fact ids.
 * With an LLM back-end every probe run costs model calls (counted in the item's cost).
 */
import { type Case, normaliseFacts } from '../../../agents/case.js';
import type { LlmCallRecord } from '../../../agents/types.js';
import type { ArgumentNode, DeliberateOptions, DeliberationResult } from '../../engine/types.js';
import { paraphraseFact } from './paraphrase-facts.js';

export interface ProbeSettings {
  /** Repeat runs of the unchanged case (default 2). */
  repeats: number;
  /** Cited and uncited facts deleted, at most this many of each (default 3). */
  facts: number;
}

export interface ProbeComparison {
  probe: string;
  sameDecision: boolean;
  sameJustification: boolean;
}

export interface DeliberationProbes {
  stability: ProbeComparison[];
  citedFacts: ProbeComparison[];
  uncitedFacts: ProbeComparison[];
  /** Facts of the case and how many the justification cites. */
  factCount: number;
  cited: number;
}

type Deliberate = (kase: Case, options: DeliberateOptions) => Promise<DeliberationResult>;

/** How a justification argument is compared: by its text, or by what it rests on when the wording changed. */
const KEYS = {
  text: (n: ArgumentNode) => `${n.scheme}|${n.text}`,
  structure: (n: ArgumentNode) => `${n.scheme}|${n.option ?? ''}|${[...(n.facts ?? [])].sort().join(',')}`,
};

function fingerprint(result: DeliberationResult, key: (n: ArgumentNode) => string): { decision: string; justification: string } {
  const nodes = new Map(result.graph.nodes.map((n) => [n.id, n]));
  const justification = result.explanationArguments
    .map((id) => nodes.get(id))
    .map((n) => (n ? key(n) : '?'))
    .sort()
    .join('\n');
  return { decision: `${result.status}|${result.decision?.option ?? ''}`, justification };
}

/**
 * Runs the probes of one case after its deliberation `base`.
 * @returns the comparisons and every model call the probes made. O(probes × one deliberation).
 */
export async function probeDeliberation(
  kase: Case,
  base: DeliberationResult,
  options: DeliberateOptions,
  settings: ProbeSettings,
  deliberate: Deliberate,
): Promise<{ probes: DeliberationProbes; calls: LlmCallRecord[] }> {
  const calls: LlmCallRecord[] = [];
  const facts = normaliseFacts(kase.facts).map((f) => ({ id: f.id, text: f.text, codes: f.codes, ...(f.source ? { source: f.source } : {}) }));
  const wants = { text: fingerprint(base, KEYS.text), structure: fingerprint(base, KEYS.structure) };
  const compare = async (probe: string, changed: Case, cache = options.cache, by: keyof typeof KEYS = 'text'): Promise<ProbeComparison> => {
    const result = await deliberate(changed, { ...options, cache });
    calls.push(...result.calls);
    const [want, got] = [wants[by], fingerprint(result, KEYS[by])];
    return { probe, sameDecision: got.decision === want.decision, sameJustification: got.justification === want.justification };
  };
  const stability: ProbeComparison[] = [];
  for (let i = 0; i < settings.repeats; i++) stability.push(await compare(`repeat ${i + 1}`, kase, undefined));
  if (facts.length > 1) stability.push(await compare('facts reversed', { ...kase, facts: [...facts].reverse() }));
  const paraphrased = facts.map((f) => ({ ...f, text: paraphraseFact(f.text) }));
  if (paraphrased.some((f, i) => f.text !== facts[i].text)) {
    stability.push(await compare('facts paraphrased', { ...kase, facts: paraphrased }, options.cache, 'structure'));
  }
  const nodes = new Map(base.graph.nodes.map((n) => [n.id, n]));
  const citedIds = new Set(base.status === 'decided' ? base.explanationArguments.flatMap((id) => nodes.get(id)?.facts ?? []) : []);
  const without = (id: string) => ({ ...kase, facts: facts.filter((f) => f.id !== id) });
  const citedFacts: ProbeComparison[] = [];
  const uncitedFacts: ProbeComparison[] = [];
  if (base.status === 'decided') {
    for (const f of facts.filter((x) => citedIds.has(x.id)).slice(0, settings.facts)) citedFacts.push(await compare(`without cited ${f.id}`, without(f.id)));
    for (const f of facts.filter((x) => !citedIds.has(x.id)).slice(0, settings.facts)) uncitedFacts.push(await compare(`without uncited ${f.id}`, without(f.id)));
  }
  return {
    probes: { stability, citedFacts, uncitedFacts, factCount: facts.length, cited: facts.filter((f) => citedIds.has(f.id)).length },
    calls,
  };
}
