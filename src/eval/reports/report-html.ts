/**
 * The report as one self-contained HTML page, readable on screen and in print: provenance, selective
 * prediction per method (coverage, accuracy on answered and on all items, wrong answers and abstentions by
 * type, each with n and its 95% interval, N/A over zero items), pictures as inline SVG (accuracy and
 * coverage per method with intervals, the risk–coverage curve, predictability against its null,
 * faithfulness, gold-graph agreement, human ratings), the explanation measures, cost, and the items, each argmed one linked to its graph page `/v1/cases/:id/view`.
 * No script and nothing loaded from elsewhere. Every number shown is in the report's JSON.
 */
import { escapeHtml } from '../../view/escape-html.js';
import { formatShare, type Share } from '../metrics/share.js';
import type { MethodSummary } from '../metrics/summarise-run.js';
import type { RatingsSummary } from '../ratings/summarise-ratings.js';
import type { RunReport } from './build-report.js';
import { type Bar, svgBarChart } from './svg-bar-chart.js';
import { svgLineChart } from './svg-line-chart.js';

const num = (v: number | null | undefined, digits = 1) => (v === undefined || v === null ? 'N/A' : v.toFixed(digits));
const SHARE_AXIS = { axisLabel: 'share (%), with its 95% Wilson interval' };

/** A bar of a share, with its interval and n; a share over zero items (or none at all) is an N/A bar. */
export function shareBar(label: string, s: Share | undefined, group?: string, absent = 'N/A (n = 0)'): Bar {
  return {
    label,
    value: s?.value ?? null,
    low: s?.ci?.[0],
    high: s?.ci?.[1],
    n: s?.n ?? 0,
    text: s ? formatShare(s) : absent,
    group,
    series: label,
  };
}

