/** The framework of a validated JSON body, with a 400 naming the field of an unknown or repeated argument. */
import { EdgeList, type Framework, frameworkFromEdges } from '../../../solver/index.js';
import { invalidField } from './invalid-field.js';
import { MAX_NAME, type SolveJson } from './schemas.js';

/**
 * Builds the framework of a JSON body (its `arguments` and `attacks`).
 * @throws ApiError ARGMED_INVALID_FRAMEWORK naming `body/arguments/i` (empty, too long or repeated name) or
 *   `body/attacks/i/0|1` (a name not in `arguments`)
 * O(|A| + |R|): one map of the names, the attacks into typed arrays.
 */
export function frameworkFromJson(body: SolveJson): Framework {
  const names = body.arguments;
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name.length === 0 || name.length > MAX_NAME) {
      invalidField(`body/arguments/${i}`, `a name of 1 to ${MAX_NAME} characters is needed`);
    }
    if (index.has(name)) invalidField(`body/arguments/${i}`, `"${name}" is declared twice`);
    index.set(name, i);
  }
  const attacks = body.attacks;
  const edges = new EdgeList(Math.max(16, attacks.length));
  for (let i = 0; i < attacks.length; i++) {
    const [from, to] = attacks[i];
    const a = index.get(from);
    if (a === undefined) invalidField(`body/attacks/${i}/0`, `"${from}" is not in arguments`);
    const b = index.get(to);
    if (b === undefined) invalidField(`body/attacks/${i}/1`, `"${to}" is not in arguments`);
    edges.push(a, b);
  }
  return frameworkFromEdges(names.length, edges, names);
}
