import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load as parseYaml } from 'js-yaml';
import {
  defaultKnowledgeBasePath,
  KnowledgeBaseError,
  loadKnowledgeBase,
  parseKnowledgeBase,
} from '../../../agents/knowledge/index.js';

const shipped = defaultKnowledgeBasePath();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'argmed-kb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(file: string): Promise<KnowledgeBaseError> {
  const error = await loadKnowledgeBase(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KnowledgeBaseError);
  expect((error as KnowledgeBaseError).code).toBe('ARGMED_KNOWLEDGE_INVALID');
  return error as KnowledgeBaseError;
}

/** The shipped knowledge base, changed by `edit`, written as YAML to a temp file. */
async function variant(name: string, edit: (kb: Record<string, unknown[]>) => void): Promise<string> {
  const kb = parseYaml(await readFile(shipped, 'utf8')) as Record<string, unknown[]>;
  edit(kb);
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(kb));
  return file;
}

describe('loadKnowledgeBase', () => {
  it('loads the shipped example: 15 to 40 sourced rules, contraindications merged as rules', async () => {
    const kb = await loadKnowledgeBase(shipped);
    const rules = [
      ...kb.indications,
      ...kb.sideEffects,
      ...kb.contraindications,
      ...kb.mitigations,
      ...kb.preferences,
      ...kb.claims,
    ];
    expect(rules.length).toBeGreaterThanOrEqual(15);
    expect(rules.length).toBeLessThanOrEqual(40);
    for (const rule of rules) expect(rule.source.length).toBeGreaterThan(5);
    expect(kb.preferences.some((p) => p.strength === 'strong')).toBe(true);
    expect(kb.preferences.some((p) => p.strength === 'conditional')).toBe(true);
    expect(kb.claims.length).toBeGreaterThan(0);
  });

  it('accepts JSON as well as YAML', async () => {
    const file = await variant('same.json', () => {});
    const kb = await loadKnowledgeBase(file);
    expect(kb.treatments.map((t) => t.id)).toContain('amoxicillin');
  });

  it('names the file and the field of an unknown reference', async () => {
    const file = await variant('dangling.json', (kb) => {
      (kb.indications[0] as { when: string[] }).when = ['no-such-concept'];
    });
    const error = await loadError(file);
    expect(error.message).toContain(`${file}: indications/0/when/0: unknown concept "no-such-concept"`);
    expect(error.file).toBe(file);
  });

  it('names the field of a schema violation', async () => {
    const file = await variant('bad-severity.json', (kb) => {
      (kb.sideEffects[0] as { severity: string }).severity = 'terrible';
    });
    expect((await loadError(file)).message).toMatch(/bad-severity\.json: sideEffects\/0\/severity: /);
    const ids = await variant('bad-id.json', (kb) => {
      (kb.treatments[0] as { id: string }).id = 'Not Kebab';
    });
    expect((await loadError(ids)).message).toMatch(/treatments\/0\/id: a lower-case kebab-case id/);
  });

  it('rejects duplicate rule ids, unknown keys, a measure without bounds and a wrong version', async () => {
    const dup = await variant('dup.json', (kb) => {
      (kb.claims[0] as { id: string }).id = (kb.indications[0] as { id: string }).id;
    });
    expect((await loadError(dup)).message).toMatch(
      /claims\/0\/id: duplicate id "ind-amoxicillin-cap" \(also indications\/0\)/,
    );
    const extra = await variant('extra.json', (kb) => {
      (kb.indications[0] as Record<string, unknown>).dose = '1 g';
    });
    expect((await loadError(extra)).message).toMatch(/indications\/0: Unrecognized key: "dose"/);
    const measure = await variant('measure.json', (kb) => {
      (kb.concepts[0] as Record<string, unknown>).measure = { names: ['eGFR'] };
    });
    expect((await loadError(measure)).message).toMatch(
      /concepts\/0\/measure: a measure needs at least one bound/,
    );
    const version = await variant('version.json', (kb) => {
      (kb as unknown as Record<string, unknown>).version = 2;
    });
    expect((await loadError(version)).message).toMatch(/version: /);
  });

  it('reports unreadable and unparsable files with the file name', async () => {
    const missing = path.join(dir, 'missing.yaml');
    expect((await loadError(missing)).message).toBe(`${missing}: cannot read the knowledge base (ENOENT)`);
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'concepts: [unclosed\n');
    expect((await loadError(broken)).message).toMatch(/broken\.yaml: cannot parse: /);
  });

  it('validates in-memory documents with a caller-given name', () => {
    expect(() => parseKnowledgeBase({ version: 1, indications: [{}] }, 'inline')).toThrow(
      /^inline: indications\/0\//,
    );
    expect(parseKnowledgeBase({ version: 1 }).treatments).toEqual([]);
  });
});
