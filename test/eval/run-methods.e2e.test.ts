/**
 * End to end, in process: every method over a small slice of each dataset against the mock OpenAI server,
 * with answers scripted per item (right, wrong, malformed, rate limited), results stored in SQLite, the
 * reports written. argmed runs on the offline knowledge back-end here (its openai path is covered by the
 * engine's and the back-end's own suites).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/eval/compare.js';
import { buildReport } from '../../src/eval/reports/build-report.js';
import { parseCsv } from '../../src/eval/reports/csv.js';
import { writeReports } from '../../src/eval/reports/write-reports.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../src/eval/run/run-or-enqueue.js';
import type { RunSpecInput } from '../../src/eval/types.js';
import { findCaseById } from '../../src/store/cases.repository.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { expectedCorrect, planOf, type ScriptStats, scriptFor } from '../support/scripted-eval-model.js';
import { sqliteStore, testConfig } from './eval-harness.js';
import { HAVE_SHARED, sharedDataset } from './shared-datasets.js';
import { DELIBERATION_STATUSES } from '../../src/engine/types.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

let store: Store;
let dbUrl: string;
let mock: MockOpenAI;
let respond: (
  request: Parameters<ReturnType<typeof scriptFor>>[0],
) => ReturnType<ReturnType<typeof scriptFor>>;
const stats: ScriptStats = { requests: new Map(), rateLimited: new Map() };

beforeAll(async () => {
  ({ store, url: dbUrl } = await sqliteStore());
  mock = await startMockOpenAI({ respond: (request) => respond(request), latencyMs: 5 });
});

afterAll(async () => {
  await mock?.close();
  await store?.close();
});

const ALL = ['argmed', 'direct', 'cot', 'self-consistency'] as const;

async function evaluate(spec: RunSpecInput) {
  const config = testConfig(dbUrl, mock.url);
  const run = await prepareRun(store.db, spec);
  respond = scriptFor(run.items, stats);
  const progress = await runOrEnqueue(config, store.db, run, { concurrency: 4 });
  const report = await buildReport(store.db, run.runId);
  return { run, progress, report };
}

const cases = [
  {
    name: 'MedQA-USMLE',
    dataset: 'medqa',
    file: () => sharedDataset('medqa-usmle-4opt/phrases_no_exclude_test.jsonl'),
  },
  { name: 'MedMCQA', dataset: 'medqa', file: () => sharedDataset('medagentsbench/medmcqa/test.jsonl') },
  { name: 'PubMedQA', dataset: 'pubmedqa', file: () => sharedDataset('pubmedqa/ori_pqal.json') },
  {
    name: 'CasiMedicos-Arg',
    dataset: 'casimedicos',
    file: () => sharedDataset('casimedicos-arg/en/test_en_ordered.json'),
  },
] as const;

describe.skipIf(!HAVE_SHARED).each(cases)('$name slice, all methods', ({ dataset, file }) => {
  it('scores each method as scripted, slows down on 429 and stores every item', async () => {
    const { run, progress, report } = await evaluate({
      dataset,
      file: file(),
      slice: { sample: 5, seed: 11 },
      methods: [...ALL],
      selfConsistency: { k: 3, temperature: 0.7 },
      predictability: true,
    });
    expect(run.items).toHaveLength(5);
    expect(progress).toMatchObject({ status: 'done', total: 20, done: 20, failed: 0 });
    for (const method of ['direct', 'cot', 'self-consistency'] as const) {
      const results = report.items.filter((i) => i.method === method);
      expect(results).toHaveLength(5);
      run.items.forEach((item, index) => {
        const r = results.find((x) => x.itemKey === item.key)!;
        expect({ key: item.key, method, correct: r.correct }).toEqual({
          key: item.key,
          method,
          correct: expectedCorrect(index),
        });
        if (planOf(index) === 'malformed') {
          expect(r.predicted).toBeUndefined();
          expect(r.outcome?.parsedBy).toBe('none');
          expect(r.outcome?.raw).toBeTruthy();
        }
      });
      const summary = report.summaries.find((s) => s.method === method)!;
      expect(summary.selective.accuracyAll).toMatchObject({ k: 3, n: 5 });
      expect(summary.selective.abstentions).toEqual({ unparseable: expect.objectContaining({ k: 1, n: 5 }) });
      expect(summary.cost.tokensIn).toBeGreaterThan(0);
    }
    // The rate-limited item was refused more often than the client retries, yet ended done.
    const limited = run.items[3];
    expect(stats.rateLimited.get(limited.key)).toBeGreaterThanOrEqual(3);
    // cot: the evaluator reads every item's redacted record; it is scripted right on even items (0, 4) and
    // wrong on odd ones (1, 3); item 2 decided nothing and the reader names no option for it.
    const cotItems = report.items
      .filter((i) => i.method === 'cot')
      .map((i) => [
        i.itemKey,
        i.predicted,
        i.outcome?.evaluatorPrediction,
        run.items.findIndex((x) => x.key === i.itemKey),
      ]);
    expect(
      report.summaries.find((s) => s.method === 'cot')!.predictability.model,
      JSON.stringify(cotItems),
    ).toMatchObject({ k: 2, n: 5 });
    const sc = report.items.find((i) => i.method === 'self-consistency' && i.itemKey === run.items[0].key)!;
    expect(Object.values(sc.outcome!.votes!).reduce((a, b) => a + b, 0)).toBe(3);
    // argmed: every item stored with its deliberation, linked to a stored case.
    const argmed = report.items.filter((i) => i.method === 'argmed');
    expect(argmed).toHaveLength(5);
    for (const r of argmed) {
      expect(DELIBERATION_STATUSES).toContain(r.outcome?.argmed?.status);
      const caseId = r.outcome!.argmed!.caseId!;
      expect((await findCaseById(store.db, caseId))?.status).toBe(r.outcome!.argmed!.status);
    }
    const summary = report.summaries.find((s) => s.method === 'argmed')!;
    expect(summary.argmed).toBeDefined();
    if (dataset === 'pubmedqa' || dataset === 'casimedicos') {
      expect(summary.method).toBe('argmed');
      expect(report.summaries.find((s) => s.method === 'cot')!.reference?.n).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!HAVE_SHARED)('argmed on the openai back-end', () => {
  it('deliberates through the mock: scripted verifier failures decide the planned option', async () => {
    const config = testConfig(dbUrl, mock.url);
    const run = await prepareRun(store.db, {
      dataset: 'pubmedqa',
      file: sharedDataset('pubmedqa/ori_pqal.json'),
      slice: { sample: 5, seed: 5 },
      methods: ['argmed'],
      backend: 'openai',
      model: 'mock-model',
    });
    respond = scriptFor(run.items, stats);
    const progress = await runOrEnqueue(config, store.db, run, { concurrency: 4 });
    expect(progress).toMatchObject({ status: 'done', total: 5, failed: 0 });
    const report = await buildReport(store.db, run.runId);
    run.items.forEach((item, index) => {
      const r = report.items.find((x) => x.itemKey === item.key)!;
      if (planOf(index) === 'malformed') {
        expect(r.correct).toBe(false);
        return;
      }
      expect(
        [item.key, r.outcome?.argmed?.status, r.correct],
        JSON.stringify({
          g: r.outcome?.argmed?.graph.nodes.map((n) => [n.id, n.scheme, n.option, n.label, n.round]),
          a: r.outcome?.argmed?.graph.attacks.map((a) => [a.from, a.to, a.question]),
        }),
      ).toEqual([item.key, 'decided', expectedCorrect(index)]);
      expect(r.calls).toBeGreaterThan(2);
      expect(r.outcome!.argmed!.graph.attacks.length).toBeGreaterThan(0);
    });
    const summary = report.summaries[0].argmed!;
    expect(summary.conflictFree.value).toBe(1);
    expect(summary.defends.value).toBe(1);
  });
});

describe('generic JSONL and the reports', () => {
  it('writes JSON, CSV and an HTML page with the comparison table, charts and graph links', async () => {
    const { run, report } = await evaluate({
      dataset: 'jsonl',
      file: fixture('generic.jsonl'),
      methods: ['argmed', 'direct', 'cot'],
    });
    expect(run.problems.map((p) => p.line)).toEqual([3, 4, 6, 7]);
    const out = mkdtempSync(join(tmpdir(), 'argmed-report-'));
    const paths = await writeReports(report, out);
    const html = readFileSync(paths.html, 'utf8');
    expect(html).toContain('<table class="comparison">');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const caseId = report.items.find((i) => i.method === 'argmed')!.outcome!.argmed!.caseId!;
    expect(html).toContain(`/v1/cases/${caseId}/view`);
    const csv = parseCsv(readFileSync(paths.csv, 'utf8'));
    expect(csv[0].join(',')).toMatch(/^item,method,status,gold,predicted,correct,abstention/);
    expect(csv).toHaveLength(1 + 2 * 3);
    // Each row carries the method's explanation text (for rating elsewhere).
    const explanation = csv[0].indexOf('explanation');
    for (const row of csv.slice(1)) {
      const r = report.items.find((i) => i.itemKey === row[0] && i.method === row[1])!;
      expect(row[explanation]).toBe(r.outcome?.explanation ?? '');
    }
    const json = JSON.parse(readFileSync(paths.json, 'utf8'));
    expect(json.summaries.map((s: { method: string }) => s.method)).toEqual(['argmed', 'direct', 'cot']);
    expect(existsSync(paths.html)).toBe(true);
  });

  it('re-running the same spec resumes: nothing is paid twice, and compare sees no change', async () => {
    const spec: RunSpecInput = {
      dataset: 'jsonl',
      file: fixture('generic.jsonl'),
      methods: ['direct', 'cot'],
    };
    const first = await evaluate(spec);
    const before = mock.requests.length;
    const again = await evaluate(spec);
    expect(again.run.runId).toBe(first.run.runId);
    expect(again.run.resumed).toBe(true);
    expect(mock.requests.length).toBe(before);
    expect(again.report.items).toEqual(first.report.items);
    expect(compareRuns(first.report, again.report)).toMatch(/correctness changed on 0/);
  });
});
