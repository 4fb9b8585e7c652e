/**
 * Finds a key written twice in one object of a JSON text. `JSON.parse` keeps the last of two equal keys without a
 * word, so `{"verdicts": {"q": {"challenge": "yes"}, "q": {"challenge": "no"}}}` would read as a plain "no": an
 * answer that says two things about one question must be refused, not resolved by position.
 *
 * A single scan of the text, O(length); it expects text that `JSON.parse` accepted and does not re-validate it.
 */

/** The reading of one string literal starting at `start` (a `"`): its decoded value and where it ends. */
function readString(text: string, start: number): { value: string; end: number } {
  let end = start + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  return { value: JSON.parse(text.slice(start, end + 1)) as string, end: end + 1 };
}

/**
 * The path of the first key written twice in one object (e.g. `verdicts.q`), or undefined when there is none.
 * @param text JSON text that `JSON.parse` accepts
 */
export function duplicateKey(text: string): string | undefined {
  // One entry per open object or array: the keys seen so far (null for an array) and the key that opened it.
  const stack: Array<{ keys: Set<string> | null; path: string }> = [];
  let lastKey = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const { value, end } = readString(text, i);
      let next = end;
      while (next < text.length && /\s/.test(text[next])) next++;
      const top = stack[stack.length - 1];
      if (text[next] === ':' && top?.keys) {
        if (top.keys.has(value)) return top.path ? `${top.path}.${value}` : value;
        top.keys.add(value);
        lastKey = value;
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const path = parent ? (parent.path ? `${parent.path}.${lastKey}` : lastKey) : '';
      stack.push({ keys: c === '{' ? new Set() : null, path: parent?.keys ? path : (parent?.path ?? '') });
    } else if (c === '}' || c === ']') {
      stack.pop();
    }
    i++;
  }
  return undefined;
}
