/**
 * The graph page in a real browser (Debian's headless Chromium driven by playwright-core): the page of a
 * decided example case draws every argument and attack, puts decisions above their counter-arguments,
 * loads nothing but local URLs, and shows an argument's critical questions when it is clicked.
 * A screenshot is saved under test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCaseFile, type RealService, startRealService } from './support/real-service.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);

interface GraphNode {
  id: string;
  kind: string;
  scheme: string;
  label: string;
  variables?: Record<string, string>;
}
interface GraphAttack {
  from: string;
  to: string;
  question: string;
}

/** Waits until the graph page has drawn its graph (it sets `window.argmedView`). */
function viewReady(page: Page): Promise<unknown> {
  return page.waitForFunction(() => (window as unknown as { argmedView?: unknown }).argmedView !== undefined);
}

/** Clicks an argument of the drawn graph where it is on the screen, as a user does. */
async function clickNode(page: Page, nodeId: string): Promise<void> {
  const point = await page.evaluate((id) => {
    const { cy } = (window as unknown as { argmedView: { cy: Core } }).argmedView;
    const box = cy.container()!.getBoundingClientRect();
    const p = cy.getElementById(id).renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }, nodeId);
  await page.mouse.click(point.x, point.y);
}

describe.skipIf(!existsSync(CHROMIUM))('graph page in Chromium', () => {
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
        '--disable-quic',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  it('draws every argument and attack, layered, and shows critical questions on click', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('oa-naproxen-with-ppi'),
    });
    expect(res.statusCode).toBe(200);
    const { id, result } = res.json();
    const nodes: GraphNode[] = result.graph.nodes;
    const attacks: GraphAttack[] = result.graph.attacks;

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(`${base}/v1/cases/${id}/view`);
    await viewReady(page);
    expect(errors, errors.join('\n')).toEqual([]);
    // Nothing from the internet: every request went to this server.
    expect(requested.length).toBeGreaterThanOrEqual(4);
    for (const url of requested) expect(url.startsWith(base)).toBe(true);

    const drawn = await page.evaluate(() => {
      const { cy } = (window as unknown as { argmedView: { cy: Core } }).argmedView;
      const box = cy.container()!.getBoundingClientRect();
      return {
        nodes: cy.nodes().map((n: NodeSingular) => ({
          id: n.id(),
          y: n.position('y'),
          visible: n.visible(),
          inView: (() => {
            const p = n.renderedPosition();
            return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
          })(),
          background: n.style('background-color'),
        })),
        edges: cy.edges().map((e: EdgeSingular) => `${e.source().id()}->${e.target().id()}`),
      };
    });
    expect(drawn.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(drawn.edges.sort()).toEqual(attacks.map((a) => `${a.from}->${a.to}`).sort());
    for (const node of drawn.nodes) {
      expect(node.visible).toBe(true);
      expect(node.inView).toBe(true);
    }
    // Layered: decisions on top, counter-arguments below.
    const y = new Map(drawn.nodes.map((n) => [n.id, n.y]));
    const decisionYs = nodes.filter((n) => n.kind === 'decision').map((n) => y.get(n.id)!);
    const beliefYs = nodes.filter((n) => n.kind !== 'decision').map((n) => y.get(n.id)!);
    expect(beliefYs.length).toBeGreaterThan(0);
    expect(Math.max(...decisionYs)).toBeLessThan(Math.min(...beliefYs));
    // Coloured by label: IN and OUT arguments differ.
    const colour = new Map(drawn.nodes.map((n) => [n.id, n.background]));
    const inNode = nodes.find((n) => n.label === 'IN')!;
    const outNode = nodes.find((n) => n.label === 'OUT');
    if (outNode) expect(colour.get(outNode.id)).not.toBe(colour.get(inNode.id));

    // Click an argument attacked through a critical question of its scheme.
    const attack = attacks.find((a) => a.question !== 'exclusive' && a.question !== 'better-decision')!;
    expect(attack).toBeDefined();
    const target = nodes.find((n) => n.id === attack.to)!;
    const scheme = (await service.app.inject({ method: 'GET', url: `/v1/schemes/${target.scheme}` })).json();
    const question = scheme.criticalQuestions.find((q: { id: string }) => q.id === attack.question);
    expect(question).toBeDefined();
    await clickNode(page, target.id);
    const details = page.locator('#details');
    const variables: Record<string, string> = target.variables ?? {};
    const asked = question.text.replace(
      /\{(\w+)\}/g,
      (whole: string, name: string) => variables[name] ?? whole,
    );
    await details.getByText(asked, { exact: false }).waitFor({ timeout: 5_000 });
    const text = (await details.textContent()) ?? '';
    expect(text).toContain(`${target.id} (`);
    expect(text).toContain(scheme.title);
    expect(text).toContain('Premises');
    expect(text).toContain(`Critical question ${question.id}: ${asked}`);
    expect(text).toContain(attack.from);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({
      path: new URL('view-oa-naproxen-with-ppi.png', ARTIFACTS).pathname,
      fullPage: true,
    });
    await page.close();
  });

  it("shows what an argument's verification took as absent when it is clicked", async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: {
        facts: ['Non-valvular atrial fibrillation, CHA2DS2-VASc score 3.', 'eGFR 62.'],
        question: 'Which oral anticoagulant should be started for stroke prevention?',
        options: [
          { id: 'A', text: 'Apixaban 5 mg twice daily' },
          { id: 'B', text: 'Warfarin, target INR 2 to 3' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const { id, result } = res.json();
    expect(result.assumedAbsent).toContain('active bleeding');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/v1/cases/${id}/view`);
    await viewReady(page);
    await clickNode(page, result.decision.argument);
    const assumed = page.locator('#details .assumed');
    await assumed.waitFor({ timeout: 5_000 });
    expect(await assumed.textContent()).toMatch(/^Verified taking as absent .*: active bleeding/);
    await page.close();
  });

  it('references only local URLs in the page itself', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('t2d-first-line-metformin'),
    });
    const html = (await service.app.inject({ method: 'GET', url: `/v1/cases/${res.json().id}/view` })).body;
    // The empty data: icon keeps browsers from asking for /favicon.ico.
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((url) => url !== 'data:,');
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) expect(url).toMatch(/^\/assets\/[a-z.-]+$/);
    expect(html).not.toMatch(/https?:\/\//);
    for (const url of urls) expect((await service.app.inject({ method: 'GET', url })).statusCode).toBe(200);
  });

  it('renders the API docs at /docs without errors, from local files only', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${base}/docs`);
    await page.locator('.info .title').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.info .title').first().textContent()).toContain('argmed');
    await page.locator('.opblock-summary-path', { hasText: '/v1/cases/{id}/graph' }).first().waitFor();
    expect(problems, problems.join('\n')).toEqual([]);
    for (const url of requested) expect(url.startsWith(base) || url.startsWith('data:')).toBe(true);
    await page.close();
  });
});
