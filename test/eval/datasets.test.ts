import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, sliceItems } from '../../src/eval/datasets/index.js';
import { normaliseSpan } from '../../src/eval/datasets/casimedicos-arg.js';
import { HAVE_SHARED, sharedDataset } from './shared-datasets.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('generic JSONL', () => {
  it('reads valid records and reports malformed ones with their line numbers', async () => {
    const data = await loadDataset('jsonl', fixture('generic.jsonl'));
    expect(data.items.map((i) => i.key)).toEqual(['g1', 'g2']);
    expect(data.items[0].reference).toMatch(/penicillin/);
    expect(data.items[1].case.questionType).toBe('yes-no-maybe');
    expect(data.problems.map((p) => p.line)).toEqual([3, 4, 6, 7]);
    expect(data.problems[0].message).toMatch(/answer/);
    expect(data.problems[1].message).toBe('not valid JSON');
    expect(data.problems[2].message).toMatch(/"C" is not one of the option ids/);
    expect(data.problems[3].message).toMatch(/duplicate/);
  });

  it('stops with a clear error on a missing file or an unknown format', async () => {
    await expect(loadDataset('jsonl', '/nonexistent/cases.jsonl')).rejects.toMatchObject({
      code: 'ARGMED_EVAL_FILE_NOT_FOUND',
      message: expect.stringMatching(/not found: \/nonexistent\/cases.jsonl/),
    });
    await expect(loadDataset('medmcqa-xml', fixture('generic.jsonl'))).rejects.toMatchObject({
      code: 'ARGMED_EVAL_UNKNOWN_DATASET',
      message: expect.stringMatching(/medqa, pubmedqa, casimedicos, jsonl/),
    });
  });
});

describe('slicing', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  // Regression: a BOM (as Windows editors save UTF-8) made line 1 "not valid JSON"; a PubMedQA file with a
  // syntax error was reported with V8's quote of the text around it (case text in an HTTP problem).
  it('reads a BOM-prefixed CRLF file, and never quotes a file in its JSON syntax error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmed-datasets-'));
    const bom = join(dir, 'bom.jsonl');
    writeFileSync(bom, '\ufeff{"id":"b1","question":"Which?","options":[{"id":"A","text":"a"},{"id":"B","text":"b"}],"answer":"A"}\r\n');
    const read = await loadDataset('jsonl', bom);
    expect(read.problems).toEqual([]);
    expect(read.items.map((i) => i.key)).toEqual(['b1']);
    const broken = join(dir, 'pubmedqa.json');
    writeFileSync(broken, '{"1": {"QUESTION": "q", "CONTEXTS": ["c"]}, "2": Jane Smith HIV positive and more }');
    const refused = await loadDataset('pubmedqa', broken).catch((error: Error) => error);
    expect(refused).toMatchObject({ code: 'ARGMED_EVAL_BAD_FILE' });
    expect((refused as Error).message).toMatch(/is not valid JSON/);
    expect((refused as Error).message).not.toContain('Smith');
  });

  it('applies offset and limit', () => {
    expect(sliceItems(items, { offset: 10, limit: 3 })).toEqual([10, 11, 12]);
  });
  it('samples reproducibly by seed, in file order, without repeats', () => {
    const a = sliceItems(items, { sample: 20, seed: 7 });
    expect(sliceItems(items, { sample: 20, seed: 7 })).toEqual(a);
    expect(sliceItems(items, { sample: 20, seed: 8 })).not.toEqual(a);
    expect(new Set(a).size).toBe(20);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(sliceItems(items, { sample: 20, seed: 7, limit: 5 })).toEqual(a.slice(0, 5));
  });
});

describe.skipIf(!HAVE_SHARED)('shared datasets', () => {
  it('MedQA-USMLE, MedMCQA and MMLU files share one adapter', async () => {
    const medqa = await loadDataset('medqa', sharedDataset('medqa-usmle-4opt/phrases_no_exclude_test.jsonl'), {
      limit: 5,
    });
    expect(medqa.total).toBe(1273);
    expect(medqa.problems).toEqual([]);
    const first = medqa.items[0];
    expect(first.key).toBe('line-1');
    expect(first.answer).toBe('B');
    expect(first.case.options?.map((o) => o.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(first.case.question).toMatch(/next action for the resident/);
    expect(first.case.facts.length).toBeGreaterThan(2);
    const mmlu = await loadDataset('medqa', sharedDataset('medagentsbench/mmlu/test.jsonl'), { limit: 2 });
    expect(mmlu.total).toBe(1089);
    expect(mmlu.items[0].key).toBe('100');
    const medmcqa = await loadDataset('medqa', sharedDataset('medagentsbench/medmcqa/test.jsonl'), { limit: 2 });
    expect(medmcqa.total).toBe(2816);
  });

  it('PubMedQA uses the official 500-item test split with contexts as facts and the long answer as reference', async () => {
    const data = await loadDataset('pubmedqa', sharedDataset('pubmedqa/ori_pqal.json'), { limit: 3 });
    expect(data.total).toBe(500);
    const item = data.items[0];
    // PMIDs are integer-like keys, so JavaScript orders them numerically.
    expect(item.key).toBe('7482275');
    expect(data.items[1].key < data.items[2].key || Number(data.items[1].key) < Number(data.items[2].key)).toBe(true);
    expect(['yes', 'no', 'maybe']).toContain(item.answer);
    expect(item.case.questionType).toBe('yes-no-maybe');
    expect(item.case.facts.length).toBeGreaterThan(0);
    expect(item.reference?.length).toBeGreaterThan(20);
  });

  it('CasiMedicos-Arg gives cases, explanations and reference graphs matched to the relations file', async () => {
    const data = await loadDataset('casimedicos', sharedDataset('casimedicos-arg/en/test_en_ordered.json'));
    // A few records in the release are empty strings: reported, not fatal.
    expect(data.total + data.problems.length).toBe(125);
    expect(data.total).toBeGreaterThan(110);
    const item = data.items.find((i) => i.key === '190_94')!;
    expect(item.answer).toBe('4');
    expect(item.case.options?.find((o) => o.id === '4')?.text).toMatch(/Hemophilia A/);
    expect(item.case.question).toMatch(/most probable diagnostic hypothesis/);
    expect(item.reference).toMatch(/most likely diagnosis is hemophilia/);
    const graph = item.referenceGraph!;
    const claim = graph.components.find((c) => c.kind === 'claim')!;
    expect(normaliseSpan(claim.text)).toMatch(/most likely diagnosis is hemophilia$/);
    expect(graph.relations).toHaveLength(3);
    expect(graph.relations.every((r) => r.type === 'support')).toBe(true);
    const total = data.items.reduce((n, i) => n + (i.referenceGraph?.relations.length ?? 0), 0);
    // 754 relations in the test file; span texts that match no component are dropped, but few should be.
    expect(total).toBeGreaterThan(700);
  });

  it('reports a malformed CasiMedicos record by position and keeps the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casi-'));
    const file = join(dir, 'test_cases.jsonl');
    writeFileSync(file, '{"id":"x","text":[["a"]],"labels":[["O"]]}\n{"broken":\n');
    const data = await loadDataset('casimedicos', file);
    expect(data.items).toEqual([]);
    expect(data.problems.map((p) => p.line)).toEqual([1, 2]);
  });
});