/** A table of rows `[header, value]`; values are escaped. */
export function keyValueTable(rows: ReadonlyArray<[string, unknown]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** A table with a header row; cells are escaped. */
export function gridTable(head: readonly string[], rows: ReadonlyArray<readonly unknown[]>, className = ''): string {
  return (
    `<table class="${className}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function provenanceSection(report: RunReport): string {
  const p = report.provenance;
  const slice = Object.entries(p.settings.slice)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const rows: Array<[string, unknown]> = [
    ['Dataset', `${p.dataset.name}: ${p.dataset.file}`],
    ['Dataset SHA-256', p.dataset.sha256 ? `${p.dataset.sha256} (${p.dataset.bytes} bytes)` : 'unavailable (file not readable now)'],
    ['Slice', slice],
    ['Methods', p.settings.methods.join(', ')],
    ['Back-end', p.backend],
    ['Model', p.model ? `${p.model} (${p.modelCalls} calls, ${p.paidCalls} paid)` : 'none (no model call was made)'],
    ['Evaluator model (predictability)', p.settings.predictability ? 'yes' : 'no (null evaluator only)'],
    ['Budgets', p.settings.budgets ? JSON.stringify(p.settings.budgets) : 'defaults'],
    ['Self-consistency', p.settings.selfConsistency ? `k ${p.settings.selfConsistency.k}, temperature ${p.settings.selfConsistency.temperature}` : '–'],
    ['Versions', `argmed ${p.versions.argmed}, Node ${p.versions.node}`],
    ['Status', `${report.status}: ${report.progress.done} done, ${report.progress.failed} failed of ${report.progress.total}`],
    ['Skipped dataset records', report.problems.length],
  ];
  return `<h2>Provenance</h2>${keyValueTable(rows)}`;
}

function selectiveTable(summaries: readonly MethodSummary[]): string {
  const types = [...new Set(summaries.flatMap((s) => Object.keys(s.selective.abstentions)))].sort();
  const head = ['Method', 'Items', 'Coverage', 'Accuracy on answered', 'Accuracy on all', 'Wrong answers', ...types.map((t) => `Abstained: ${t}`), 'AURC'];
  const rows = summaries.map((s) => [
    s.method,
    s.items,
    formatShare(s.selective.coverage),
    formatShare(s.selective.accuracyAnswered),
    formatShare(s.selective.accuracyAll),
    formatShare(s.selective.wrongAll),
    ...types.map((t) => (s.selective.abstentions[t] ? formatShare(s.selective.abstentions[t]) : '0 items')),
    num(s.selective.aurc, 3),
  ]);
  return gridTable(head, rows, 'comparison');
}

function predictabilityTable(summaries: readonly MethodSummary[]): string {
  const rows = summaries.map((s) => [
    s.method,
    s.predictability.model ? formatShare(s.predictability.model) : 'not measured (no evaluator model)',
    formatShare(s.predictability.null),
    formatShare(s.predictability.nullUnredacted),
  ]);
  return gridTable(['Method', 'Evaluator model', 'Null evaluator (same redacted text)', 'Null evaluator on the unredacted text'], rows);
}

function agreementSection(summaries: readonly MethodSummary[]): string {
  const withRef = summaries.filter((s) => s.reference);
  if (withRef.length === 0) return '';
  const ref = gridTable(
    ['Method', 'Items with a reference', 'With a positive claim', 'ROUGE-L (mean)', 'Token F1 (mean)'],
    withRef.map((s) => [s.method, s.reference!.n, s.reference!.withPositiveClaims, num(s.reference!.rougeL, 3), num(s.reference!.tokenF1, 3)]),
  );
  const claims = summaries.filter((s) => s.referenceClaims);
  const claimTable = claims
    .map((s) =>
      gridTable(
        ['Method', 'Token-F1 threshold', 'Reference claims matched'],
        s.referenceClaims!.sensitivity.map((t) => [
          s.method,
          t.threshold === s.referenceClaims!.threshold ? `${t.threshold} (reported)` : t.threshold,
          formatShare(t.share),
        ]),
      ),
    )
    .join('');
  return (
    '<h2>Agreement with reference explanations</h2>' +
    '<p>Over arguments that state a positive claim (statements of absence such as "It is not established that ..." are left out); an explanation with none scores 0.</p>' +
    ref +
    (claimTable ? `<h3>Reference claims stated by an accepted argument (sensitivity to the threshold)</h3>${claimTable}` : '')
  );
}

function argmedSection(summaries: readonly MethodSummary[]): string {
  const s = summaries.find((x) => x.argmed)?.argmed;
  if (!s) return '';
  const others = Object.entries(s.flaggedWrongElsewhere)
    .map(([m, v]) => `${m}: ${formatShare(v)}`)
    .join('; ');
  return (
    '<h2>Argumentation</h2>' +
    keyValueTable([
      ['Deliberation outcomes', Object.entries(s.statuses).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['Mean arguments / attacks / rounds', `${num(s.meanArguments)} / ${num(s.meanAttacks)} / ${num(s.meanRounds)}`],
      ['Arguments IN / OUT / UNDEC', `${formatShare(s.shareIn)} / ${formatShare(s.shareOut)} / ${formatShare(s.shareUndec)}`],
      ['Mean justification size', num(s.meanJustificationSize)],
      ['Critical-question coverage (mean)', num(s.cqCoverage, 3)],
      ['Justification conflict-free', formatShare(s.conflictFree)],
      ['Justification defends the decision', formatShare(s.defends)],
      ['Items without a decision', s.flagged],
      ['… that refuted the gold option while leaving another open', formatShare(s.flaggedGoldRejected)],
      ['… that another method got wrong or abstained on', others || '–'],
    ])
  );
}

function faithfulnessSection(summaries: readonly MethodSummary[]): string {
  const withF = summaries.filter((s) => s.faithfulness);
  if (withF.length === 0) return '';
  const rows = (f: NonNullable<MethodSummary['faithfulness']>): Array<[string, Share]> => [
    ['Sufficient (justification alone yields the decision)', f.sufficient],
    ['Minimal (no redundant argument)', f.minimal],
    ['Redundant justification arguments', f.redundant],
    ['Stable decision (repeats, reversed facts)', f.stableDecision],
    ['Stable decision and justification', f.stableJustification],
    ['Deleting a cited fact changes decision or justification', f.citedFactsMatter],
    ['Deleting an uncited fact changes neither', f.uncitedFactsDoNot],
  ];
  return (
    '<h2>Faithfulness of the explanation</h2>' +
    withF
      .map((s) => {
        const f = s.faithfulness!;
        const chart = svgBarChart(`Faithfulness of ${s.method}`, rows(f).map(([label, share]) => ({ ...shareBar(label.replace(/ \(.*\)$/, ''), share), series: undefined })), SHARE_AXIS);
        const probes = f.probed === 0 ? '<p>Stability and counterfactual probes were not run (<code>--faithfulness</code>): N/A.</p>' : '';
        return (
          keyValueTable([['Method', s.method], ['Decided items checked on the graph', f.decided], ['Items probed', f.probed], ...rows(f).map(([k, v]): [string, unknown] => [k, formatShare(v)])]) +
          probes +
          `<figure>${chart}<figcaption>Checked with the solver on each explanation's own graph; probes deliberate the case again, changed in fixed ways.</figcaption></figure>`
        );
      })
      .join('')
  );
}

