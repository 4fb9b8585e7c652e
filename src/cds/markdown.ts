/**
 * Markdown for card details. Everything that comes from the request or the knowledge base is escaped:
 * EHRs render card details as GitHub-flavoured Markdown, and a FHIR display name must not become a link,
 * an image or HTML in the clinician's screen.
 */

/** Escapes Markdown and HTML metacharacters so the text renders as itself. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|~>]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

/** Cuts a summary to the spec's limit (fewer than 140 characters), on a word boundary when it can. */
export function summaryText(text: string, max = 139): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
