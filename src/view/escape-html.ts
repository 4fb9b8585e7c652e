/**
 * The one HTML escaping of argmed's pages (the graph page, the evaluation report and its SVG charts, the
 * rating page): `&`, `<`, `>`, `"` and `'` become entities, so text from a case, a data set or a rater
 * renders as itself in element content and in attribute values, quoted either way. O(length).
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes a value for HTML content and attribute values; `null` and `undefined` become the empty string,
 * anything else its `String` form.
 * @example escapeHtml('<b>Crohn\'s</b>') // '&lt;b&gt;Crohn&#39;s&lt;/b&gt;'
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}
