/**
 * Where a report's figures come from: the back-end, the model only when model calls were made (a
 * knowledge-base run names none), argmed's and Node's versions, the run's settings, and the SHA-256 of the
 * dataset file. The hash is of the file as read when the report is built: a run's stored spec names the
 * file, not its content, so a file changed since the run shows as a different hash than the run's earlier
 * reports.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../../schemes/package-root.js';
import type { ItemResult, RunSpec } from '../types.js';

export interface Provenance {
  backend: RunSpec['backend'];
  /** The model, when any call was made (cached or paid); absent otherwise. */
  model?: string;
  /** Model calls recorded over the run's items (cache hits included) and those paid. */
  modelCalls: number;
  paidCalls: number;
  versions: { argmed: string; node: string };
  settings: Pick<RunSpec, 'methods' | 'slice' | 'predictability' | 'budgets'> & {
    selfConsistency?: RunSpec['selfConsistency'];
  };
  dataset: { name: RunSpec['dataset']; file: string; sha256: string | null; bytes: number | null };
}

async function argmedVersion(): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The provenance of a run's report. Reads the dataset file once (O(file size)). */
export async function provenanceOf(spec: RunSpec, items: readonly ItemResult[]): Promise<Provenance> {
  const records = items.flatMap((i) => i.outcome?.calls ?? []);
  const modelCalls = records.length;
  let sha256: string | null = null;
  let bytes: number | null = null;
  try {
    const content = await readFile(spec.file);
    sha256 = createHash('sha256').update(content).digest('hex');
    bytes = content.length;
  } catch {
    // The file moved or is gone: the hash is reported as unavailable, the figures stand.
  }
  return {
    backend: spec.backend,
    model: modelCalls > 0 ? [...new Set(records.map((c) => c.model))].join(', ') || spec.model : undefined,
    modelCalls,
    paidCalls: items.reduce((n, i) => n + i.calls, 0),
    versions: { argmed: await argmedVersion(), node: process.version },
    settings: {
      methods: spec.methods,
      slice: spec.slice,
      predictability: spec.predictability,
      budgets: spec.budgets,
      selfConsistency: spec.methods.includes('self-consistency') ? spec.selfConsistency : undefined,
    },
    dataset: { name: spec.dataset, file: spec.file, sha256, bytes },
  };
}