function goldSection(summaries: readonly MethodSummary[]): string {
  const withGold = summaries.filter((s) => s.gold);
  if (withGold.length === 0) return '';
  const names: Array<[string, keyof Omit<NonNullable<MethodSummary['gold']>['overall'], 'items'>]> = [
    ['Component precision', 'componentPrecision'],
    ['Component recall', 'componentRecall'],
    ['Relation precision', 'relationPrecision'],
    ['Relation recall', 'relationRecall'],
    ['Support precision', 'supportPrecision'],
    ['Support recall', 'supportRecall'],
    ['Attack precision', 'attackPrecision'],
    ['Attack recall', 'attackRecall'],
  ];
  return (
    '<h2>Agreement with the doctors\' argument graphs</h2>' +
    withGold
      .map((s) => {
        const g = s.gold!;
        const table = gridTable(
          ['Measure', `All items (${g.overall.items})`, `Right answers (${g.rightAnswers.items})`, `Other items (${g.otherItems.items})`],
          names.map(([label, k]) => [label, formatShare(g.overall[k]), formatShare(g.rightAnswers[k]), formatShare(g.otherItems[k])]),
        );
        const chart = svgBarChart(`Gold-graph agreement of ${s.method}`, names.map(([label, k]) => ({ ...shareBar(label, g.overall[k]), series: undefined })), SHARE_AXIS);
        const c = (x: { hits: number; total: number }) => `${x.hits}/${x.total}`;
        const items = gridTable(
          ['Item', 'Answer', 'Components P', 'Components R', 'Relations P', 'Relations R'],
          g.perItem.map((i) => [
            i.itemKey,
            !i.answered ? 'abstained' : i.correct ? 'right' : 'wrong',
            c(i.agreement.componentPrecision),
            c(i.agreement.componentRecall),
            c(i.agreement.relationPrecision),
            c(i.agreement.relationRecall),
          ]),
        );
        return (
          `<p>${escapeHtml(s.method)}: arguments stating a positive claim aligned to gold claims, premises and options by token F1 ≥ ${g.threshold}; attacks as attacks, defences as supports (docs/evaluation.md).</p>` +
          table +
          `<figure>${chart}<figcaption>Micro-averaged over items, with 95% intervals.</figcaption></figure>` +
          `<details><summary>Per item</summary>${items}</details>`
        );
      })
      .join('')
  );
}

