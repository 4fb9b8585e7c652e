/*
 * argmed graph page, contest tools (after view.js, which draws the graph and exposes window.argmedView):
 * - find an argument by id, zoom in / out / fit (for graphs of 40 and more arguments);
 * - the patient's facts, each linked to the arguments that cite it;
 * - the revisions of a contested case: a slider recolours the graph with the labels of any revision and says
 *   what changed (labels before -> after, decision changed), and the list of revisions (who, when, why);
 * - the form that attacks the selected argument with a counter-argument (scheme, premises, conclusion, facts,
 *   critical question, reason, own judgement), sent to POST /v1/cases/:id/arguments with If-Match of the
 *   revision shown, and the API key when the service needs one (kept in this tab's sessionStorage only).
 * Case text is untrusted: it only ever reaches the page through textContent, never as HTML.
 */
(() => {
  const view = window.argmedView;
  if (!view) return;
  const { cy, data, select, byId, el } = view;
  const caseId = data.case.id;
  const revisions = data.revisions || [];
  const latest = revisions.length ? revisions[revisions.length - 1].revision : 0;
  const LABEL_CLASSES = ['in', 'out', 'undec', 'none'];

  // ---- find and zoom ------------------------------------------------------------------------------------------
  const found = document.getElementById('search-result');
  document.getElementById('search').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = document.getElementById('search-id').value.trim();
    const node = id ? cy.getElementById(id) : cy.collection();
    if (!node.length || !byId.has(id)) {
      found.textContent = id ? `No argument "${id}".` : '';
      return;
    }
    found.textContent = '';
    select(id);
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
  });
  const zoomBy = (factor) =>
    cy.zoom({
      level: cy.zoom() * factor,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
    });
  document.getElementById('zoom-in').addEventListener('click', () => zoomBy(1.25));
  document.getElementById('zoom-out').addEventListener('click', () => zoomBy(0.8));
  document.getElementById('zoom-fit').addEventListener('click', () => cy.fit(undefined, 30));

  // ---- facts, linked to the arguments citing them -------------------------------------------------------------
  const factList = document.getElementById('facts');
  for (const fact of data.facts || []) {
    const item = el('li', 'fact');
    item.id = `fact-${fact.id}`;
    item.append(el('strong', '', `${fact.id} `), el('span', '', fact.text));
    if (fact.source) item.append(el('span', 'source', ` (${fact.source})`));
    const citing = data.graph.nodes.filter((node) => (node.facts || []).includes(fact.id));
    const links = el('span', 'cited-by', citing.length ? ' · cited by ' : ' · cited by no argument');
    for (const node of citing) {
      const link = el('button', 'argument-link', node.id);
      link.type = 'button';
      link.addEventListener('click', () => {
        select(node.id);
        cy.animate({ center: { eles: cy.getElementById(node.id) } }, { duration: 200 });
      });
      links.append(link);
    }
    item.append(links);
    factList.append(item);
  }

  // ---- revisions ------------------------------------------------------------------------------------------------
  /** Labels by argument at revision r: revision 1 lists every label, later ones what changed. */
  function labelsAt(r) {
    const labels = new Map();
    for (const revision of revisions) {
      if (revision.revision > r) break;
      for (const change of revision.labelsChanged) {
        if (change.after === null) labels.delete(change.argument);
        else labels.set(change.argument, change.after);
      }
    }
    return labels;
  }

  function describe(revision) {
    const what =
      revision.kind === 'deliberation'
        ? 'the deliberation'
        : `${revision.kind} by ${revision.author}${revision.reason ? `: "${revision.reason}"` : ''}`;
    return `Revision ${revision.revision} (${what}, ${revision.at}) → ${revision.status}${revision.decision ? ` ${revision.decision.option}` : ''}`;
  }

  const info = document.getElementById('revision-info');
  function showRevision(r) {
    const labels = labelsAt(r);
    cy.nodes().forEach((node) => {
      node.removeClass(LABEL_CLASSES.join(' ')).removeClass('absent');
      const label = labels.get(node.id());
      if (label) node.addClass(label.toLowerCase());
      else node.addClass('absent none');
    });
    const revision = revisions.find((x) => x.revision === r);
    info.replaceChildren();
    if (!revision) return;
    info.append(el('strong', '', describe(revision)));
    if (revision.revision > 1) {
      const changes = revision.labelsChanged.map(
        (c) => `${c.argument}: ${c.before ?? 'absent'} → ${c.after ?? 'removed'}`,
      );
      info.append(
        el('span', 'changes', ` · labels changed: ${changes.length ? changes.join(', ') : 'none'}`),
        el(
          'span',
          'decision-changed',
          revision.decisionChanged ? ' · decision changed' : ' · decision unchanged',
        ),
      );
    }
    document.getElementById('revision-number').textContent = `${r} of ${latest}`;
  }

  if (revisions.length > 0) {
    const slider = document.getElementById('revision');
    slider.max = String(latest);
    slider.value = String(latest);
    document.getElementById('revision-tools').hidden = false;
    slider.addEventListener('input', () => showRevision(Number(slider.value)));
    showRevision(latest);
    const list = document.getElementById('revisions');
    for (const revision of revisions) {
      const item = el('li', 'revision', describe(revision));
      item.value = revision.revision;
      list.append(item);
    }
    document.getElementById('chain').textContent = data.chainVerified
      ? `The audit trail verifies (hash chain of ${revisions.length} revision${revisions.length > 1 ? 's' : ''}).`
      : 'WARNING: the audit trail does not verify: a stored revision was changed outside the service.';
    if (!data.chainVerified) document.getElementById('chain').className = 'chain-broken';
  } else {
    document.getElementById('chain').textContent = 'Revisions appear once the deliberation has finished.';
  }

  // ---- the form that contests the selected argument -------------------------------------------------------------
  const KEY_STORE = 'argmed-api-key';

  function field(labelText, control) {
    const label = el('label', 'field', labelText);
    label.append(control);
    return label;
  }

  function contestForm(targetId) {
    const target = byId.get(targetId);
    const form = el('form', 'contest');
    form.id = 'contest-form';
    form.append(el('h3', '', `Contest ${targetId}`));
    form.append(
      el(
        'p',
        'hint',
        `Add a counter-argument that attacks ${targetId}; the graph is re-solved in a new revision.`,
      ),
    );

    const scheme = el('select', '');
    scheme.name = 'scheme';
    for (const [id, info] of Object.entries(data.schemes)) {
      if (info.yields !== 'belief') continue;
      const option = el('option', '', `${id}: ${info.title}`);
      option.value = id;
      scheme.append(option);
    }
    scheme.value = data.schemes.CLIN ? 'CLIN' : scheme.options[0]?.value;
    const premises = el('textarea', '');
    premises.name = 'premises';
    premises.rows = 3;
    const premiseHint = el('p', 'hint premise-hint');
    const showPremises = () => {
      const info = data.schemes[scheme.value];
      premiseHint.textContent = info
        ? `One premise a line, ${info.premises.length} in this order: ${info.premises.map((p) => p.text).join(' / ')}`
        : '';
    };
    scheme.addEventListener('change', showPremises);
    showPremises();
    const conclusion = el('input', '');
    conclusion.name = 'conclusion';
    conclusion.type = 'text';

    const question = el('select', '');
    question.name = 'question';
    const none = el('option', '', '(no particular critical question)');
    none.value = '';
    question.append(none);
    for (const q of data.schemes[target.scheme]?.criticalQuestions || []) {
      const option = el('option', '', `${q.id}: ${q.text}`);
      option.value = q.id;
      question.append(option);
    }

    const facts = el('fieldset', 'facts-used');
    facts.append(el('legend', '', 'Facts it rests on'));
    for (const fact of data.facts || []) {
      const box = el('input', '');
      box.type = 'checkbox';
      box.name = 'fact';
      box.value = fact.id;
      const label = el('label', 'fact-choice');
      label.append(box, el('span', '', ` ${fact.id}: ${fact.text}`));
      facts.append(label);
    }

    const reason = el('textarea', '');
    reason.name = 'reason';
    reason.rows = 2;
    const judgement = el('input', '');
    judgement.type = 'checkbox';
    judgement.name = 'judgement';
    const judgementLabel = el('label', 'field inline');
    judgementLabel.append(
      judgement,
      el('span', '', " My own clinical judgement (not verified by the case's back-end)"),
    );

    form.append(
      field('Scheme', scheme),
      premiseHint,
      field('Premises', premises),
      field('Conclusion', conclusion),
      field('Critical question it answers', question),
      facts,
      field('Reason (kept in the audit trail)', reason),
      judgementLabel,
    );
    let key;
    if (data.apiKeyRequired) {
      key = el('input', '');
      key.type = 'password';
      key.name = 'apiKey';
      key.autocomplete = 'off';
      key.value = sessionStorage.getItem(KEY_STORE) || '';
      form.append(field('API key', key));
    }
    const submit = el('button', '', `Add the counter-argument to ${targetId}`);
    submit.type = 'submit';
    const status = el('div', 'form-status');
    status.setAttribute('role', 'status');
    form.append(submit, status);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      status.textContent = 'Sending…';
      const body = {
        scheme: scheme.value,
        premises: premises.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        conclusion: conclusion.value.trim(),
        attacks: [question.value ? { target: targetId, question: question.value } : { target: targetId }],
        reason: reason.value.trim(),
        judgement: judgement.checked,
      };
      const chosen = [...facts.querySelectorAll('input:checked')].map((box) => box.value);
      if (chosen.length) body.facts = chosen;
      const headers = { 'content-type': 'application/json' };
      if (latest) headers['if-match'] = `"rev-${latest}"`;
      if (key?.value) {
        sessionStorage.setItem(KEY_STORE, key.value);
        headers.authorization = `Bearer ${key.value}`;
      }
      try {
        const response = await fetch(`/v1/cases/${encodeURIComponent(caseId)}/arguments`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.status === 201) {
          status.textContent = `Revision ${answer.revision.revision} stored; reloading…`;
          window.location.reload();
          return;
        }
        status.replaceChildren(
          el('p', 'problem', answer.detail || `The service answered ${response.status}.`),
        );
        if (Array.isArray(answer.errors)) {
          const list = el('ul', 'problem-fields');
          for (const issue of answer.errors) list.append(el('li', '', `${issue.path}: ${issue.message}`));
          status.append(list);
        }
      } catch (error) {
        status.textContent = `Not sent: ${error.message}`;
      }
      submit.disabled = false;
    });
    return form;
  }

  // An open question or a not-verified mark is what the deliberation could not settle, not anyone's argument:
  // the service refuses attacks on it (a decision must not stand on what is still unknown), a fact settles it.
  const DOUBTS = ['OPEN-QUESTION', 'NOT-VERIFIED'];

  document.addEventListener('argmed:select', (event) => {
    if (data.live || revisions.length === 0) return;
    const target = byId.get(event.detail.id);
    if (target && DOUBTS.includes(target.scheme)) {
      const hint =
        `${event.detail.id} cannot be contested: it is settled by a fact (a new or corrected fact of the case, ` +
        'POST /v1/cases/:id/facts), after which the arguments it concerns are asked again.';
      document.getElementById('details').append(el('p', 'hint doubt-hint', hint));
      return;
    }
    document.getElementById('details').append(contestForm(event.detail.id));
  });

  window.argmedView.showRevision = showRevision;
})();
