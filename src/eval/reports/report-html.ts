/**
 * The report as one self-contained HTML page: the comparison table in the paper's layout (methods as
 * rows; accuracy with its 95% interval, decision flags, explanation quality and cost as columns), bar charts
 * of accuracy and cost per method (inline SVG), and the items, each argmed one linked to its argument graph
 * page `/v1/cases/:id/view`. No script and nothing loaded from elsewhere.
 */
import type { MethodSummary } from '../metrics/summarise-run.js';
import type { RunReport } from './build-report.js';
import { svgBarChart } from './svg-bar-chart.js';

function esc(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(1)}`);
const num = (v: number | undefined, digits = 1) => (v === undefined ? '–' : v.toFixed(digits));

function comparisonTable(summaries: readonly MethodSummary[]): string {
  const head = [
    'Method',
    'Accuracy % (95% CI)',
    'n',
    'Unparseable',
    'Undecided %',
    'No justified decision %',
    'Predictability %',
    'ROUGE-L',
    'Token F1',
    'Ref. claims %',
    'CQ coverage %',
    'Justification admissible %',
    'Calls / item',
    'Tokens in / out',
    'Latency p50 / p95 (ms)',
  ];
  const rows = summaries.map((s) => [
    s.method,
    `${pct(s.accuracy)} (${pct(s.ci95[0])}–${pct(s.ci95[1])})`,
    s.items,
    s.unparseable,
    pct(s.argmed?.undecidedRate),
    pct(s.argmed?.noJustifiedRate),
    pct(s.predictability?.score),
    num(s.reference?.rougeL, 3),
    num(s.reference?.tokenF1, 3),
    pct(s.referenceClaims?.share),
    pct(s.argmed?.cqCoverage),
    s.argmed ? pct(Math.min(s.argmed.conflictFreeRate, s.argmed.defendsRate)) : '–',
    num(s.cost.callsPerItem),
    `${s.cost.tokensIn} / ${s.cost.tokensOut}`,
    `${s.cost.latencyP50} / ${s.cost.latencyP95}`,
  ]);
  return (
    `<table class="comparison"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function argmedTable(summaries: readonly MethodSummary[]): string {
  const s = summaries.find((x) => x.argmed)?.argmed;
  if (!s) return '';
  const others = Object.entries(s.flaggedWrongElsewhere)
    .map(([m, v]) => `${esc(m)} wrong on ${pct(v)}%`)
    .join(', ');
  const rows: Array<[string, string]> = [
    ['Mean arguments / attacks / rounds', `${num(s.meanArguments)} / ${num(s.meanAttacks)} / ${num(s.meanRounds)}`],
    ['Share IN / OUT / UNDEC', `${pct(s.shareIn)}% / ${pct(s.shareOut)}% / ${pct(s.shareUndec)}%`],
    ['Mean justification size', num(s.meanJustificationSize)],
    ['Justification conflict-free / defends the decision', `${pct(s.conflictFreeRate)}% / ${pct(s.defendsRate)}%`],
    ['Flagged cases (undecided or no justified decision)', String(s.flagged)],
    ['Flagged cases that rejected the right answer', `${pct(s.flaggedGoldRejected)}%`],
    ['Flagged cases other methods got wrong', others || '–'],
  ];
  return `<h2>Argumentation</h2><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function itemTable(report: RunReport, caseViewBase: string): string {
  const byItem = new Map<string, RunReport['items']>();
  for (const i of report.items) byItem.set(i.itemKey, [...(byItem.get(i.itemKey) ?? []), i]);
  const methods = report.spec.methods;
  const head = `<tr><th>Item</th><th>Gold</th>${methods.map((m) => `<th>${esc(m)}</th>`).join('')}</tr>`;
  const rows = [...byItem.entries()].map(([key, results]) => {
    const cells = methods.map((m) => {
      const r = results.find((x) => x.method === m);
      if (!r) return '<td>–</td>';
      const mark = r.status === 'failed' ? 'failed' : r.correct ? '✓' : '✗';
      const answer = `${esc(r.predicted ?? (r.outcome?.argmed?.status ?? 'unparsed'))} ${mark}`;
      const caseId = r.outcome?.argmed?.caseId;
      return caseId
        ? `<td class="${r.correct ? 'ok' : 'bad'}"><a href="${esc(`${caseViewBase}/v1/cases/${caseId}/view`)}">${answer}</a></td>`
        : `<td class="${r.correct ? 'ok' : 'bad'}">${answer}</td>`;
    });
    return `<tr><td>${esc(key)}</td><td>${esc(results[0]?.gold)}</td>${cells.join('')}</tr>`;
  });
  return `<table class="items"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * @param caseViewBase prefix of the links to argument graph pages (the service's public URL; default relative)
 */
export function reportHtml(report: RunReport, caseViewBase = ''): string {
  const s = report.summaries;
  const accuracy = svgBarChart(
    'Accuracy per method (95% interval)',
    s.map((m) => ({ label: m.method, value: m.accuracy, low: m.ci95[0], high: m.ci95[1], text: `${pct(m.accuracy)}%` })),
    1,
  );
  const tokens = svgBarChart(
    'Tokens per item per method',
    s.map((m) => {
      const perItem = m.items === 0 ? 0 : (m.cost.tokensIn + m.cost.tokensOut) / m.items;
      return { label: m.method, value: perItem, text: perItem.toFixed(0) };
    }),
  );
  const latency = svgBarChart(
    'Latency p50 per item (ms)',
    s.map((m) => ({ label: m.method, value: m.cost.latencyP50, text: `${m.cost.latencyP50} ms` })),
  );
  const spec = report.spec;
  const slice = Object.entries(spec.slice)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>argmed evaluation ${esc(report.runId)}</title>
<style>
body{font-family:sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left}th{background:#f3f3f3}
td.ok{background:#eef8ee}td.bad{background:#fbeeee}.charts{display:flex;flex-wrap:wrap;gap:2rem}
</style></head><body>
<h1>Evaluation ${esc(report.runId)}</h1>
<p>Dataset <b>${esc(spec.dataset)}</b> (${esc(spec.file)}; ${esc(slice)}), back-end <b>${esc(spec.backend)}</b>, model <b>${esc(spec.model)}</b>.
Status ${esc(report.status)}: ${report.progress.done} done, ${report.progress.failed} failed of ${report.progress.total}.
${report.problems.length > 0 ? `${report.problems.length} malformed dataset records were skipped.` : ''}</p>
<h2>Comparison</h2>${comparisonTable(s)}
<p>Accuracy counts failed and unparseable answers as wrong. Predictability: share of decisions an evaluator model predicts from the explanation alone.</p>
<div class="charts"><figure>${accuracy}<figcaption>Accuracy</figcaption></figure>
<figure>${tokens}<figcaption>Tokens per item</figcaption></figure>
<figure>${latency}<figcaption>Latency p50</figcaption></figure></div>
${argmedTable(s)}
<h2>Items</h2>${itemTable(report, caseViewBase)}
</body></html>
`;
}