function ratingsSection(report: RunReport): string {
  const r = report.ratings;
  if (!r) return '<h2>Human ratings</h2><p>No ratings yet: clinicians rate items at <code>/v1/evaluations/' + escapeHtml(report.runId) + '/rate</code>, or import a CSV.</p>';
  const dims = ['correctness', 'completeness', 'clarity', 'trust'] as const;
  const meanText = (m: RatingsSummary['perMethod'][string] | undefined, d: (typeof dims)[number]) => {
    const mean = m?.mean[d];
    if (mean === null || mean === undefined) return 'N/A (no rating)';
    const ci = m?.ci[d];
    return `${mean.toFixed(2)} ${ci ? `[${ci[0].toFixed(2)}–${ci[1].toFixed(2)}]` : '[no interval: one rating]'} (n = ${m?.ratings})`;
  };
  const rows = report.summaries.map((s) => {
    const m = r.perMethod[s.method];
    return [
      s.method,
      m?.ratings ?? 0,
      ...dims.map((d) => meanText(m, d)),
      formatShare(s.selective.accuracyAll),
      formatShare(s.selective.coverage),
      formatShare(s.predictability.null),
      s.faithfulness ? formatShare(s.faithfulness.sufficient) : 'N/A',
    ];
  });
  const chart = svgBarChart(
    'Mean ratings per method (1–5)',
    report.summaries.flatMap((s) =>
      dims.map((d): Bar => {
        const m = r.perMethod[s.method];
        const ci = m?.ci[d] ?? undefined;
        return { label: d, group: s.method, series: d, value: m?.mean[d] ?? null, low: ci?.[0], high: ci?.[1], n: m?.ratings ?? 0, text: meanText(m, d) };
      }),
    ),
    { min: 1, max: 5, ticks: [1, 2, 3, 4, 5], tick: String, axisLabel: 'mean rating (1 = not at all, 5 = fully), with its 95% t interval' },
  );
  return (
    '<h2>Human ratings</h2>' +
    keyValueTable([
      ['Ratings / raters / units', `${r.ratings} / ${r.raters} / ${r.units}`],
      ['Units rated by two or more raters', r.pairableUnits],
      ...dims.map((d): [string, unknown] => [`Krippendorff's alpha (interval), ${d}`, num(r.alpha[d], 3)]),
    ]) +
    gridTable(['Method', 'Ratings', 'Correctness', 'Completeness', 'Clarity', 'Trust', 'Accuracy on all', 'Coverage', 'Null predictability', 'Sufficient justification'], rows) +
    `<figure>${chart}<figcaption>Mean Likert ratings per method, beside the automatic measures in the table above. The interval treats every rating as independent; ratings of one item by several raters are not, so it is too narrow when raters overlap.</figcaption></figure>`
  );
}

function costTable(summaries: readonly MethodSummary[]): string {
  return gridTable(
    ['Method', 'Calls paid / cached', 'Calls / item', 'Tokens in / out', 'Latency p50 / p95 (ms)'],
    summaries.map((s) => [
      s.method,
      `${s.cost.calls} / ${s.cost.cachedCalls}`,
      num(s.cost.callsPerItem),
      `${s.cost.tokensIn} / ${s.cost.tokensOut}`,
      `${s.cost.latencyP50} / ${s.cost.latencyP95}`,
    ]),
  );
}

