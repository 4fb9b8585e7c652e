/**
 * The rating page `/v1/evaluations/:id/rate`: one unit at a time, blind to the method, with the case (facts,
 * question, options), the decision, the explanation and the argument graph (each argument with its label
 * and what it attacks; argmed units link to the interactive graph page), a form of four Likert ratings
 * (1–5) and a comment, and the run's ratings so far with their agreement. Plain HTML and a form: no script,
 * nothing loaded from elsewhere (the service's CSP allows forms to post to itself only).
 */
import type { Case } from '../../../agents/case.js';
import { normaliseFacts } from '../../../agents/case.js';
import { escapeHtml } from '../../view/escape-html.js';
import type { ItemResult } from '../types.js';
import type { RatingRow } from '../../store/eval-ratings.table.js';
import { RATING_DIMENSIONS } from './rating-dimensions.js';
import type { RatingUnit } from './rating-units.js';
import type { RatingsSummary } from './summarise-ratings.js';

const QUESTIONS: Record<(typeof RATING_DIMENSIONS)[number], string> = {
  correctness: 'Is the decision clinically correct?',
  completeness: 'Does the explanation cover what matters for this decision?',
  clarity: 'Is the explanation clear to a clinician?',
  trust: 'Would you trust this decision support in practice?',
};

const STYLE = `body{font-family:sans-serif;margin:1.5rem;max-width:60rem;color:#222}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
fieldset{margin:.5rem 0;border:1px solid #ccc}label{margin-right:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}
.IN{color:#1a6b1a}.OUT{color:#a12}.UNDEC{color:#886600}nav a{margin-right:1rem}`;

