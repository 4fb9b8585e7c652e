/**
 * The rating page in a real browser (Debian's headless Chromium via playwright-core) against the real
 * service and store: a run of three items (argmed, knowledge back-end) is started over HTTP, a second
 * rater's ratings are imported as CSV, then a clinician rates three items on the page, reloads, and sees
 * the ratings and the agreement; the export holds both raters, and the page loads nothing from elsewhere.
 * Behind API keys, a key holder asks for a rater's signed link, and the rater rates in a browser that has no
 * key: the page, its form, the next items and the graph pages it links to open on the link alone; a changed
 * link answers 401 and shows nothing of the run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/eval/reports/csv.js';
import { type RealService, startRealService } from './support/real-service.js';

const CHROMIUM = '/usr/bin/chromium';
const DATASETS = fileURLToPath(new URL('../eval/fixtures/', import.meta.url));

async function startRun(base: string, headers: Record<string, string> = {}): Promise<string> {
  const started = await fetch(`${base}/v1/evaluations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ dataset: 'jsonl', file: 'rating.jsonl', methods: ['argmed'], backend: 'knowledge' }),
  });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  let status = 'running';
  for (let i = 0; i < 400 && status === 'running'; i++) {
    status = ((await (await fetch(`${base}/v1/evaluations/${id}`, { headers })).json()) as { status: string }).status;
    if (status === 'running') await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe('done');
  return id;
}

describe.skipIf(!existsSync(CHROMIUM))('rating page in Chromium', () => {
  let service: RealService;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    service = await startRealService('sqlite', { ARGMED_DATASETS_DIR: DATASETS });
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  it('rates three items, and after a reload shows the ratings and the agreement', async () => {
    const id = await startRun(base);
    // A second rater's ratings, gathered elsewhere: the same score on every dimension of each item.
    const scores: Record<string, number> = { r1: 5, r2: 2, r3: 4 };
    const csv = ['item,method,rater,correctness,completeness,clarity,trust,comment', ...Object.entries(scores).map(([k, v]) => `${k},argmed,Dr B,${v},${v},${v},${v},imported`)].join('\n');
    const imported = await fetch(`${base}/v1/evaluations/${id}/ratings`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imported.status, await imported.clone().text()).toBe(200);
    const bad = await fetch(`${base}/v1/evaluations/${id}/ratings`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'item,method,rater,correctness,completeness,clarity,trust\nr1,argmed,x,9,1,1,1\n' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('line 2/correctness');

    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/v1/evaluations/${id}/rate`);
    await page.fill('input[name="rater"]', 'Dr A');
    await page.click('button[type="submit"]');
    const rated: string[] = [];
    for (let n = 0; n < 3; n++) {
      await expect.poll(() => page.textContent('#position'), { timeout: 15_000 }).toBe(String(n + 1));
      expect(await page.textContent('body')).not.toMatch(/\bargmed\b/);
      // Rate each item as Dr B did (known from the options shown), so the agreement is perfect.
      const question = (await page.textContent('body'))!;
      const key = question.includes('Metformin') ? 'r3' : question.includes('Penicillin allergy') ? 'r1' : 'r2';
      rated.push(key);
      for (const d of ['correctness', 'completeness', 'clarity', 'trust']) await page.check(`input[name="${d}"][value="${scores[key]}"]`);
      await page.fill('textarea[name="comment"]', `note ${n + 1}`);
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    }
    expect(new Set(rated).size).toBe(3);
    await page.reload();
    const rows = await page.$$eval('#your-ratings tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r[5]).sort()).toEqual(['note 1', 'note 2', 'note 3']);
    const alpha = await page.$$eval('#agreement td[data-dimension]', (tds) => tds.map((td) => td.textContent));
    expect(alpha).toEqual(['1.000', '1.000', '1.000', '1.000']);
    expect(await page.textContent('#agreement')).toContain('6');
    expect(requested.every((u) => u.startsWith(base))).toBe(true);

    const exported = parseCsv(await (await fetch(`${base}/v1/evaluations/${id}/ratings?format=csv`)).text());
    expect(exported.slice(1).map((r) => r[2]).sort()).toEqual(['name:Dr A', 'name:Dr A', 'name:Dr A', 'name:Dr B', 'name:Dr B', 'name:Dr B']);
    const report = (await (await fetch(`${base}/v1/evaluations/${id}/report`)).json()) as { ratings: { ratings: number; alpha: Record<string, number> } };
    expect(report.ratings).toMatchObject({ ratings: 6, alpha: { correctness: 1 } });
    const html = await (await fetch(`${base}/v1/evaluations/${id}/report?format=html`)).text();
    expect(html).toContain('Human ratings');
  }, 120_000);
});

describe.skipIf(!existsSync(CHROMIUM))('rating page behind API keys, on a signed rating link', () => {
  const KEY = 'rating-test-api-key';
  const bearer = { authorization: `Bearer ${KEY}` };
  let service: RealService;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    service = await startRealService('sqlite', {
      ARGMED_DATASETS_DIR: DATASETS,
      ARGMED_API_KEYS: KEY,
      ARGMED_VIEW_SECRET: 'a-rating-test-secret-of-32-characters-or-more',
    });
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  it('a rater with no key rates three items on the link, reloads and sees them; a changed link is refused', async () => {
    const id = await startRun(base, bearer);
    expect((await fetch(`${base}/v1/evaluations/${id}/rate`)).status).toBe(401);
    expect((await fetch(`${base}/v1/evaluations/${id}/rate-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rater":"Dr C"}' })).status).toBe(401);
    const issued = await fetch(`${base}/v1/evaluations/${id}/rate-links`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer }, body: '{"rater":"Dr C"}' });
    expect(issued.status).toBe(201);
    const link = (await issued.json()) as { rater: string; url: string; expiresAt: string };
    expect(link.rater).toBe('name:Dr C');
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now() + 86_400_000);

    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (r) => statuses.push(r.status()));
    await page.goto(`${base}${link.url}`);
    expect(await page.textContent('#rater')).toBe('Dr C');
    for (let n = 0; n < 3; n++) {
      await expect.poll(() => page.textContent('#position'), { timeout: 15_000 }).toBe(String(n + 1));
      for (const d of ['correctness', 'completeness', 'clarity', 'trust']) await page.check(`input[name="${d}"][value="${n + 2}"]`);
      await page.fill('textarea[name="comment"]', `link note ${n + 1}`);
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    }
    await page.reload();
    const rows = await page.$$eval('#your-ratings tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[5]?.textContent));
    expect(rows.sort()).toEqual(['link note 1', 'link note 2', 'link note 3']);
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    // The graph page it links to opens on a signed view link, without a key.
    const graph = await page.getAttribute('a:text("Open the interactive graph")', 'href');
    expect(graph).toMatch(/\/view\?exp=\d+&sig=/);
    const view = await browser.newPage();
    expect((await view.goto(new URL(graph!, `${base}/`).href))?.status()).toBe(200);

    const exported = parseCsv(await (await fetch(`${base}/v1/evaluations/${id}/ratings?format=csv`, { headers: bearer })).text());
    expect(exported.slice(1).map((r) => r[2])).toEqual(['name:Dr C', 'name:Dr C', 'name:Dr C']);
    expect((await fetch(`${base}/v1/evaluations/${id}/ratings?format=csv`)).status).toBe(401);

    // Another rater's name, another run or a view page on the same signature: refused, nothing of the run shown.
    const url = new URL(link.url, base);
    const otherRater = new URL(url);
    otherRater.searchParams.set('rater', 'Dr D');
    const refused = await page.goto(otherRater.href);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent('h1')).toBe('Link forged');
    expect(await page.content()).not.toContain('Which oral antibiotic');
    const posted = await fetch(otherRater.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'unit=0000000000000000&n=0&correctness=1&completeness=1&clarity=1&trust=1' });
    expect(posted.status).toBe(401);
    const caseId = new URL(graph!, base).pathname.split('/')[3];
    const crossUse = await fetch(`${base}/v1/cases/${caseId}/view?exp=${url.searchParams.get('exp')}&sig=${url.searchParams.get('sig')}`);
    expect(crossUse.status).toBe(401);
    expect(await (await fetch(`${base}/v1/evaluations/${id}/ratings?format=csv`, { headers: bearer })).text()).not.toContain('Dr D');
  }, 120_000);
});
