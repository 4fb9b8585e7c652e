/**
 * Escapes text for HTML and SVG content and attribute values (the report, its charts and the rating page).
 */

/** `&`, `<`, `>` and `"` as entities; null and undefined as the empty string. */
export function esc(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
