/**
 * The rating page in a real browser (Debian's headless Chromium via playwright-core) against the real
 * service and store: a run of three items (argmed, knowledge back-end) is started over HTTP, a second
 * rater's ratings are imported as CSV, then a clinician rates three items on the page, reloads, and sees
 * the ratings and the agreement; the export holds both raters, and the page loads nothing from elsewhere.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/eval/reports/csv.js';
import { type RealService, startRealService } from './support/real-service.js';

const CHROMIUM = '/usr/bin/chromium';
const DATASETS = fileURLToPath(new URL('../eval/fixtures/', import.meta.url));

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
    const started = await fetch(`${base}/v1/evaluations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'jsonl', file: 'rating.jsonl', methods: ['argmed'], backend: 'knowledge' }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let status = 'running';
    for (let i = 0; i < 400 && status === 'running'; i++) {
      status = ((await (await fetch(`${base}/v1/evaluations/${id}`)).json()) as { status: string }).status;
      if (status === 'running') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('done');
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
