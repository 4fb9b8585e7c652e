/**
 * docs/cds-hooks.md documents what the code does: every error code with its status, every row of the
 * terminology mapping table, and the prefetch templates the services advertise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_MAPPINGS, NAME_MAPPINGS } from '../../src/cds/fhir/concept-map.js';
import { PREFETCH_TEMPLATES } from '../../src/cds/service-catalog.js';
import { PROBLEMS } from '../../src/http/problem-codes.js';

const doc = readFileSync(new URL('../../docs/cds-hooks.md', import.meta.url), 'utf8');
const lines = doc.split('\n');
const CDS_CODES = Object.entries(PROBLEMS).filter(([code]) => code.startsWith('ARGMED_CDS_'));

describe('docs/cds-hooks.md', () => {
  it.each(CDS_CODES)('documents %s with its status', (code, { status }) => {
    expect(lines.some((line) => line.includes(`\`${code}\``) && line.includes(`| ${status} |`))).toBe(true);
  });

  it('lists every row of the terminology mapping table', () => {
    for (const row of CODE_MAPPINGS) {
      const line = lines.find((l) => l.startsWith(`| ${row.kind} |`) && l.includes(`\`${row.code}\``));
      expect(line, `${row.kind} ${row.code}`).toBeDefined();
      for (const concept of row.concepts) expect(line).toContain(`\`${concept}\``);
    }
    for (const row of NAME_MAPPINGS) {
      for (const concept of row.concepts) expect(doc).toContain(`\`${concept}\``);
    }
  });

  it('shows the prefetch templates', () => {
    for (const [key, template] of Object.entries(PREFETCH_TEMPLATES)) {
      expect(lines.some((line) => line.includes(`\`${key}\``) && line.includes(`\`${template}\``))).toBe(
        true,
      );
    }
  });
});
