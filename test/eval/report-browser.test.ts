/**
 * The HTML report in a real browser (Debian's headless Chromium via playwright-core), as a reader sees it:
 * a run of argmed (knowledge back-end), chain of thought and self-consistency against the scripted mock
 * model, with human ratings for some methods only, written by `argmed eval report RUN --out DIR` and opened
 * from disk. Every bar of every chart prints its value with its interval and n, or N/A where the JSON has
 * no value (a share over zero items, an evaluator that was not run, a method nobody rated), and an N/A bar
 * is drawn as such, never as a 0 bar; the figures match the JSON; no two texts of a chart overlap and none
 * leaves its chart; axes are labelled; the risk–coverage curve has a point with its interval for each cut.
 * Also in print (A4 width). Screenshots go to test-artifacts/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/eval/datasets/load-dataset.js';
import { formatShare, type Share } from '../../src/eval/metrics/share.js';
import { upsertRating } from '../../src/store/eval-ratings.repository.js';
import type { RunReport } from '../../src/eval/reports/build-report.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../src/eval/run/run-or-enqueue.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { scriptFor } from '../support/scripted-eval-model.js';
import { sqliteStore, testConfig } from './eval-harness.js';
import { REPO_ROOT } from './shared-datasets.js';

const CHROMIUM = '/usr/bin/chromium';
const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');
const FILE = join(import.meta.dirname, 'fixtures', 'generic.jsonl');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

interface BarSeen {
  chart: string;
  group: string;
  label: string;
  value: string;
  n: string;
  na: boolean;
  text: string;
  intervals: number;
  filledWidth: number;
}

/** What the page shows, read from the drawn SVG. */
async function barsOf(page: Page): Promise<BarSeen[]> {
  return page.$$eval('svg g.bar', (bars) =>
    bars.map((g) => {
      const filled = Array.from(g.querySelectorAll('rect')).filter((r) => !(r.getAttribute('fill') ?? '').startsWith('url('));
      return {
        chart: g.closest('svg')?.querySelector('title')?.textContent ?? '',
        group: g.getAttribute('data-group') ?? '',
        label: g.getAttribute('data-label') ?? '',
        value: g.getAttribute('data-value') ?? '',
        n: g.getAttribute('data-n') ?? '',
        na: g.classList.contains('na'),
        text: g.querySelector('text.figure')?.textContent ?? '',
        intervals: g.querySelectorAll('g.interval').length,
        filledWidth: filled.reduce((w, r) => w + r.getBoundingClientRect().width, 0),
      };
    }),
  );
}