export interface RatePageInput {
  runId: string;
  rater?: string;
  /** Rater from the API key: the name field is not asked. */
  raterFromKey: boolean;
  units: RatingUnit[];
  index: number;
  kase?: Case;
  mine: RatingRow[];
  summary?: RatingsSummary;
  saved?: boolean;
  viewBase: string;
  /** A signed rating link's query (`rater=&exp=&sig=`): every link and form of the page carries it on. */
  link?: string;
  /** The path of a case's graph page when it must be signed (a rater on a link has no API key). */
  caseView?: (caseId: string) => string;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

function caseSection(kase: Case | undefined, item: ItemResult): string {
  const options = kase?.options ?? item.outcome?.options ?? [];
  const facts = kase ? normaliseFacts(kase.facts) : [];
  return (
    '<h2>Case</h2>' +
    (kase ? `<ul>${facts.map((f) => `<li>${escapeHtml(f.text)}</li>`).join('')}</ul><p><b>${escapeHtml(kase.question)}</b></p>` : '<p>(The case text is not available: the dataset file could not be read.)</p>') +
    `<ol class="options">${options.map((o) => `<li value="${escapeHtml(o.id)}"><b>${escapeHtml(o.id)}.</b> ${escapeHtml(o.text)}</li>`).join('')}</ol>`
  );
}

function graphSection(item: ItemResult, viewBase: string, caseView = (caseId: string) => `/v1/cases/${caseId}/view`): string {
  const argmed = item.outcome?.argmed;
  if (!argmed) return '<h2>Argument graph</h2><p>This explanation has no argument graph.</p>';
  const targets = new Map<string, string[]>();
  for (const a of argmed.graph.attacks) targets.set(a.from, [...(targets.get(a.from) ?? []), a.to]);
  const rows = argmed.graph.nodes.map(
    (n) => `<tr><td>${escapeHtml(n.id)}</td><td class="${escapeHtml(n.label)}">${escapeHtml(n.label)}</td><td>${escapeHtml(n.text)}</td><td>${escapeHtml((targets.get(n.id) ?? []).join(', '))}</td></tr>`,
  );
  const link = argmed.caseId ? `<p><a href="${escapeHtml(`${viewBase}${caseView(argmed.caseId)}`)}">Open the interactive graph</a></p>` : '';
  return `<h2>Argument graph</h2><table><thead><tr><th>Argument</th><th>Label</th><th>Statement</th><th>Attacks</th></tr></thead><tbody>${rows.join('')}</tbody></table>${link}`;
}

function agreementSection(summary: RatingsSummary | undefined, mine: RatingRow[], units: RatingUnit[]): string {
  const position = new Map(units.map((u, i) => [`${u.item.itemKey}\u0000${u.item.method}`, i + 1]));
  const yours = mine
    .map((r) => [position.get(`${r.item_key}\u0000${r.method}`), r] as const)
    .filter(([p]) => p !== undefined)
    .sort((a, b) => a[0]! - b[0]!)
    .map(([p, r]) => `<tr><td>${p}</td>${RATING_DIMENSIONS.map((d) => `<td>${r[d]}</td>`).join('')}<td>${escapeHtml(r.comment ?? '')}</td></tr>`);
  const alpha = (v: number | null) => (v === null ? 'N/A' : v.toFixed(3));
  const table = summary
    ? `<table id="agreement"><tr><th>Ratings</th><td>${summary.ratings}</td></tr><tr><th>Raters</th><td>${summary.raters}</td></tr><tr><th>Units rated by two or more</th><td>${summary.pairableUnits}</td></tr>${RATING_DIMENSIONS.map((d) => `<tr><th>Krippendorff's alpha (interval), ${d}</th><td data-dimension="${d}">${alpha(summary.alpha[d])}</td></tr>`).join('')}</table>`
    : '<p id="agreement">No ratings yet.</p>';
  return (
    `<h2>Agreement</h2>${table}` +
    `<h2>Your ratings</h2><table id="your-ratings"><thead><tr><th>Item</th>${RATING_DIMENSIONS.map((d) => `<th>${d}</th>`).join('')}<th>Comment</th></tr></thead><tbody>${yours.join('')}</tbody></table>`
  );
}

/** The page asking who rates (no API key, no name yet). */
export function renderRaterPrompt(runId: string): string {
  return page(
    'Rate evaluation items',
    `<h1>Rate the items of evaluation ${escapeHtml(runId)}</h1><form method="get" action="rate"><label>Your name <input name="rater" required maxlength="100"></label><button type="submit">Start</button></form>`,
  );
}

/** The rating page of one unit. */
export function renderRatePage(p: RatePageInput): string {
  const unit = p.units[p.index];
  const raterQuery = p.link ? `${p.link}&` : p.raterFromKey ? '' : `rater=${encodeURIComponent(p.rater ?? '')}&`;
  const to = (n: number) => escapeHtml(`rate?${raterQuery}n=${n}`);
  const nav = `<nav>${p.index > 0 ? `<a href="${to(p.index - 1)}">Previous</a>` : ''}${p.index + 1 < p.units.length ? `<a href="${to(p.index + 1)}">Next</a>` : ''}</nav>`;
  const head = `<h1>Rate item <span id="position">${p.index + 1}</span> of ${p.units.length}</h1><p>Rater: <b id="rater">${escapeHtml(p.rater)}</b>. The method that produced this answer is not shown.${p.saved ? ' <b id="saved">Saved.</b>' : ''}</p>`;
  if (!unit) return page('Rate', `${head}<p>No item to rate: the run has no finished item.</p>${agreementSection(p.summary, p.mine, p.units)}`);
  const item = unit.item;
  const existing = p.mine.find((r) => r.item_key === item.itemKey && r.method === item.method);
  const options = p.kase?.options ?? item.outcome?.options ?? [];
  const decided = options.find((o) => o.id === item.predicted);
  const decision = item.predicted
    ? `<p id="decision"><b>${escapeHtml(item.predicted)}</b>${decided ? ` ${escapeHtml(decided.text)}` : ''}</p>`
    : `<p id="decision">No decision${item.outcome?.argmed ? ` (${escapeHtml(item.outcome.argmed.status)})` : ''}.</p>`;
  const scales = RATING_DIMENSIONS.map(
    (d) =>
      `<fieldset><legend>${escapeHtml(QUESTIONS[d])} (${d}; 1 = not at all, 5 = fully)</legend>${[1, 2, 3, 4, 5]
        .map((v) => `<label><input type="radio" name="${d}" value="${v}" required${existing?.[d] === v ? ' checked' : ''}> ${v}</label>`)
        .join('')}</fieldset>`,
  ).join('');
  const form =
    `<form method="post" action="${escapeHtml(p.link ? `rate?${p.link}` : 'rate')}"><input type="hidden" name="unit" value="${escapeHtml(unit.token)}"><input type="hidden" name="n" value="${p.index}">` +
    (p.raterFromKey || p.link ? '' : `<input type="hidden" name="rater" value="${escapeHtml(p.rater)}">`) +
    `${scales}<p><label>Comment<br><textarea name="comment" rows="3" cols="70" maxlength="4000">${escapeHtml(existing?.comment ?? '')}</textarea></label></p><button type="submit">Save and go to the next item</button></form>`;
  return page(
    `Rate item ${p.index + 1}`,
    `${head}${nav}${caseSection(p.kase, item)}<h2>Decision</h2>${decision}<h2>Explanation</h2><pre>${escapeHtml(item.outcome?.explanation ?? '')}</pre>${graphSection(item, p.viewBase, p.caseView)}<h2>Your rating</h2>${form}${agreementSection(p.summary, p.mine, p.units)}`,
  );
}