function itemTable(report: RunReport, caseViewBase: string): string {
  const byItem = new Map<string, RunReport['items']>();
  for (const i of report.items) byItem.set(i.itemKey, [...(byItem.get(i.itemKey) ?? []), i]);
  const methods = report.spec.methods;
  const head = `<tr><th>Item</th><th>Gold</th>${methods.map((m) => `<th>${escapeHtml(m)}</th>`).join('')}</tr>`;
  const rows = [...byItem.entries()].map(([key, results]) => {
    const cells = methods.map((m) => {
      const r = results.find((x) => x.method === m);
      if (!r) return '<td>–</td>';
      const answered = r.predicted !== undefined;
      const mark = r.status === 'failed' ? 'failed' : !answered ? 'abstained' : r.correct ? '✓ right' : '✗ wrong';
      const cls = !answered ? 'abst' : r.correct ? 'ok' : 'bad';
      const answer = `${escapeHtml(r.predicted ?? r.outcome?.argmed?.status ?? 'unparsed')} ${mark}`;
      const caseId = r.outcome?.argmed?.caseId;
      return caseId
        ? `<td class="${cls}"><a href="${escapeHtml(`${caseViewBase}/v1/cases/${caseId}/view`)}">${answer}</a></td>`
        : `<td class="${cls}">${answer}</td>`;
    });
    return `<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(results[0]?.gold)}</td>${cells.join('')}</tr>`;
  });
  return `<table class="items"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Extra sections placed after the built-in ones (faithfulness, gold graphs, human ratings). */
export interface ReportSection {
  title: string;
  html: string;
}

/**
 * @param caseViewBase prefix of the links to argument graph pages (the service's public URL; default relative)
 */
export function reportHtml(report: RunReport, caseViewBase = '', sections: readonly ReportSection[] = []): string {
  const s = report.summaries;
  const accuracy = svgBarChart(
    'Accuracy on all items and coverage per method (95% intervals)',
    s.flatMap((m) => [
      shareBar('accuracy on all items', m.selective.accuracyAll, m.method),
      shareBar('coverage', m.selective.coverage, m.method),
      shareBar('accuracy on answered', m.selective.accuracyAnswered, m.method),
    ]),
    SHARE_AXIS,
  );
  const curve = svgLineChart(
    'Risk–coverage curve',
    s
      .filter((m) => m.selective.riskCoverage.length > 0)
      .map((m) => ({
        label: `${m.method} (${m.selective.answered} of ${m.items} answered)`,
        points: m.selective.riskCoverage.map((p) => ({ x: p.coverage, y: p.risk, low: p.ci[0], high: p.ci[1] })),
      })),
    { x: 'coverage (share of all items answered)', y: 'risk (wrong / answered)' },
    'N/A: no method answered any item',
  );
  const unanswered = s.filter((m) => m.selective.riskCoverage.length === 0).map((m) => `${m.method} answered no item (N/A, no point).`);
  const predictability = svgBarChart(
    'Predictability against the null evaluator (95% intervals)',
    s.flatMap((m) => [
      shareBar('evaluator model', m.predictability.model, m.method, 'not measured (no evaluator model)'),
      shareBar('null evaluator', m.predictability.null, m.method),
    ]),
    SHARE_AXIS,
  );
  const extra = sections.map((x) => `<h2>${escapeHtml(x.title)}</h2>${x.html}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>argmed evaluation ${escapeHtml(report.runId)}</title>
<style>
body{font-family:sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.ok{background:#eef8ee}td.bad{background:#fbeeee}td.abst{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:2rem}
figure{margin:0;max-width:100%}figcaption{font-size:13px;max-width:560px}svg{max-width:100%;height:auto}
@media print{body{margin:0;font-size:11px}table{max-width:100%}th,td{padding:2px 4px;font-size:10px}a{color:inherit;text-decoration:none}figure,table,svg{break-inside:avoid}
th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}.charts{display:block}}
</style></head><body>
<h1>Evaluation ${escapeHtml(report.runId)}</h1>
${provenanceSection(report)}
<h2>Selective prediction</h2>
${selectiveTable(s)}
<p>Coverage: share of items answered. An abstention (no decision, an unparseable answer, a failed item) is not a wrong answer and is counted apart; accuracy on all items counts it as not right. Each share: value, 95% Wilson interval, (k/n); N/A over zero items. AURC: area under the risk–coverage curve (lower is better).</p>
<div class="charts"><figure>${accuracy}<figcaption>Accuracy on all items, coverage and accuracy on answered items per method, with 95% Wilson intervals.</figcaption></figure>
<figure>${curve}<figcaption>Risk–coverage: answered items ranked by confidence (self-consistency: vote share; argmed: share of other options refuted; single-answer baselines: one point), each point with the 95% Wilson interval of its risk. ${escapeHtml(unanswered.join(' '))}</figcaption></figure></div>
<h2>Predictability</h2>
${predictabilityTable(s)}
<figure>${predictability}<figcaption>Share of items (decided or not) whose decision a reader predicts from the explanation with the decision line, the rejected-options list and giveaway option ids removed. The null evaluator guesses from the text's surface with no medical knowledge: a high null means the text gives the answer away.</figcaption></figure>
${agreementSection(s)}
${argmedSection(s)}
${faithfulnessSection(s)}
${goldSection(s)}
${ratingsSection(report)}
${extra}
<h2>Cost</h2>${costTable(s)}
<h2>Items</h2>${itemTable(report, caseViewBase)}
</body></html>
`;
}