/** Pairs of texts of one chart whose boxes intersect, and texts that leave their chart. */
async function layoutFaults(page: Page): Promise<string[]> {
  return page.$$eval('svg', (svgs) =>
    svgs.flatMap((svg) => {
      const title = svg.querySelector('title')?.textContent ?? '';
      const frame = svg.getBoundingClientRect();
      const texts = Array.from(svg.querySelectorAll('text')).map((t) => ({ t: t.textContent ?? '', r: t.getBoundingClientRect() }));
      const faults: string[] = [];
      for (const a of texts) {
        if (a.r.left < frame.left - 0.5 || a.r.right > frame.right + 0.5 || a.r.top < frame.top - 0.5 || a.r.bottom > frame.bottom + 0.5) {
          faults.push(`${title}: "${a.t}" leaves the chart`);
        }
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const [a, b] = [texts[i].r, texts[j].r];
          const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
          if (overlap) faults.push(`${title}: "${texts[i].t}" overlaps "${texts[j].t}"`);
        }
      }
      return faults;
    }),
  );
}

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  let store: Store;
  let dbUrl: string;
  let mock: MockOpenAI;
  let browser: Browser;
  let report: RunReport;
  let html: string;

  beforeAll(async () => {
    ({ store, url: dbUrl } = await sqliteStore());
    const { items } = await loadDataset('jsonl', FILE);
    mock = await startMockOpenAI({ respond: scriptFor(items) });
    const run = await prepareRun(store.db, {
      dataset: 'jsonl',
      file: FILE,
      methods: ['argmed', 'cot', 'self-consistency'],
      backend: 'knowledge',
      selfConsistency: { k: 3, temperature: 0.7 },
    });
    await runOrEnqueue(testConfig(dbUrl, mock.url), store.db, run, { concurrency: 4 });
    // Two raters for chain of thought (an interval), one rating of argmed (none), none of self-consistency (N/A).
    const rate = (item: string, method: string, rater: string, score: number) =>
      upsertRating(store.db, { run_id: run.runId, item_key: item, method, rater, correctness: score, completeness: score, clarity: 3, trust: score, comment: null, source: 'import', rated_at: new Date(0).toISOString() });
    const cot = items.filter((i) => i.key !== 'g3').slice(0, 3);
    for (const [n, item] of cot.entries()) {
      await rate(item.key, 'cot', 'name:A', 2 + n);
      await rate(item.key, 'cot', 'name:B', 3 + n);
    }
    await rate(items[0].key, 'argmed', 'name:A', 4);
    const out = mkdtempSync(join(tmpdir(), 'argmed-report-browser-'));
    const written = await promisify(execFile)(process.execPath, [CLI, 'eval', 'report', run.runId, '--out', out], { env: { ...process.env, DATABASE_URL: dbUrl } });
    expect(written.stdout).toContain(join(out, `${run.runId}.html`));
    report = JSON.parse(readFileSync(join(out, `${run.runId}.json`), 'utf8')) as RunReport;
    html = join(out, `${run.runId}.html`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    await store?.close();
  });

  it('prints every figure with its interval and n, N/A (drawn as N/A) where the JSON has no value', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`file://${html}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    const bars = await barsOf(page);
    expect(bars.length).toBeGreaterThan(20);
    const withInterval = /^(\d+\.\d% \[\d+\.\d–\d+\.\d\] \(\d+\/\d+\)|\d\.\d\d \[\d\.\d\d–\d\.\d\d\] \(n = \d+\))$/;
    for (const bar of bars) {
      const where = `${bar.chart} / ${bar.group} / ${bar.label}: "${bar.text}"`;
      if (bar.na) {
        expect(bar.value, where).toBe('N/A');
        expect(bar.text, where).toMatch(/^(N\/A|not measured)/);
        expect(bar.filledWidth, where).toBe(0);
      } else if (bar.text.includes('one rating')) {
        expect(Number(bar.n), where).toBe(1);
      } else {
        expect(bar.text, where).toMatch(withInterval);
        expect(bar.intervals, where).toBe(1);
        expect(Number(bar.n), where).toBeGreaterThan(0);
        expect(bar.filledWidth, where).toBeGreaterThan(0);
      }
    }
    // The figures are the JSON's, N/A exactly where the JSON has none.
    const shown = (chart: RegExp, group: string, label: string) => bars.find((b) => chart.test(b.chart) && b.group === group && b.label === label);
    const expectShare = (bar: BarSeen | undefined, share: Share | undefined, absent = 'N/A (n = 0)') => {
      expect(bar).toBeDefined();
      expect(bar!.text).toBe(share ? formatShare(share) : absent);
      expect(bar!.na).toBe(!share || share.value === null);
    };
    for (const s of report.summaries) {
      expectShare(shown(/^Accuracy/, s.method, 'accuracy on all items'), s.selective.accuracyAll);
      expectShare(shown(/^Accuracy/, s.method, 'coverage'), s.selective.coverage);
      expectShare(shown(/^Accuracy/, s.method, 'accuracy on answered'), s.selective.accuracyAnswered);
      expectShare(shown(/^Predictability/, s.method, 'evaluator model'), s.predictability.model, 'not measured (no evaluator model)');
      expectShare(shown(/^Predictability/, s.method, 'null evaluator'), s.predictability.null);
      const rated = report.ratings?.perMethod[s.method];
      const trust = shown(/^Mean ratings/, s.method, 'trust');
      expect(trust?.na).toBe(rated === undefined);
      if (rated) expect(trust?.text).toContain(`(n = ${rated.ratings})`);
    }
    expect(bars.some((b) => b.na)).toBe(true);
    expect(bars.some((b) => /^Mean ratings/.test(b.chart) && b.text.includes('['))).toBe(true);
    // The curve: one series per method that answered, a point with its interval per cut.
    const series = await page.$$eval('svg g.series', (gs) => gs.map((g) => ({ points: Number(g.getAttribute('data-points')), intervals: g.querySelectorAll('line.interval').length })));
    const answered = report.summaries.filter((s) => s.selective.riskCoverage.length > 0);
    expect(series.map((x) => x.points)).toEqual(answered.map((s) => s.selective.riskCoverage.length));
    expect(series.map((x) => x.intervals)).toEqual(answered.map((s) => s.selective.riskCoverage.length));
    await page.close();
  }, 60_000);

  it('labels the axes, and no text of a chart overlaps another or leaves the chart, on screen and in print', async () => {
    for (const [media, width] of [['screen', 1300], ['print', 794]] as const) {
      const page = await browser.newPage({ viewport: { width, height: 1100 } });
      await page.emulateMedia({ media });
      await page.goto(`file://${html}`);
      expect(await layoutFaults(page), media).toEqual([]);
      const axes = await page.$$eval('svg', (svgs) => svgs.map((s) => Array.from(s.querySelectorAll('.axis-label')).map((t) => t.textContent ?? '')));
      for (const labels of axes) {
        expect(labels.length).toBeGreaterThanOrEqual(1);
        for (const label of labels) expect(label.length).toBeGreaterThan(3);
      }
      // Nothing wider than the page: the charts fit an A4 column in print.
      const widest = await page.$$eval('svg', (svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().right)));
      expect(widest, media).toBeLessThanOrEqual(width);
      if (media === 'print') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (media === 'print') await page.pdf({ path: join(ARTIFACTS, 'report.pdf'), format: 'A4' });
      await page.close();
    }
  }, 60_000);
});
