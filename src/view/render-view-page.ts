/**
 * The HTML of the graph page. The page carries its data as JSON in a non-executed `<script type=
 * "application/json">` block (escaped so case text cannot close it), and loads only scripts and styles the
 * service itself serves under /assets, so it works offline and under a strict Content-Security-Policy.
 */
import { escapeHtml } from './escape-html.js';
import type { ViewData } from './view-data.js';

/** Scripts and styles the page loads, in order; all served by the service (see `VIEW_ASSETS`). */
export const PAGE_ASSETS = {
  styles: ['/assets/view.css'],
  scripts: [
    '/assets/cytoscape.min.js',
    '/assets/cytoscape-dagre.js',
    '/assets/view.js',
    '/assets/contest.js',
  ],
} as const;

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators left raw. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Renders the page of one case.
 * @param data what to draw (see `buildViewData`).
 */
export function renderViewPage(data: ViewData): string {
  const title = escapeHtml(data.case.title || `Case ${data.case.id}`);
  const styles = PAGE_ASSETS.styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n    ');
  const scripts = PAGE_ASSETS.scripts.map((src) => `<script src="${src}" defer></script>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title} · argmed</title>
    <link rel="icon" href="data:,">
    ${styles}
    <script type="application/json" id="argmed-data">${scriptSafeJson(data)}</script>
    ${scripts}
  </head>
  <body>
    <header>
      <h1>${title}</h1>
      <p class="question">${escapeHtml(data.case.question)}</p>
      <p id="outcome" class="outcome"></p>
      <ul class="legend" aria-label="Legend">
        <li><span class="arrow" aria-hidden="true">⟶</span>an arrow is an attack: from the attacker to the argument it attacks, labelled with the critical question it answers</li>
        <li><span class="arrow dashed" aria-hidden="true">⇢</span>dashed: candidate decisions exclude each other</li>
        <li><span class="swatch in"></span>IN (accepted)</li>
        <li><span class="swatch out"></span>OUT (defeated)</li>
        <li><span class="swatch undec"></span>UNDEC (undecided)</li>
        <li><span class="swatch justification"></span>justification of the decision</li>
        <li><span class="swatch decision"></span>decision argument</li>
        <li><span class="swatch clinician"></span>a clinician's argument (author shown on select)</li>
      </ul>
    </header>
    <nav class="toolbar" aria-label="Graph tools">
      <form id="search" role="search"><label>Find argument <input id="search-id" type="search" placeholder="a12" size="8"></label> <button type="submit">Go</button> <span id="search-result" aria-live="polite"></span></form>
      <span class="zoom"><button type="button" id="zoom-in" title="Zoom in">+</button><button type="button" id="zoom-out" title="Zoom out">−</button><button type="button" id="zoom-fit" title="Fit the whole graph">Fit</button></span>
      <span id="revision-tools" hidden><label>Revision <input id="revision" type="range" min="1" max="1" step="1" value="1"></label> <output id="revision-number"></output></span>
    </nav>
    <p id="revision-info" class="revision-info" aria-live="polite"></p>
    <main>
      <div id="graph" aria-label="Argument graph: decisions on top, counter-arguments below; arrows point from attacker to attacked"></div>
      <aside id="details" aria-live="polite">
        <p class="hint">Hover an argument to see its premises; click it to see its scheme, premises, conclusion, the critical questions behind the attacks on it, and to contest it.</p>
      </aside>
    </main>
    <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
    <section class="facts"><h2>Patient facts</h2><ul id="facts"></ul></section>
    <section class="revisions"><h2>Revisions</h2><p id="chain"></p><ol id="revisions"></ol></section>
    <details class="explanation"><summary>Explanation</summary><pre id="explanation"></pre></details>
  </body>
</html>
`;
}
