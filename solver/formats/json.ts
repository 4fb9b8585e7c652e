/**
 * JSON writer: `{ "arguments": [{ "id", "name", "label"? }], "attacks": [[from, to], ...] }` with ids
 * 0..N-1 (the solver's ids) so a client can map answers back without name lookups.
 */
import { LABEL_NAMES, type Framework, type GroundedLabelling } from '../types.js';

/** The shape {@link writeJson} produces. */
export interface FrameworkJson {
  arguments: Array<{ id: number; name: string; label?: 'IN' | 'OUT' | 'UNDEC' }>;
  attacks: Array<[number, number]>;
}

/**
 * Writes `af` (and the labels, when a labelling is given) as a JSON document. Complexity O(|A| + |R|).
 */
export function writeJson(af: Framework, labelling?: GroundedLabelling): string {
  const doc: FrameworkJson = { arguments: [], attacks: [] };
  for (let a = 0; a < af.count; a++) {
    doc.arguments.push(
      labelling === undefined
        ? { id: a, name: af.nameOf(a) }
        : { id: a, name: af.nameOf(a), label: LABEL_NAMES[labelling.labels[a]] },
    );
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) doc.attacks.push([a, af.targets[i]]);
  }
  return `${JSON.stringify(doc)}\n`;
}
