/**
 * The solve answer written straight to JSON text, with no labels object to build (hundreds of keys in
 * dictionary mode) and no pass of JSON.stringify over it: the names and constant pieces such as
 * `":"IN","` go into one array that a single join copies once. The text is the JSON of
 * `SolveResponseSchema` with the same keys in the same order.
 */
import { type Framework, type GroundedLabelling, LABEL_IN, LABEL_NAMES } from '../../../solver/index.js';

/** What follows a name in `labels` by label byte code: the value, then the next entry's opening quote. */
const LABEL_AND_NEXT = LABEL_NAMES.map((label) => `":"${label}","`);
/** What follows the last name in `labels`. */
const LABEL_LAST = LABEL_NAMES.map((label) => `":"${label}"`);

/**
 * Every argument's name as it appears between the quotes of a JSON string, by id: ICCMA ids and plain
 * names as they are, any other name escaped by JSON.stringify.
 */
function jsonNames(framework: Framework, plainNames: boolean): readonly string[] {
  if (plainNames && !framework.numericNames) return framework.names;
  const inner = new Array<string>(framework.count);
  if (framework.numericNames) {
    for (let a = 0; a < framework.count; a++) inner[a] = String(a + 1);
  } else {
    const names = framework.names;
    for (let a = 0; a < framework.count; a++) inner[a] = JSON.stringify(names[a]).slice(1, -1);
  }
  return inner;
}

/**
 * The response body of `POST /v1/solve`.
 * @param explanations the JSON of the `explanations` object, when some were asked for
 * @param plainNames the caller knows no name holds a character JSON escapes (see `ScannedSolveJson`)
 * @returns `{"semantics":"grounded","arguments":N,"attacks":M,"labels":{...},"grounded":[...]}`, plus
 *   `"explanations"`; labels in id order, the grounded extension in increasing id order. O(|A|).
 */
export function writeSolveResponse(
  framework: Framework,
  labelling: GroundedLabelling,
  explanations: string | undefined,
  plainNames = false,
): string {
  const names = jsonNames(framework, plainNames);
  const codes = labelling.labels;
  const count = framework.count;
  const labels = new Array<string>(2 * count);
  const grounded: string[] = [];
  for (let a = 0; a < count; a++) {
    labels[2 * a] = names[a];
    labels[2 * a + 1] = (a === count - 1 ? LABEL_LAST : LABEL_AND_NEXT)[codes[a]];
    if (codes[a] === LABEL_IN) grounded.push(names[a]);
  }
  return (
    `{"semantics":"grounded","arguments":${count},"attacks":${framework.attackCount}` +
    `,"labels":{${count === 0 ? '' : `"${labels.join('')}`}}` +
    `,"grounded":[${grounded.length === 0 ? '' : `"${grounded.join('","')}"`}]` +
    (explanations === undefined ? '}' : `,"explanations":${explanations}}`)
  );
}
