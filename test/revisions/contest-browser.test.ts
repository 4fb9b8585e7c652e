/**
 * Contesting a case from its graph page in a real browser (Debian's headless Chromium through playwright-core,
 * the real service on SQLite): select the mitigation that saved the example case's decision, fill the form
 * with a clinician's counter-argument, send it; the page reloads on revision 2 with the changed labels and
 * the decision changed; the revision slider shows the labels before; a reload keeps everything (stored).
 * Also: the page finds an argument by id and zooms, links facts to the arguments citing them, and shows a
 * field error from the service in the form without storing anything; an open question offers no form, only
 * that a fact settles it. Behind API keys: the page opens on the
 * signed link alone, the form asks for the key (kept in the tab's sessionStorage only) and sends it as the
 * bearer header; a wrong key is refused in the form and stores nothing, the right one makes revision 2.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Core } from 'cytoscape';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCaseFile, type RealService, startRealService } from '../api/support/real-service.js';
import { upsertCaseGraph } from '../../src/store/case-graphs.repository.js';
import { insertCase } from '../../src/store/cases.repository.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);

type ViewWindow = Window & {
  argmedView: { cy: Core; select(id: string): void; showRevision(r: number): void };
};

describe.skipIf(!existsSync(CHROMIUM))('contesting a case from the graph page in Chromium', () => {
  let service: RealService;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    service = await startRealService('sqlite');
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  async function open(page: Page, id: string): Promise<void> {
    await page.goto(`${base}/v1/cases/${id}/view`);
    await page.waitForFunction(
      () => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined,
    );
  }

  const classesOf = (page: Page) =>
    page.evaluate(() =>
      Object.fromEntries(
        (window as unknown as ViewWindow).argmedView.cy.nodes().map((n) => [n.id(), n.classes().join(' ')]),
      ),
    );

  it('contest the decision from the page: new revision, changed labels, kept after a reload', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('oa-naproxen-with-ppi'),
    });
    const { id, result } = res.json();
    const decision: string = result.decision.argument;
    const mitigation: string = result.graph.nodes.find((n: { scheme: string }) => n.scheme === 'MITIG').id;

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await open(page, id);
    expect(await page.locator('#revision-info').textContent()).toContain('Revision 1');
    // Facts link to the arguments citing them.
    const cited = result.graph.nodes.find((n: { facts?: string[] }) => n.facts?.length);
    await expect
      .poll(() => page.locator(`#fact-${cited.facts[0]} .argument-link`).allTextContents())
      .toContain(cited.id);
    // Attack edges carry their critical question; the legend says arrows are attacks.
    const edgeLabels = await page.evaluate(() =>
      (window as unknown as ViewWindow).argmedView.cy.edges().map((e) => e.style('label')),
    );
    expect(edgeLabels).toContain('mitigation');
    expect(await page.locator('.legend').textContent()).toContain('an arrow is an attack');

    // Find the mitigation by id, which selects it and opens the form.
    await page.fill('#search-id', mitigation);
    await page.click('#search button[type=submit]');
    const form = page.locator('#contest-form');
    await form.waitFor({ timeout: 5_000 });
    expect(await page.locator('#details').textContent()).toContain(`${mitigation} (IN)`);

    // A bad contribution first: the service's field error is shown, nothing is stored.
    await form.locator('select[name=scheme]').selectOption('ASSE');
    await form.locator('textarea[name=premises]').fill('Only one premise.');
    await form.locator('input[name=conclusion]').fill('No PPI.');
    await form.locator('textarea[name=reason]').fill('PPI intolerance');
    await form.locator('button[type=submit]').click();
    await form.locator('.problem-fields').waitFor({ timeout: 5_000 });
    expect(await form.locator('.problem-fields').textContent()).toContain('body/premises/1');

    // Then the real one, as the clinician's own judgement.
    await form.locator('select[name=scheme]').selectOption('CLIN');
    await form
      .locator('textarea[name=premises]')
      .fill(
        'The treating clinician judges: she stopped omeprazole and pantoprazole for diarrhoea and refuses a PPI.',
      );
    await form
      .locator('input[name=conclusion]')
      .fill('Gastroprotection with a PPI cannot be used for this patient.');
    await form.locator('select[name=question]').selectOption('feasible');
    await form.locator('input[name=judgement]').check();
    await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').click()]);
    await page.waitForFunction(
      () => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined,
    );

    const info = (await page.locator('#revision-info').textContent()) ?? '';
    expect(info).toContain('Revision 2');
    expect(info).toContain(`${mitigation}: IN → OUT`);
    expect(info).toContain(`${decision}: IN → OUT`);
    expect(info).toContain('decision changed');
    const after = await classesOf(page);
    expect(after[decision]).toContain('out');
    expect(after.c2).toContain('clinician');
    expect(await page.locator('#outcome').textContent()).not.toContain('Decision:');

    // The slider shows the labels before.
    await page.locator('#revision').fill('1');
    const before = await classesOf(page);
    expect(before[decision]).toContain('in');
    expect(before.c2).toContain('absent');
    expect(await page.locator('#revision-info').textContent()).toContain('Revision 1');

    // Stored: a reload finds revision 2 again, and the API agrees.
    await page.reload();
    await page.waitForFunction(
      () => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined,
    );
    expect(await page.locator('#revision-info').textContent()).toContain('Revision 2');
    expect((await classesOf(page))[decision]).toContain('out');
    expect(await page.locator('#chain').textContent()).toContain('verifies');
    const list = (await service.app.inject({ method: 'GET', url: `/v1/cases/${id}/revisions` })).json();
    expect(list.revisions.map((r: { kind: string }) => r.kind)).toEqual(['deliberation', 'argument']);
    expect(list.revisions[1].change).toMatchObject({ scheme: 'CLIN', judgement: true });

    // Zoom controls work.
    const zoom = await page.evaluate(() => (window as unknown as ViewWindow).argmedView.cy.zoom());
    await page.click('#zoom-in');
    expect(await page.evaluate(() => (window as unknown as ViewWindow).argmedView.cy.zoom())).toBeGreaterThan(
      zoom,
    );
    expect(errors, errors.join('\n')).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: new URL('contest-oa-naproxen.png', ARTIFACTS).pathname, fullPage: true });
    await page.close();
  });

  it('an open question offers no contest form, only what settles it', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: {
        facts: ['Atrial fibrillation, CHA2DS2-VASc 4.', 'Prosthetic heart valve, type not documented.'],
        question: 'Which anticoagulant for stroke prevention?',
        options: [
          { id: 'A', text: 'Apixaban' },
          { id: 'B', text: 'Warfarin' },
        ],
      },
    });
    const { id, result } = res.json();
    const question: string = result.graph.nodes.find((n: { scheme: string }) => n.scheme === 'OPEN-QUESTION').id;
    const page = await browser.newPage();
    await open(page, id);
    await page.evaluate((q) => (window as unknown as ViewWindow).argmedView.select(q), question);
    await page.locator('.doubt-hint').waitFor({ timeout: 5_000 });
    expect(await page.locator('.doubt-hint').textContent()).toContain('settled by a fact');
    expect(await page.locator('#contest-form').count()).toBe(0);
    // Any other argument still opens the form.
    await page.evaluate(() => (window as unknown as ViewWindow).argmedView.select('a1'));
    await page.locator('#contest-form').waitFor({ timeout: 5_000 });
    await page.close();
  });

  it('a 60-argument graph is laid out without overlaps, found by id and zoomed to a readable size', async () => {
    // A stored finished case with a synthetic graph: 4 decisions, each under a tree of 14 counter-arguments.
    const nodes = [];
    const attacks = [];
    for (let i = 1; i <= 60; i++) {
      const decision = i <= 4;
      nodes.push({
        id: `a${i}`,
        scheme: decision ? 'ASDM' : 'EVID',
        kind: decision ? 'decision' : 'belief',
        ...(decision ? { option: `o${i}` } : {}),
        variables: {},
        premises: [`premise of a${i}`],
        conclusion: `conclusion of a${i}`,
        text: `argument a${i}`,
        round: decision ? 0 : Math.ceil(Math.log2(i)),
        agent: 'generator',
        label: 'UNDEC',
      });
      if (!decision) {
        const parent = i <= 8 ? i - 4 : Math.floor(i / 2);
        attacks.push({ from: `a${i}`, to: `a${parent}`, type: 'attack', question: 'evidence', reason: 'r' });
      }
    }
    const id = 'large-graph-case';
    const at = new Date().toISOString();
    const kase = {
      question: 'Which option?',
      facts: [{ id: 'f1', text: 'a fact' }],
      options: [1, 2, 3, 4].map((n) => ({ id: `o${n}`, text: `option ${n}` })),
    };
    const db = service.store.db;
    await insertCase(db, {
      id,
      status: 'undecided',
      input: JSON.stringify(kase),
      settings: null,
      result: JSON.stringify({
        status: 'undecided',
        tied: ['o1', 'o2', 'o3', 'o4'],
        justification: [],
        explanationArguments: [],
        rejected: [],
        explanation: 'synthetic',
        rounds: 1,
        usage: {},
        budgetsHit: [],
        failures: [],
        calls: [],
      }),
      error: null,
      title: 'Large graph',
      decision: null,
      idempotency_key: null,
      body_hash: null,
      attempts: 1,
      owner: null,
      heartbeat_at: null,
      created_at: at,
      updated_at: at,
      finished_at: at,
    });
    await upsertCaseGraph(db, {
      case_id: id,
      graph: JSON.stringify({ nodes, attacks }),
      nodes: 60,
      attacks: attacks.length,
      created_at: at,
    });

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await open(page, id);
    const boxes = await page.evaluate(() =>
      (window as unknown as ViewWindow).argmedView.cy.nodes().map((n) => n.boundingBox({})),
    );
    expect(boxes).toHaveLength(60);
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps += 1;
      }
    }
    expect(overlaps).toBe(0);
    await page.fill('#search-id', 'a57');
    await page.click('#search button[type=submit]');
    await page.waitForFunction(() => (window as unknown as ViewWindow).argmedView.cy.zoom() >= 1.2);
    const shown = await page.evaluate(() => {
      const { cy } = (window as unknown as ViewWindow).argmedView;
      const p = cy.getElementById('a57').renderedPosition();
      return { selected: cy.getElementById('a57').selected(), x: p.x, y: p.y, w: cy.width(), h: cy.height() };
    });
    expect(shown.selected).toBe(true);
    expect(shown.x).toBeGreaterThan(0);
    expect(shown.x).toBeLessThan(shown.w);
    expect(shown.y).toBeGreaterThan(0);
    expect(shown.y).toBeLessThan(shown.h);
    expect(await page.locator('#details').textContent()).toContain('a57 (UNDEC)');
    await page.fill('#search-id', 'a999');
    await page.click('#search button[type=submit]');
    expect(await page.locator('#search-result').textContent()).toContain('No argument');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.screenshot({ path: new URL('view-60-arguments.png', ARTIFACTS).pathname });
    await page.close();
  });
});

describe.skipIf(!existsSync(CHROMIUM))('contesting from the graph page behind API keys, opened on a signed link', () => {
  const KEY = 'contest-browser-test-key';
  let service: RealService;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    service = await startRealService('sqlite', {
      ARGMED_API_KEYS: KEY,
      ARGMED_VIEW_SECRET: 'a-contest-test-secret-of-32-characters-or-more',
    });
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  it('the page opens on the link alone; the form sends the key the clinician types (a wrong one stores nothing)', async () => {
    const bearer = { authorization: `Bearer ${KEY}` };
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      headers: bearer,
      payload: exampleCaseFile('oa-naproxen-with-ppi'),
    });
    const { id, result, links } = res.json();
    const decision: string = result.decision.argument;
    const mitigation: string = result.graph.nodes.find((n: { scheme: string }) => n.scheme === 'MITIG').id;
    expect(links.view).toMatch(/\/view\?exp=\d+&sig=/);
    expect((await fetch(`${base}/v1/cases/${id}/view`)).status).toBe(401);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${base}${links.view}`);
    await page.waitForFunction(() => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined);
    expect(await page.locator('#revision-info').textContent()).toContain('Revision 1');
    expect(refused).toEqual([]);

    await page.fill('#search-id', mitigation);
    await page.click('#search button[type=submit]');
    const form = page.locator('#contest-form');
    await form.waitFor({ timeout: 5_000 });
    await form.locator('select[name=scheme]').selectOption('CLIN');
    await form
      .locator('textarea[name=premises]')
      .fill('The treating clinician judges: she stopped omeprazole and pantoprazole for diarrhoea and refuses a PPI.');
    await form.locator('input[name=conclusion]').fill('Gastroprotection with a PPI cannot be used for this patient.');
    await form.locator('select[name=question]').selectOption('feasible');
    await form.locator('textarea[name=reason]').fill('PPI intolerance');
    await form.locator('input[name=judgement]').check();
    const key = form.locator('input[name=apiKey]');
    expect(await key.getAttribute('type')).toBe('password');

    // A wrong key: the service's refusal in the form, nothing stored.
    await key.fill('not-the-key');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('.problem').textContent(), { timeout: 5_000 }).toContain('not valid');
    const unchanged = (await service.app.inject({ method: 'GET', url: `/v1/cases/${id}/revisions`, headers: bearer })).json();
    expect(unchanged.revisions).toHaveLength(1);

    // The right key: revision 2, the page reloads on the same signed link.
    await key.fill(KEY);
    await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').click()]);
    await page.waitForFunction(() => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined);
    expect(page.url()).toBe(`${base}${links.view}`);
    const info = (await page.locator('#revision-info').textContent()) ?? '';
    expect(info).toContain('Revision 2');
    expect(info).toContain(`${decision}: IN → OUT`);
    expect(info).toContain('decision changed');

    // Kept: a reload on the link shows it; the key stays in this tab only, for the next contribution.
    await page.reload();
    await page.waitForFunction(() => (window as unknown as ViewWindow).argmedView?.showRevision !== undefined);
    expect(await page.locator('#revision-info').textContent()).toContain('Revision 2');
    await page.fill('#search-id', decision);
    await page.click('#search button[type=submit]');
    await page.locator('#contest-form input[name=apiKey]').waitFor({ timeout: 5_000 });
    expect(await page.locator('#contest-form input[name=apiKey]').inputValue()).toBe(KEY);
    const list = (await service.app.inject({ method: 'GET', url: `/v1/cases/${id}/revisions`, headers: bearer })).json();
    expect(list.revisions.map((r: { kind: string; author: string }) => [r.kind, r.author])).toEqual([
      ['deliberation', 'system'],
      ['argument', expect.stringMatching(/^key:[0-9a-f]{16}$/)],
    ]);
    expect(refused.filter((r) => !r.startsWith('401 ') || !r.includes('/arguments'))).toEqual([]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
});
