/**
 * The solve answer written straight to JSON text: one quoted name and one constant label a argument, with
 * no labels object to build (hundreds of keys in dictionary mode) and no pass of JSON.stringify over it.
 * The text is the JSON of `SolveResponseSchema` with the same keys in the same order.
 */
import { type Framework, type GroundedLabelling, LABEL_IN, LABEL_NAMES } from '../../../solver/index.js';

/** `:"IN"` and so on, by label byte code. */
const LABEL_VALUES = LABEL_NAMES.map((label) => `:"${label}"`);

/** The JSON string of every argument's name, by id (ICCMA ids and plain names need no escaping). */
function quotedNames(framework: Framework, plainNames: boolean): string[] {
  const quoted = new Array<string>(framework.count);
  if (framework.numericNames) {
    for (let a = 0; a < framework.count; a++) quoted[a] = `"${a + 1}"`;
  } else if (plainNames) {
    const names = framework.names;
    for (let a = 0; a < framework.count; a++) quoted[a] = `"${names[a]}"`;
  } else {
    const names = framework.names;
    for (let a = 0; a < framework.count; a++) quoted[a] = JSON.stringify(names[a]);
  }
  return quoted;
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
  const quoted = quotedNames(framework, plainNames);
  const codes = labelling.labels;
  const labels = new Array<string>(framework.count);
  const grounded: string[] = [];
  for (let a = 0; a < framework.count; a++) {
    labels[a] = quoted[a] + LABEL_VALUES[codes[a]];
    if (codes[a] === LABEL_IN) grounded.push(quoted[a]);
  }
  return (
    `{"semantics":"grounded","arguments":${framework.count},"attacks":${framework.attackCount}` +
    `,"labels":{${labels.join(',')}},"grounded":[${grounded.join(',')}]` +
    (explanations === undefined ? '}' : `,"explanations":${explanations}}`)
  );
}
