/**
 * `argmed eval compare RUN_A RUN_B`: the differences between two runs, as text: per method the change in
 * accuracy on all items (with both intervals), coverage, predictability and its null, tokens and latency, then the items whose correctness
 * changed. Items are matched by key, so two runs over the same dataset slice compare item by item.
 */
import type { Share } from './metrics/share.js';
import type { MethodSummary } from './metrics/summarise-run.js';
import type { RunReport } from './reports/build-report.js';

const pct = (v: number | null) => (v === null ? 'N/A' : `${(100 * v).toFixed(1)}%`);
const interval = (s: Share) => (s.ci === null ? 'N/A' : `${pct(s.ci[0])}-${pct(s.ci[1])}`);
const signed = (v: number, unit = '') => `${v >= 0 ? '+' : ''}${v.toFixed(1)}${unit}`;

function methodLine(method: string, a?: MethodSummary, b?: MethodSummary): string {
  if (!a || !b) return `  ${method}: only in run ${a ? 'A' : 'B'}`;
  const accA = a.selective.accuracyAll;
  const accB = b.selective.accuracyAll;
  const delta = accA.value !== null && accB.value !== null ? `${signed(100 * (accB.value - accA.value), ' pts')}; ` : '';
  const parts = [
    `accuracy ${pct(accA.value)} -> ${pct(accB.value)} (${delta}95% CI A ${interval(accA)}, B ${interval(accB)})`,
    `coverage ${pct(a.selective.coverage.value)} -> ${pct(b.selective.coverage.value)}`,
    `n ${a.items} -> ${b.items}`,
  ];
  if (a.predictability.model && b.predictability.model) {
    parts.push(`predictability ${pct(a.predictability.model.value)} -> ${pct(b.predictability.model.value)}`);
  }
  parts.push(`null predictability ${pct(a.predictability.null.value)} -> ${pct(b.predictability.null.value)}`);
  const tokens = (s: MethodSummary) => (s.items === 0 ? 0 : (s.cost.tokensIn + s.cost.tokensOut) / s.items);
  parts.push(`tokens/item ${tokens(a).toFixed(0)} -> ${tokens(b).toFixed(0)}`);
  parts.push(`latency p50 ${a.cost.latencyP50} -> ${b.cost.latencyP50} ms`);
  return `  ${method}: ${parts.join('; ')}`;
}

/** The comparison as printable text. O(items). */
export function compareRuns(a: RunReport, b: RunReport): string {
  const lines = [`A ${a.runId}: ${a.spec.dataset} ${a.spec.backend} ${a.spec.model}`, `B ${b.runId}: ${b.spec.dataset} ${b.spec.backend} ${b.spec.model}`, 'Methods:'];
  const methods = [...new Set([...a.spec.methods, ...b.spec.methods])];
  for (const method of methods) {
    lines.push(methodLine(method, a.summaries.find((s) => s.method === method), b.summaries.find((s) => s.method === method)));
  }
  const inA = new Map(a.items.map((i) => [`${i.itemKey}\u0000${i.method}`, i]));
  const changed: string[] = [];
  let shared = 0;
  for (const item of b.items) {
    const before = inA.get(`${item.itemKey}\u0000${item.method}`);
    if (!before) continue;
    shared++;
    if (before.correct !== item.correct) {
      changed.push(`  ${item.itemKey} ${item.method}: ${before.predicted ?? '-'} (${before.correct ? 'right' : 'wrong'}) -> ${item.predicted ?? '-'} (${item.correct ? 'right' : 'wrong'}), gold ${item.gold}`);
    }
  }
  lines.push(`Items in both runs: ${shared}; correctness changed on ${changed.length}:`, ...changed);
  return `${lines.join('\n')}\n`;
}
