/*
 * argmed graph page: draws a case's argument graph with cytoscape and a layered dagre layout (decisions on top,
 * counter-arguments below), coloured by grounded label, with the decision's justification highlighted.
 * Hovering an argument shows its premises; clicking it shows its scheme, premises, conclusion, who contributed
 * it, and the critical question behind each attack on it (contest.js then offers the form to attack it).
 * Attack edges carry the critical question they answer. Case text is untrusted: it only ever reaches the page
 * through textContent, never as HTML.
 */
(() => {
  const data = JSON.parse(document.getElementById('argmed-data').textContent);
  const graph = data.graph;
  const inExplanation = new Set(data.explanationArguments);
  const justificationEdges = new Set(data.justification.map((step) => `${step.defeater}->${step.attacker}`));
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const MUTUAL = new Set(['exclusive', 'better-decision']);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  function nodeLabel(node) {
    const head =
      node.kind === 'decision' ? `${node.id} · decide ${node.option}` : `${node.id} · ${node.scheme}`;
    return `${head}\n${shorten(node.conclusion || node.text, 70)}`;
  }

  const elements = [];
  for (const node of graph.nodes) {
    const classes = [(node.label || 'none').toLowerCase(), node.kind];
    if (inExplanation.has(node.id)) classes.push('justification');
    if (data.case.decision && data.case.decision.argument === node.id) classes.push('chosen');
    if (node.contribution) classes.push('clinician');
    elements.push({
      group: 'nodes',
      data: { id: node.id, label: nodeLabel(node) },
      classes: classes.join(' '),
    });
  }
  for (const attack of graph.attacks) {
    const id = `${attack.from}->${attack.to}`;
    const classes = ['attack'];
    if (MUTUAL.has(attack.question)) classes.push('mutual');
    if (justificationEdges.has(id)) classes.push('justification');
    elements.push({
      group: 'edges',
      data: {
        id,
        source: attack.from,
        target: attack.to,
        question: MUTUAL.has(attack.question) ? '' : attack.question,
      },
      classes: classes.join(' '),
    });
  }

  const cy = cytoscape({
    container: document.getElementById('graph'),
    elements,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 190,
          height: 64,
          'background-color': '#eceff1',
          'border-width': 2,
          'border-color': '#78909c',
          label: 'data(label)',
          'text-wrap': 'wrap',
          'text-max-width': 178,
          'text-valign': 'center',
          'font-size': 11,
          'font-family': 'system-ui, sans-serif',
          color: '#1a1a1a',
        },
      },
      { selector: 'node.decision', style: { shape: 'rectangle', 'border-width': 3, 'font-weight': 'bold' } },
      { selector: 'node.in', style: { 'background-color': '#c8e6c9', 'border-color': '#2e7d32' } },
      { selector: 'node.out', style: { 'background-color': '#ffcdd2', 'border-color': '#c62828' } },
      { selector: 'node.undec', style: { 'background-color': '#fff3c4', 'border-color': '#b28704' } },
      { selector: 'node.justification', style: { 'border-color': '#0d47a1', 'border-width': 5 } },
      { selector: 'node.chosen', style: { 'border-style': 'double', 'border-width': 8 } },
      {
        selector: 'node.clinician',
        style: { 'border-color': '#6a1b9a', 'border-style': 'dashed', 'border-width': 4 },
      },
      { selector: 'node.absent', style: { opacity: 0.15 } },
      { selector: 'node:selected', style: { 'overlay-color': '#0d47a1', 'overlay-opacity': 0.15 } },
      {
        selector: 'edge',
        style: {
          width: 2,
          'curve-style': 'bezier',
          'line-color': '#8d6e63',
          'target-arrow-color': '#8d6e63',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 1.2,
          label: 'data(question)',
          'font-size': 9,
          color: '#4e342e',
          'text-rotation': 'autorotate',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': 1,
        },
      },
      {
        selector: 'edge.mutual',
        style: { 'line-style': 'dashed', 'line-color': '#9e9e9e', 'target-arrow-color': '#9e9e9e' },
      },
      {
        selector: 'edge.justification',
        style: { width: 4, 'line-color': '#0d47a1', 'target-arrow-color': '#0d47a1' },
      },
      { selector: '.layout-only', style: { display: 'none' } },
    ],
  });

  layOut();

  /**
   * dagre ranks an edge's source above its target, but attacks point upwards (counter -> challenged). The
   * layout therefore runs on hidden reversed edges, plus a hidden root above every decision so that all
   * decisions share the top rank; mutual attacks between decisions are left out of the ranking.
   */
  function layOut() {
    const helpers = [{ group: 'nodes', data: { id: '__root' }, classes: 'layout-only' }];
    for (const node of graph.nodes) {
      if (node.kind === 'decision') {
        helpers.push({
          group: 'edges',
          data: { id: `__root->${node.id}`, source: '__root', target: node.id, weight: 8 },
          classes: 'layout-only',
        });
      }
    }
    for (const attack of graph.attacks) {
      if (MUTUAL.has(attack.question) && byId.get(attack.from)?.kind === 'decision') continue;
      helpers.push({
        group: 'edges',
        data: { id: `__rev:${attack.from}->${attack.to}`, source: attack.to, target: attack.from, weight: 1 },
        classes: 'layout-only',
      });
    }
    const added = cy.add(helpers);
    cy.nodes()
      .union(cy.edges('.layout-only'))
      .layout({
        name: 'dagre',
        rankDir: 'TB',
        nodeSep: 30,
        rankSep: 70,
        edgeWeight: (edge) => edge.data('weight') || 1,
        fit: false,
        animate: false,
      })
      .run();
    cy.remove(added);
    cy.fit(undefined, 30);
    // A small graph would be blown up to fill the pane; keep text at a readable size instead.
    if (cy.zoom() > 1.5) {
      cy.zoom(1.5);
      cy.center();
    }
  }

  // ---- header: the outcome and the explanation --------------------------------------------------------------
  const outcome = document.getElementById('outcome');
  const status = data.case.status;
  const options = new Map(data.case.options.map((option) => [option.id, option.text]));
  if (data.case.decision) {
    const option = data.case.decision.option;
    outcome.textContent = `Decision: ${option}${options.has(option) ? ` (${options.get(option)})` : ''}, argued by ${data.case.decision.argument}.`;
  } else if (status === 'undecided') {
    outcome.textContent = `Undecided between: ${(data.case.tied || []).join(', ')}.`;
  } else if (status === 'no-justified-decision') {
    outcome.textContent = 'No decision survives: every option is defeated (a probable reasoning error).';
  } else if (status === 'insufficient-knowledge') {
    outcome.textContent =
      'No decision: open questions the knowledge could not answer stand in the way (the OPEN-QUESTION arguments; confirm them, listed below).';
  } else if (status === 'incomplete') {
    outcome.textContent =
      'No decision: some arguments were not verified (the NOT-VERIFIED arguments: failed calls or a budget); nothing unverified justifies a decision.';
  } else if (status === 'unsupported-question') {
    outcome.textContent = 'No decision: argmed does not argue this kind of question (the explanation says why and how to ask it).';
  } else if (status === 'failed') {
    outcome.textContent = `The deliberation failed${data.case.error ? `: ${data.case.error}` : ''}.`;
  } else {
    outcome.textContent = `The case is ${status}; the page reloads until it ends.`;
  }
  outcome.classList.add(status);
  document.getElementById('explanation').textContent = data.case.explanation || '(no explanation yet)';

  // ---- details of a clicked argument ------------------------------------------------------------------------
  const details = document.getElementById('details');

  /** Questions mention the scheme's variables as {D}, {G}; show the values this argument bound. */
  function fillVariables(text, variables) {
    return text.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name) =>
      name in variables ? variables[name] : whole,
    );
  }

  function questionText(node, questionId) {
    const scheme = data.schemes[node.scheme];
    const question = scheme?.criticalQuestions.find((q) => q.id === questionId);
    if (question) return `${question.id}: ${fillVariables(question.text, node.variables || {})}`;
    if (questionId === 'exclusive') return 'exclusive: the candidate decisions exclude each other';
    if (questionId === 'better-decision') return 'better-decision: another option achieves the goal better';
    return questionId;
  }

  function showArgument(id) {
    const node = byId.get(id);
    if (!node) return;
    const scheme = data.schemes[node.scheme];
    details.replaceChildren();
    details.append(el('h2', '', `${node.id} (${node.label || 'unlabelled'})`));
    details.append(el('p', 'scheme', `Scheme: ${scheme ? `${scheme.title} (${node.scheme})` : node.scheme}`));
    details.append(
      el(
        'p',
        'meta',
        `${node.kind}${node.option ? ` for option ${node.option}` : ''}, round ${node.round}, by ${node.agent}`,
      ),
    );
    if (node.contribution) {
      const c = node.contribution;
      details.append(
        el(
          'p',
          'contribution',
          `Contributed by ${c.author} in revision ${c.revision} (${c.judgement ? "the clinician's own judgement, not verified by the back-end" : "verified by the case's back-end"}).`,
        ),
      );
    }
    if (node.source) details.append(el('p', 'source', `Source: ${node.source}`));
    details.append(el('p', 'text', node.text));
    if (node.assumedAbsent?.length) {
      details.append(
        el(
          'p',
          'assumed',
          `Verified taking as absent (no fact mentions them; confirm): ${node.assumedAbsent.join('; ')}`,
        ),
      );
    }
    details.append(el('h3', '', 'Premises'));
    const premises = el('ol', 'premises');
    for (const premise of node.premises) premises.append(el('li', '', premise));
    details.append(premises);
    details.append(el('h3', '', 'Conclusion'));
    details.append(el('p', 'conclusion', node.conclusion));

    const attacks = graph.attacks.filter((attack) => attack.to === id);
    details.append(el('h3', '', attacks.length ? 'Attacked by' : 'Not attacked'));
    const list = el('ul', 'attacks');
    for (const attack of attacks) {
      const attacker = byId.get(attack.from);
      const item = el('li', 'attack');
      item.append(el('strong', '', `${attack.from} (${attacker ? attacker.label || '' : ''})`));
      item.append(el('div', 'critical-question', `Critical question ${questionText(node, attack.question)}`));
      if (attack.reason) item.append(el('div', 'reason', `Why: ${attack.reason}`));
      item.addEventListener('click', () => select(attack.from));
      list.append(item);
    }
    details.append(list);
    const targets = graph.attacks.filter((attack) => attack.from === id).map((attack) => attack.to);
    if (targets.length) details.append(el('p', 'targets', `Attacks: ${targets.join(', ')}`));
    if (inExplanation.has(id))
      details.append(el('p', 'in-justification', 'Part of the justification of the decision.'));
    document.dispatchEvent(new CustomEvent('argmed:select', { detail: { id } }));
  }

  function select(id) {
    cy.$(':selected').unselect();
    cy.getElementById(id).select();
    showArgument(id);
  }

  cy.on('tap', 'node', (event) => showArgument(event.target.id()));

  // ---- premises on hover --------------------------------------------------------------------------------------
  const tooltip = document.getElementById('tooltip');
  cy.on('mouseover', 'node', (event) => {
    const node = byId.get(event.target.id());
    if (!node || !tooltip) return;
    tooltip.replaceChildren(el('strong', '', `${node.id} · ${node.scheme}`));
    const list = el('ol', '');
    for (const premise of node.premises) list.append(el('li', '', premise));
    tooltip.append(list, el('div', 'conclusion', `So: ${node.conclusion}`));
    const at = event.renderedPosition || { x: 0, y: 0 };
    const box = document.getElementById('graph').getBoundingClientRect();
    tooltip.style.left = `${Math.round(box.left + window.scrollX + at.x + 14)}px`;
    tooltip.style.top = `${Math.round(box.top + window.scrollY + at.y + 14)}px`;
    tooltip.hidden = false;
  });
  cy.on('mouseout', 'node', () => {
    if (tooltip) tooltip.hidden = true;
  });

  if (data.live) setTimeout(() => window.location.reload(), 2000);

  // For tests and for the browser console.
  window.argmedView = { cy, data, select, byId, el };
})();
